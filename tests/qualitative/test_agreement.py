"""Cohen's kappa and percent agreement, character by character, against hand computation."""

from __future__ import annotations

import pytest

from peerwork.qualitative.agreement import agreement


def test_agreement_hand_computed_example():
    # 100 characters; A codes 0–40, B codes 20–60. Both: 20; neither: 40; agree 60/100.
    # pA = pB = 0.4; pe = 0.16 + 0.36 = 0.52; kappa = (0.6 − 0.52) / 0.48 = 1/6.
    result = agreement(100, [(0, 40)], [(20, 60)])
    assert (result.first, result.second, result.both) == (40, 40, 20)
    assert result.percent == pytest.approx(60.0)
    assert result.kappa == pytest.approx(1 / 6)


def test_agreement_identical_coding_is_perfect():
    result = agreement(50, [(10, 20), (30, 35)], [(30, 35), (10, 20)])
    assert result.percent == 100.0
    assert result.kappa == pytest.approx(1.0)


def test_agreement_disjoint_coding_is_below_chance():
    # A 0–50, B 50–100 of 100: po = 0; pe = 0.25 + 0.25 = 0.5; kappa = −1.
    result = agreement(100, [(0, 50)], [(50, 100)])
    assert result.percent == 0.0
    assert result.kappa == pytest.approx(-1.0)


def test_agreement_overlapping_spans_of_one_analyst_count_once():
    result = agreement(10, [(0, 5), (3, 8)], [(0, 8)])
    assert result.first == 8
    assert result.kappa == pytest.approx(1.0)


def test_agreement_nothing_coded_has_no_kappa():
    result = agreement(10, [], [])
    assert result.percent == 100.0
    assert result.kappa is None
