"""Stage transitions of an improvement: one forward at a time, dated, or undo the last."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerwork.impact.stages import ORDER, TransitionError, is_consistent, move

TODAY = dt.date(2027, 6, 1)
START = {"identified": dt.date(2027, 1, 10)}


def test_stages_forward_one_step_with_a_date():
    # Act
    dates = move(START, "identified", "raised", dt.date(2027, 2, 1), today=TODAY)

    # Assert
    assert dates == {"identified": dt.date(2027, 1, 10), "raised": dt.date(2027, 2, 1)}


@pytest.mark.parametrize(("current", "target", "on", "code"), [
    ("identified", "designed", dt.date(2027, 2, 1), "skips_stages"),
    ("identified", "assessed", dt.date(2027, 2, 1), "skips_stages"),
    ("identified", "raised", None, "date_required"),
    ("identified", "raised", dt.date(2027, 1, 9), "date_before_previous"),
    ("identified", "raised", dt.date(2027, 6, 2), "date_in_future"),
    ("identified", "identified", dt.date(2027, 2, 1), "already_there"),
    ("identified", "done", dt.date(2027, 2, 1), "unknown_stage"),
])
def test_stages_impossible_moves_are_refused(current, target, on, code):
    with pytest.raises(TransitionError) as raised:
        move(START, current, target, on, today=TODAY)
    assert raised.value.code == code


def test_stages_undo_clears_the_last_date_only():
    # Arrange
    dates = {**START, "raised": dt.date(2027, 2, 1), "designed": dt.date(2027, 3, 1)}

    # Act
    undone = move(dates, "designed", "raised", None, today=TODAY)

    # Assert
    assert undone == {**START, "raised": dt.date(2027, 2, 1), "designed": None}
    with pytest.raises(TransitionError):
        move(dates, "designed", "identified", None, today=TODAY)


@given(st.lists(st.tuples(st.sampled_from(ORDER), st.integers(0, 200)), max_size=30))
def test_stages_any_sequence_of_attempts_keeps_the_dates_consistent(attempts):
    # Arrange
    dates: dict[str, dt.date | None] = dict(START)
    current = "identified"

    # Act: try moves at random; refused ones change nothing.
    for target, offset in attempts:
        try:
            dates = move(dates, current, target, START["identified"] + dt.timedelta(days=offset),
                         today=TODAY)
        except TransitionError:
            continue
        current = target

        # Assert
        assert is_consistent(dates, current)
