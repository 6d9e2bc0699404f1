"""A number question's summary and ranges (rules 4 and 5 of suppression).

The attacker here knows every published figure of one number question (respondents,
the number who answered, every range) and works out every count he can by adding and
subtracting them; none may cover 1 to k-1 people.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.surveys import results_tables, suppression

K = 5


def _summary(values: list[float], missing: int = 0, k: int = K) -> results_tables.NumberSummary:
    return results_tables.number_summary(np.sort(np.array(values, dtype=float)), missing, k)


def test_suppression_merge_bins_closes_a_run_at_k_and_gives_the_rest_to_the_last():
    assert suppression.merge_bins([1, 2, 3, 4, 0, 7, 1], K) == [(0, 3), (3, 7)]
    assert suppression.merge_bins([5, 5, 5], K) == [(0, 1), (1, 2), (2, 3)]
    assert suppression.merge_bins([0, 6, 0], K) == [(0, 3)]
    assert suppression.merge_bins([1, 2, 1], K) == []


@given(st.lists(st.integers(0, 12), max_size=12), st.integers(2, 8))
def test_suppression_merge_bins_runs_cover_every_bin_once_and_hold_k(counts, k):
    runs = suppression.merge_bins(counts, k)

    if sum(counts) < k:
        assert runs == []
        return
    assert runs[0][0] == 0
    assert runs[-1][1] == len(counts)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(runs))
    assert all(sum(counts[start:stop]) >= k for start, stop in runs)


def test_number_ranges_for_a_small_wave_of_twelve():
    # Before: no histogram under 41 answers. Now two ranges of at least 5 each.
    summary = _summary([410, 420, 430, 440, 450, 460, 470, 480, 490, 500, 510, 520])

    assert summary.bins == ((None, 475.0, 7), (475.0, None, 5))
    assert summary.no_bins == ""
    assert summary.n == 12


def test_number_ranges_need_twice_k_answers():
    summary = _summary([float(v) for v in range(9)])

    assert summary.shown is True
    assert summary.bins == ()
    assert summary.no_bins == "few"


def test_number_ranges_not_drawn_when_answers_are_alike():
    # 100 % for 11 people, 50 % for 3: no edge leaves 5 on each side.
    summary = _summary([100.0] * 11 + [50.0] * 3)

    assert summary.bins == ()
    assert summary.no_bins == "alike"
    assert summary.median == 100.0


def test_number_ranges_not_drawn_when_the_number_who_answered_is_hidden():
    # 2 skipped: the answered/skipped split is hidden, and ranges would add up to it.
    summary = _summary([float(v) for v in range(30)], missing=2)

    assert summary.n is None
    assert summary.shown is True
    assert summary.bins == ()
    assert summary.no_bins == "hidden"
    assert summary.median == 14.5


def test_number_date_summaries_have_no_ranges_and_no_reason():
    values = np.arange(2000.0, 2030.0)

    summary = results_tables.number_summary(values, 0, K, bins=False)

    assert (summary.bins, summary.no_bins) == ((), "")


def test_number_ranges_for_a_large_wave_are_round_and_open_ended():
    values = np.sort(np.random.default_rng(5).normal(480_000, 60_000, 300).round(-3))

    summary = results_tables.number_summary(values, 0, K)

    # Six steps of 25,000 between about the 10th and 90th percentile, open at both ends.
    assert [(low, high) for low, high, _n in summary.bins] == [
        (None, 425_000.0), (425_000.0, 450_000.0), (450_000.0, 475_000.0), (475_000.0, 500_000.0),
        (500_000.0, 525_000.0), (525_000.0, 550_000.0), (550_000.0, None)]
    assert sum(n for *_, n in summary.bins) == 300


answers = st.lists(st.integers(0, 60).map(float), max_size=70)


@settings(max_examples=300, deadline=None)
@given(answers, st.integers(0, 12), st.integers(5, 8))
def test_number_ranges_hold_k_and_no_difference_of_published_counts_is_small(values, missing, k):
    data = np.sort(np.array(values, dtype=float))
    respondents = len(data) + missing

    summary = results_tables.number_summary(data, missing, k)

    if not summary.bins:
        return
    # Ranges are shown only with the number who answered, and add up to it exactly.
    assert summary.n == len(data)
    counts = [n for *_, n in summary.bins]
    assert sum(counts) == summary.n
    # Each range's count is the true count of answers from its start up to its end.
    for low, high, n in summary.bins:
        inside = (data >= (low if low is not None else -np.inf)) & (data < (high if high is not None
                                                                            else np.inf))
        assert n == int(inside.sum())
    # Open ends, rising edges: neither the smallest nor the largest answer shows.
    assert summary.bins[0][0] is None
    assert summary.bins[-1][1] is None
    edges = [high for _low, high, _n in summary.bins[:-1]]
    assert edges == sorted(set(edges))
    # The attacker: every run of neighbouring ranges, its complement among the answers,
    # and the skipped (respondents minus every range) hold 0 or at least k people.
    derived = [sum(counts[i:j]) for i in range(len(counts)) for j in range(i + 1, len(counts) + 1)]
    derived += [summary.n - d for d in derived]
    derived.append(respondents - sum(counts))
    assert all(d == 0 or d >= k for d in derived), (counts, respondents)
