"""Descriptive statistics: exact values on small cases, checked against scipy/numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from peerwork.surveys import analysis
from peerwork.surveys.results_tables import trend, wave_results
from surveys import frames


def test_analysis_counts_by_category_with_missing_last():
    series = pd.Series(["1", "2", "2", None, "dk", "9"], dtype="string")

    assert analysis.counts(series, ["1", "2", "3", "dk"]) == [1, 2, 0, 1, 2]


def test_analysis_choice_counts_chosen_not_chosen_missing():
    series = pd.Series([True, False, True, None], dtype="boolean")

    assert analysis.choice_counts(series) == [2, 1, 1]


def test_analysis_crosstab_counts_every_pair_with_missing_row_and_column():
    rows = pd.Series(["a", "b", "a", None, "a"], dtype="string")
    columns = pd.Series(["x", "x", "y", "y", None], dtype="string")

    assert analysis.crosstab(rows, ["a", "b"], columns, ["x", "y"]) == [
        [1, 1, 1], [1, 0, 0], [0, 1, 0]]


def test_analysis_mean_interval_is_students_t():
    values = np.array([1.0, 2.0, 3.0, 4.0, 10.0])

    interval = analysis.mean_interval(values)

    half = stats.t.ppf(0.975, 4) * np.std(values, ddof=1) / np.sqrt(5)
    assert interval is not None
    assert interval.low == pytest.approx(4.0 - half)
    assert interval.high == pytest.approx(4.0 + half)
    assert analysis.mean_interval(np.array([3.0])) is None


def test_analysis_median_ranks_cover_at_least_95_percent():
    # n = 20: the classic table gives the 6th and 15th values (coverage 95.86 %).
    assert analysis.median_ranks(20) == (6, 15)
    for n in range(6, 200):
        ranks = analysis.median_ranks(n)
        assert ranks is not None
        low, high = ranks
        coverage = 1 - 2 * stats.binom.cdf(low - 1, n, 0.5)
        assert coverage >= 0.95
        # the next narrower interval would fall short
        assert 1 - 2 * stats.binom.cdf(low, n, 0.5) < 0.95
        assert high == n + 1 - low


def test_analysis_median_interval_needs_six_values():
    assert analysis.median_ranks(5) is None
    interval = analysis.median_interval(np.arange(1.0, 21.0))
    assert interval is not None
    assert (interval.low, interval.high, interval.low_rank, interval.high_rank) == (6.0, 15.0, 6, 15)


def test_analysis_percentile_matches_numpy_linear():
    values = np.sort(np.array([5.0, 1.0, 9.0, 3.0, 7.0, 11.0, 2.0]))

    for p in (10, 25, 50, 75, 90):
        assert analysis.percentile(values, p) == pytest.approx(np.percentile(values, p))


def test_analysis_histogram_has_open_ends():
    values = np.array([1.0, 10.0, 15.0, 20.0, 99.0])

    assert analysis.histogram(values, [10.0, 20.0]) == [1, 2, 2]


def test_analysis_round_edges_are_round_numbers_inside_the_range():
    values = np.sort(np.random.default_rng(3).normal(550_000, 80_000, 1000))

    low, high = analysis.percentile(values, 10), analysis.percentile(values, 90)

    edges = analysis.round_edges(low, high)

    # About six steps between the 10th and 90th percentiles (about 205,000 apart).
    assert edges == [475_000.0 + 25_000.0 * i for i in range(8)]
    assert low < edges[0] < low + 25_000
    assert high - 25_000 < edges[-1] <= high


def test_analysis_round_edges_take_a_finer_step_when_the_coarse_one_misses():
    # One interval of width 0.8 asks for a step of 1, which has no multiple in (41.1, 41.9].
    assert analysis.round_edges(41.1, 41.9, intervals=1) == [41.5]
    assert analysis.round_edges(0.31, 0.36, intervals=2) == [0.325, 0.35]


def test_analysis_round_edges_of_equal_ends_is_that_value():
    assert analysis.round_edges(100.0, 100.0) == [100.0]


# Answers carry at most a few decimals: hundredths from -10^7 to 10^7.
hundredths = st.integers(-10**9, 10**9).map(lambda i: i / 100)


@given(hundredths, hundredths, st.integers(1, 8))
def test_analysis_round_edges_lie_in_the_half_open_range(a, b, intervals):
    low, high = min(a, b), max(a, b)

    edges = analysis.round_edges(low, high, intervals=intervals)

    assert edges == sorted(set(edges))
    assert edges == [high] if low == high else all(low < e <= high for e in edges)
    assert len(edges) <= 2 * intervals + 1


def test_analysis_numbers_drops_missing_and_sorts():
    series = pd.Series([3.0, None, 1.0, 2.0], dtype="Float64")

    assert analysis.numbers(series).tolist() == [1.0, 2.0, 3.0]


def test_analysis_trend_matches_questions_across_waves_with_n():
    definition = frames.definition(12)
    big = wave_results(definition.questions(), frames.frame(definition, 40, seed=1), 5)
    small = wave_results(definition.questions(), frames.frame(definition, 3, seed=2), 5)

    rows = trend([("2026", big), ("2027", small)], "salary")

    assert [(label, n) for label, n, _ in rows] == [("2026", 40), ("2027", 3)]
    assert rows[0][2] is not None
    assert rows[0][2].id == "salary"
    assert rows[1][2] is None  # a wave under k shows nothing, its n only
