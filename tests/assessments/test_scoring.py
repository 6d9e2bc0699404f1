"""Scoring and suppression: exact results on small cases, and properties on any data.

The properties attack by differencing: whatever an observer subtracts from what is
shown for one element ("all respondents" minus the groups shown), the result
covers zero or at least k respondents.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.assessments.scoring import (
    ALL,
    Cell,
    ResponseData,
    merge_groups,
    respondent_element_score,
    score_round,
    suppress,
)

POSITIONS = ("manager", "colleague", "peer_worker")
ITEMS = ("a", "b", "c")
ELEMENTS = {"precondition.job_description": ["a", "b"], "attention_point.workload": ["c"]}


def answers(a: int | None, b: int | None = None, c: int | None = None) -> dict[str, int | None]:
    return {"a": a, "b": b, "c": c}


def test_scoring_respondent_score_is_mean_of_scored_answers():
    assert respondent_element_score({"a": 2, "b": None, "c": 5}, ["a", "b", "c"]) == 3.5
    assert respondent_element_score({"a": None}, ["a"]) is None


def test_scoring_merge_groups_keeps_groups_of_k_apart():
    assert merge_groups({"manager": 5, "colleague": 6, "peer_worker": 7}, 5) == [
        ("colleague",), ("manager",), ("peer_worker",)]


def test_scoring_merge_groups_merges_small_group_with_next_smallest():
    assert merge_groups({"manager": 1, "colleague": 6, "peer_worker": 7}, 5) == [
        ("colleague", "manager"), ("peer_worker",)]


def test_scoring_merge_groups_gives_nothing_when_one_group_remains():
    assert merge_groups({"manager": 1, "colleague": 2, "peer_worker": 7}, 5) == []
    assert merge_groups({"peer_worker": 9}, 5) == []


def test_scoring_round_with_three_groups_shows_gap_between_manager_and_peers():
    # Arrange: managers agree the job description is clear; peer workers do not.
    responses = (
        [ResponseData("manager", answers(5, 5, 3)) for _ in range(5)]
        + [ResponseData("colleague", answers(4, 3, 3)) for _ in range(5)]
        + [ResponseData("peer_worker", answers(2, 1, 3)) for _ in range(5)]
    )

    # Act
    scores = score_round(responses, ELEMENTS, k=5)

    # Assert
    job = scores.elements[0]
    assert job.element_id == "precondition.job_description"
    assert job.total.n == 15
    assert job.total.mean == pytest.approx((5 * 5 + 5 * 3.5 + 5 * 1.5) / 15)
    assert [(c.group, c.mean) for c in job.groups] == [
        ("colleague", 3.5), ("manager", 5.0), ("peer_worker", 1.5)]
    assert job.gap == pytest.approx(3.5)
    assert job.gap_between == ("peer_worker", "manager")
    assert job.has_gap is True
    assert scores.elements[1].has_gap is False
    assert [e.element_id for e in scores.weakest_first()] == [
        "attention_point.workload", "precondition.job_description"]


def test_scoring_one_manager_is_merged_and_never_shown_alone():
    # Arrange: the classic attack: all respondents minus colleagues and peers = the manager.
    responses = ([ResponseData("manager", answers(1, 1, 1))]
                 + [ResponseData("colleague", answers(4, 4, 4)) for _ in range(5)]
                 + [ResponseData("peer_worker", answers(5, 5, 5)) for _ in range(5)])

    # Act
    scores = score_round(responses, ELEMENTS, k=5)

    # Assert: the manager is merged with the colleagues, so no cell isolates them.
    assert scores.group_keys == ("colleague+manager", "peer_worker")
    job = scores.elements[0]
    assert [(c.group, c.n, c.suppressed) for c in job.groups] == [
        ("colleague+manager", 6, False), ("peer_worker", 5, False)]


def test_scoring_dont_know_answers_can_hide_a_cell_and_its_complement():
    # Arrange: groups of 5, but 3 peer workers answer "don't know" to the job description.
    responses = ([ResponseData("manager", answers(5, 5, 3)) for _ in range(5)]
                 + [ResponseData("colleague", answers(4, 4, 3)) for _ in range(5)]
                 + [ResponseData("peer_worker", answers(2, 2, 3)) for _ in range(2)]
                 + [ResponseData("peer_worker", answers(None, None, 3)) for _ in range(3)])

    # Act
    job = score_round(responses, ELEMENTS, k=5).elements[0]

    # Assert: peers (2) hidden; hiding 2 alone would leak through the total, so the
    # next smallest group (colleague, 5) is hidden with it.
    assert [(c.group, c.suppressed) for c in job.groups] == [
        ("colleague", True), ("manager", False), ("peer_worker", True)]
    assert job.total.n == 12
    assert job.total.suppressed is False
    assert [c.n for c in job.groups] == [None, 5, None]


def test_scoring_total_under_k_hides_everything():
    responses = [ResponseData("peer_worker", answers(3, 3, 3)) for _ in range(4)]
    scores = score_round(responses, ELEMENTS, k=5)
    assert all(e.total.suppressed and e.total.mean is None and e.total.n is None
               for e in scores.elements)
    assert scores.weakest_first() == []


def test_scoring_suppress_rejects_nothing_when_all_cells_large():
    total = Cell(ALL, 10, 3.0, 1.0, False)
    groups = [Cell("manager", 5, 3.0, 1.0, False), Cell("peer_worker", 5, 3.0, 1.0, False)]
    assert suppress(total, groups, 5) == (total, groups)


responses_strategy = st.lists(
    st.builds(
        ResponseData,
        position=st.sampled_from(POSITIONS),
        answers=st.fixed_dictionaries({item: st.one_of(st.none(), st.integers(1, 5)) for item in ITEMS}),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(responses=responses_strategy, k=st.integers(5, 8))
def test_scoring_property_no_shown_figure_or_difference_covers_fewer_than_k(responses, k):
    scores = score_round(responses, ELEMENTS, k=k)
    for element in scores.elements:
        shown = [c for c in element.groups if not c.suppressed]
        if element.total.suppressed:
            assert shown == []
            assert all(c.n is None and c.mean is None for c in element.groups)
            continue
        assert element.total.n is not None
        assert element.total.n >= k
        assert all(c.n is not None and c.n >= k for c in shown)
        assert all(c.n is None and c.mean is None for c in element.groups if c.suppressed)
        # Differencing: what an observer gets by subtracting the shown groups from
        # "all respondents" is the hidden groups together: none, or at least k people.
        if element.groups:
            hidden_n = element.total.n - sum(c.n or 0 for c in shown)
            assert hidden_n == 0 or hidden_n >= k


@settings(max_examples=200, deadline=None)
@given(responses=responses_strategy, k=st.integers(5, 8))
def test_scoring_property_groups_partition_positions_and_each_has_k(responses, k):
    counts: dict[str, int] = {}
    for r in responses:
        counts[r.position] = counts.get(r.position, 0) + 1
    groups = merge_groups(counts, k)
    if groups:
        members = [p for g in groups for p in g]
        assert sorted(members) == sorted(p for p, n in counts.items() if n > 0)
        assert all(sum(counts[p] for p in g) >= k for g in groups)
        assert len(groups) >= 2


@settings(max_examples=200, deadline=None)
@given(responses=responses_strategy)
def test_scoring_property_means_stay_on_the_scale(responses):
    for element in score_round(responses, ELEMENTS, k=5).elements:
        for cell in (element.total, *element.groups):
            if cell.mean is not None:
                assert 1 <= cell.mean <= 5
