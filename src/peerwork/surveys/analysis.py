"""Descriptive statistics over a wave's answers, before any suppression.

Pure functions over the wide frame of SURVEYS_CONTRACT.md (one row per submitted
response, one column per answer variable). Nothing here decides what may be
shown: ``suppression`` and ``results_tables`` do that, and every output reads
their result, never these numbers directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95
MISSING = "__missing__"  # the category of respondents who gave no answer


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class OrderInterval(Interval):
    """A confidence interval whose ends are order statistics (1-based ranks)."""

    low_rank: int
    high_rank: int


def counts(series: pd.Series, categories: Sequence[str]) -> list[int]:
    """How many respondents gave each category, then how many gave none (last).

    Values outside ``categories`` count as missing: a frame is never trusted to
    hold only the choices the definition allows.
    """
    present = series.dropna()
    tally = present.astype(str).value_counts()
    row = [int(tally.get(c, 0)) for c in categories]
    row.append(int(len(series) - sum(row)))
    return row


def choice_counts(series: pd.Series) -> list[int]:
    """A multiple-choice option's column: [chosen, not chosen, not answered]."""
    present = series.dropna()
    chosen = int(present.astype(bool).sum())
    return [chosen, int(len(present) - chosen), int(len(series) - len(present))]


def crosstab(rows: pd.Series, row_categories: Sequence[str], columns: pd.Series,
             column_categories: Sequence[str]) -> list[list[int]]:
    """Counts of row category × column category, each with a trailing "missing".

    The result has len(row_categories)+1 rows and len(column_categories)+1 columns.
    """
    row_codes = codes(rows, row_categories)
    column_codes = codes(columns, column_categories)
    width = len(column_categories) + 1
    flat = np.bincount(row_codes * width + column_codes,
                       minlength=(len(row_categories) + 1) * width)
    return flat.reshape(len(row_categories) + 1, width).astype(int).tolist()


def codes(series: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Each value's index in ``categories``, or len(categories) for missing/unknown."""
    if series.dtype == bool or str(series.dtype) == "boolean":
        series = series.map({True: "true", False: "false"}, na_action="ignore")
    categorical = pd.Categorical(series.astype("object"), categories=list(categories))
    found = np.array(categorical.codes, dtype=np.int64)
    found[found < 0] = len(categories)
    return found


def numbers(series: pd.Series) -> np.ndarray:
    """The answered values of a number question, sorted ascending."""
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    values.sort()
    return values


def mean_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> Interval | None:
    """Student's t interval for the mean; None with fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    mean = float(values.mean())
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * float(values.std(ddof=1)) / math.sqrt(n)
    return Interval(mean - half, mean + half)


def median_ranks(n: int, confidence: float = CONFIDENCE) -> tuple[int, int] | None:
    """1-based ranks (j, n+1-j) of the distribution-free interval for the median.

    The number of values below the median is Binomial(n, 1/2), so the interval
    between the j-th and (n+1-j)-th smallest value covers the median with
    probability 1 - 2·P(B ≤ j-1). We take the largest j that keeps at least
    ``confidence``; with too few values no such j exists.
    """
    if n < 1:
        return None
    alpha = 1 - confidence
    # P(B <= j-1) <= alpha/2  <=>  j-1 <= ppf-ish; search downward from the ppf.
    j = int(stats.binom.ppf(alpha / 2, n, 0.5))
    while j >= 1 and 2 * float(stats.binom.cdf(j - 1, n, 0.5)) > alpha:
        j -= 1
    if j < 1:
        return None
    return j, n + 1 - j


def median_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> OrderInterval | None:
    """The order-statistic confidence interval for the median of sorted ``values``."""
    ranks = median_ranks(len(values), confidence)
    if ranks is None:
        return None
    low, high = ranks
    return OrderInterval(float(values[low - 1]), float(values[high - 1]), low, high)


def percentile_position(n: int, p: float) -> tuple[int, int]:
    """The 0-based indices of the two sorted values the p-th percentile lies between."""
    position = p / 100 * (n - 1)
    return math.floor(position), math.ceil(position)


def percentile(values: np.ndarray, p: float) -> float:
    """Linear interpolation between order statistics (numpy's default, Hyndman–Fan 7)."""
    low, high = percentile_position(len(values), p)
    fraction = p / 100 * (len(values) - 1) - low
    return float(values[low] + (values[high] - values[low]) * fraction)


def histogram(values: np.ndarray, edges: Sequence[float]) -> list[int]:
    """Counts in open-ended bins: below edges[0], [edges[i], edges[i+1]), and edges[-1] or more.

    Open ends mean no bin boundary sits on, or reveals, the smallest or largest answer.
    """
    bounds = np.concatenate(([-np.inf], np.asarray(edges, dtype=float), [np.inf]))
    positions = np.searchsorted(bounds, values, side="right") - 1
    return np.bincount(positions, minlength=len(bounds) - 1).astype(int).tolist()


ROUND_STEPS = (1.0, 2.0, 2.5, 5.0)  # times a power of ten


def _round_step(size: float, *, at_most: bool = False) -> float:
    """The round step nearest ``size`` (by ratio), or the largest at most ``size``."""
    magnitude = 10.0 ** math.floor(math.log10(size))
    ladder = [m * magnitude for m in (*ROUND_STEPS, 10.0)]
    if at_most:
        return max(step for step in ladder if step <= size)
    return min(ladder, key=lambda step: abs(math.log(step / size)))


def round_edges(low: float, high: float, *, intervals: int = 6) -> list[float]:
    """Round numbers in (low, high], about (high - low) / ``intervals`` apart: multiples
    of 1, 2, 2.5 or 5 times a power of ten; a finer step when that one has no multiple
    there. Just ``[high]`` when the two are equal."""
    if high <= low:
        return [float(high)]
    for step in (_round_step((high - low) / max(1, intervals)),
                 _round_step(high - low, at_most=True)):
        first, last = math.floor(low / step) + 1, math.floor(high / step)
        if last >= first:
            digits = max(0, 1 - math.floor(math.log10(step)))  # 2.5e-3 needs 4 decimals
            return [round(i * step, digits) for i in range(first, last + 1)]
    raise AssertionError("a step no longer than high - low has a multiple in (low, high]")
