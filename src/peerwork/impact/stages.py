"""The stages of an improvement and the only moves between them. Pure.

An improvement moves one stage forward at a time (identified → raised with
management → designed → piloted → implemented → assessed), each on a date no earlier
than the stage before and not in the future. The last move can be undone, to
correct a mistake; nothing else is allowed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

ORDER = ("identified", "raised", "designed", "piloted", "implemented", "assessed")


class TransitionError(ValueError):
    """The move is impossible; the message says why (English, for logs: views translate)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def next_stage(current: str) -> str | None:
    index = ORDER.index(current)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def move(dates: Mapping[str, dt.date | None], current: str, target: str, on: dt.date | None,
         *, today: dt.date) -> dict[str, dt.date | None]:
    """The dates after moving from ``current`` to ``target``.

    Forward moves need ``on``: the next stage only, dated between the current stage's
    date and ``today``. A move back to the previous stage clears the current one's date.
    Raises :class:`TransitionError` otherwise.
    """
    if current not in ORDER or target not in ORDER:
        raise TransitionError("unknown_stage")
    here, there = ORDER.index(current), ORDER.index(target)
    result = dict(dates)
    if there == here + 1:
        if on is None:
            raise TransitionError("date_required")
        previous = dates.get(current)
        if previous is not None and on < previous:
            raise TransitionError("date_before_previous")
        if on > today:
            raise TransitionError("date_in_future")
        result[target] = on
        return result
    if there == here - 1:
        result[current] = None
        return result
    if there == here:
        raise TransitionError("already_there")
    raise TransitionError("skips_stages" if there > here else "back_too_far")


def is_consistent(dates: Mapping[str, dt.date | None], current: str) -> bool:
    """Every stage up to ``current`` has a date, none after it does, and dates never
    go backwards."""
    reached = ORDER[: ORDER.index(current) + 1]
    values = [dates.get(stage) for stage in reached]
    if any(v is None for v in values):
        return False
    if any(dates.get(stage) is not None for stage in ORDER[len(reached):]):
        return False
    return all(a <= b for a, b in itertools.pairwise(values))  # type: ignore[operator]
