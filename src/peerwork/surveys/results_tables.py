"""A wave's results as suppressed tables: what every output of survey results reads.

``wave_results`` turns a definition's questions and a wave's frame into frozen,
picklable objects in which every count, percentage and statistic that rule 1–4
of ``suppression`` withholds is already None. Pages, charts, the PDF, the API,
the aggregate exports and "where do I stand" read these objects only. Labels
stay bilingual ({"en": …, "nb": …}) so one cached result serves both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from peerwork.surveys import analysis, suppression
from peerwork.surveys.definition import Question as QuestionLike

Text = dict[str, str]
OTHER = "__other__"  # categories hidden in a margin, merged into one row or column
MISSING = analysis.MISSING
PERCENTILES = (10, 25, 50, 75, 90)
CHOICE_TYPES = frozenset({"single", "likert"})
TEXT_TYPES = frozenset({"text", "longtext"})
BIN_INTERVALS = 6  # about this many round-numbered steps between a histogram's open ends
MULTIPLE_LABELS = {"true": {"en": "Chosen", "nb": "Valgt"},
                   "false": {"en": "Not chosen", "nb": "Ikke valgt"}}


@dataclass(frozen=True)
class Category:
    value: str  # a choice value, MISSING, or OTHER
    label: Text
    count: int | None  # None when suppressed
    percent: float | None


@dataclass(frozen=True)
class FrequencyTable:
    """One answer variable's categories: a single/likert question, a matrix row or a choice."""

    variable: str
    label: Text  # the variable's own label (matrix row, choice); the question's otherwise
    categories: tuple[Category, ...]  # the last one is MISSING
    base: int | None  # what percentages are of: those who answered, or everyone
    base_is_answered: bool

    @property
    def shown(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.value != MISSING)

    @property
    def missing(self) -> Category:
        return self.categories[-1]


@dataclass(frozen=True)
class NumberSummary:
    n: int | None  # how many answered; None when that split is hidden
    shown: bool  # statistics shown at all (n ≥ k)
    mean: float | None = None
    mean_low: float | None = None
    mean_high: float | None = None
    sd: float | None = None
    median: float | None = None
    median_low: float | None = None
    median_high: float | None = None
    percentiles: tuple[tuple[int, float | None], ...] = ()
    # Ranges (from, up to but not including, count), open at both ends; every count ≥ k.
    bins: tuple[tuple[float | None, float | None, int], ...] = ()
    # Why there are no ranges: "hidden" (the number who answered is, and the ranges would
    # add up to it), "few" (under 2k answered: two ranges of k), "alike" (no round edge
    # parts the answers into ranges of k), or "" (ranges shown, or not asked for).
    no_bins: str = ""


@dataclass(frozen=True)
class QuestionResult:
    id: str
    type: str
    label: Text
    unit: str | None
    background: bool
    match: str
    tables: tuple[FrequencyTable, ...] = ()
    number: NumberSummary | None = None
    texts: tuple[str, ...] = ()  # free text, never with any background variable
    text_count: int = 0  # how many free-text answers there are (texts may list fewer)


@dataclass(frozen=True)
class WaveResults:
    k: int
    respondents: int
    shown: bool  # False: fewer than k responses, nothing else may be shown
    questions: tuple[QuestionResult, ...] = ()

    def question(self, question_id: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def by_match(self, match: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.match == match), None)


@dataclass(frozen=True)
class Crosstab:
    """A question's variable by a background question's groups, suppressed (rule 3)."""

    variable: str
    label: Text
    background: str
    rows: tuple[Category, ...]  # margins: counts per row category (percent unused)
    columns: tuple[Category, ...]  # margins: counts per group
    cells: tuple[tuple[int | None, ...], ...]
    percents: tuple[tuple[float | None, ...], ...]  # of the column's total
    total: int


@dataclass(frozen=True)
class GroupNumbers:
    """A number question's statistics per group of a background question."""

    question: str
    background: str
    groups: tuple[tuple[Category, NumberSummary], ...]


def _percent(count: int | None, base: int | None) -> float | None:
    if count is None or not base:
        return None
    return 100.0 * count / base


def line_table(variable: str, label: Text, values: Sequence[str], labels: Sequence[Text],
               counted: Sequence[int], k: int) -> FrequencyTable:
    """A suppressed line: ``counted`` has one count per value and then the missing count."""
    hidden = suppression.suppress_line(counted, k)
    missing_hidden = hidden[-1]
    answered = sum(counted[:-1])
    base = answered if not missing_hidden else sum(counted)
    categories = []
    for value, text, count, hide in zip([*values, MISSING], [*labels, {}], counted, hidden,
                                        strict=True):
        shown_count = None if hide else count
        percent = None if value == MISSING and not missing_hidden else _percent(shown_count, base)
        categories.append(Category(value, dict(text), shown_count, percent))
    return FrequencyTable(variable=variable, label=dict(label), categories=tuple(categories),
                          base=base, base_is_answered=not missing_hidden)


def _question_tables(question: QuestionLike, frame: pd.DataFrame, k: int) -> tuple[FrequencyTable, ...]:
    values = [v for v, _ in question.choices]
    labels = [t for _, t in question.choices]
    if question.type in CHOICE_TYPES:
        return (line_table(question.id, question.label_text, values, labels,
                           analysis.counts(frame[question.id], values), k),)
    if question.type == "matrix":
        return tuple(
            line_table(f"{question.id}__{row.id}", row.label, values, labels,
                       analysis.counts(frame[f"{question.id}__{row.id}"], values), k)
            for row in question.rows)
    if question.type == "multiple":
        return tuple(
            line_table(f"{question.id}__{value}", text, ["true", "false"],
                       [MULTIPLE_LABELS["true"], MULTIPLE_LABELS["false"]],
                       analysis.choice_counts(frame[f"{question.id}__{value}"]), k)
            for value, text in question.choices)
    return ()


def histogram_bins(values: np.ndarray, k: int,
                   ) -> tuple[tuple[tuple[float | None, float | None, int], ...], str]:
    """Ranges of sorted ``values`` that each hold at least k answers (rule 5), or () and
    the reason there are none. Round edges are laid between the 10th and 90th
    percentile, or between the k-th smallest and k-th largest answer when those lie
    further in; then neighbouring ranges are merged until each holds k."""
    n = len(values)
    if n < 2 * k:
        return (), "few"
    low = max(float(values[k - 1]), analysis.percentile(values, 10))
    high = min(float(values[n - k]), analysis.percentile(values, 90))
    intervals = max(1, min(BIN_INTERVALS, n // k - 1))
    edges = analysis.round_edges(low, high, intervals=intervals)
    counted = analysis.histogram(values, edges)
    runs = suppression.merge_bins(counted, k)
    if len(runs) < 2:
        return (), "alike"
    bounds: list[float | None] = [None, *edges, None]
    return tuple((bounds[start], bounds[stop], sum(counted[start:stop]))
                 for start, stop in runs), ""


def number_summary(values: np.ndarray, missing: int, k: int, *, bins: bool = True) -> NumberSummary:
    """Statistics of sorted ``values``, as far as rules 4 and 5 allow."""
    n = len(values)
    hidden = suppression.suppress_line([n, missing], k)
    shown_n = None if hidden[0] else n
    if n < k:
        return NumberSummary(n=shown_n, shown=False)
    mean_ci = analysis.mean_interval(values)
    median_ci = analysis.median_interval(values)
    median_ok = suppression.percentile_shown(n, 50, k)
    ci_ok = median_ci is not None and suppression.ranks_shown(median_ci.low_rank,
                                                              median_ci.high_rank, n, k)
    percentiles = tuple((p, analysis.percentile(values, p) if suppression.percentile_shown(n, p, k)
                         else None) for p in PERCENTILES)
    bin_rows: tuple[tuple[float | None, float | None, int], ...] = ()
    no_bins = ""
    if bins and shown_n is None:
        no_bins = "hidden"  # the ranges would add up to the hidden number who answered
    elif bins:
        bin_rows, no_bins = histogram_bins(values, k)
    return NumberSummary(
        n=shown_n, shown=True, mean=float(values.mean()),
        mean_low=mean_ci.low if mean_ci else None, mean_high=mean_ci.high if mean_ci else None,
        sd=float(values.std(ddof=1)) if n > 1 else None,
        median=analysis.percentile(values, 50) if median_ok else None,
        median_low=median_ci.low if ci_ok and median_ci else None,
        median_high=median_ci.high if ci_ok and median_ci else None,
        percentiles=percentiles, bins=bin_rows, no_bins=no_bins)


def _number(question: QuestionLike, frame: pd.DataFrame, k: int) -> NumberSummary:
    column = frame[question.id]
    if question.type == "date":
        column = pd.to_datetime(column.astype("object"), errors="coerce").dt.year
    values = analysis.numbers(column)
    return number_summary(values, len(column) - len(values), k, bins=question.type == "number")


def _texts(question: QuestionLike, frame: pd.DataFrame) -> tuple[str, ...]:
    column = frame[question.id].dropna().astype(str).str.strip()
    # Sorted, so the list says nothing about the order in which people answered.
    return tuple(sorted((t for t in column if t), key=str.casefold))


def wave_results(questions: Sequence[QuestionLike], frame: pd.DataFrame, k: int) -> WaveResults:
    """Every question's suppressed results for one wave (rules 1, 2 and 4)."""
    respondents = len(frame)
    if respondents < k:
        return WaveResults(k=k, respondents=respondents, shown=False)
    results = []
    for q in questions:
        common: dict[str, Any] = {"id": q.id, "type": q.type, "label": dict(q.label_text),
                                  "unit": q.unit, "background": q.background, "match": q.match}
        if q.type in ("number", "date"):
            results.append(QuestionResult(**common, number=_number(q, frame, k)))
        elif q.type in TEXT_TYPES:
            texts = _texts(q, frame)
            results.append(QuestionResult(**common, texts=texts, text_count=len(texts)))
        else:
            results.append(QuestionResult(**common, tables=_question_tables(q, frame, k)))
    return WaveResults(k=k, respondents=respondents, shown=True, questions=tuple(results))


def with_texts_capped(results: WaveResults, limit: int) -> WaveResults:
    """The same results listing at most ``limit`` free-text answers per question."""
    return replace(results, questions=tuple(replace(q, texts=q.texts[:limit])
                                            for q in results.questions))


def _merged(table: FrequencyTable) -> tuple[list[Category], dict[str, int]]:
    """The margin's categories as shown, hidden ones merged into OTHER; value → position."""
    shown = [c for c in table.categories if c.count]
    hidden = [c for c in table.categories if c.count is None]
    position = {c.value: i for i, c in enumerate(shown)}
    if hidden:
        for c in hidden:
            position[c.value] = len(shown)
        shown.append(Category(OTHER, {}, None, None))
    return shown, position


def _codes(series: pd.Series, table: FrequencyTable, position: dict[str, int]) -> np.ndarray:
    values = [c.value for c in table.categories[:-1]]
    raw = analysis.codes(series, values)  # len(values) stands for missing
    lookup = np.array([position.get(v, -1) for v in [*values, MISSING]])
    return lookup[raw]


def crosstab(frame: pd.DataFrame, table: FrequencyTable, background: FrequencyTable,
             k: int) -> Crosstab | None:
    """``table``'s variable by ``background``'s groups; None when there is nothing to split."""
    rows, row_pos = _merged(table)
    columns, column_pos = _merged(background)
    if len(columns) < 2 or not rows:
        return None
    row_codes = _codes(frame[table.variable], table, row_pos)
    column_codes = _codes(frame[background.variable], background, column_pos)
    keep = (row_codes >= 0) & (column_codes >= 0)
    flat = np.bincount(row_codes[keep] * len(columns) + column_codes[keep],
                       minlength=len(rows) * len(columns))
    cells = flat.reshape(len(rows), len(columns)).astype(int).tolist()
    row_totals = [sum(r) for r in cells]
    column_totals = [sum(r[j] for r in cells) for j in range(len(columns))]
    rows = [Category(c.value, c.label, t, None) for c, t in zip(rows, row_totals, strict=True)]
    columns = [Category(c.value, c.label, t, None) for c, t in zip(columns, column_totals,
                                                                   strict=True)]
    mask = suppression.suppress_table(cells, k)
    shown = tuple(tuple(None if h else v for v, h in zip(r, m, strict=True))
                  for r, m in zip(cells, mask, strict=True))
    percents = tuple(tuple(_percent(v, column_totals[j]) for j, v in enumerate(r)) for r in shown)
    return Crosstab(variable=table.variable, label=dict(table.label),
                    background=background.variable, rows=tuple(rows), columns=tuple(columns),
                    cells=shown, percents=percents, total=len(frame))


def group_numbers(frame: pd.DataFrame, question: QuestionLike, number: NumberSummary,
                  background: FrequencyTable, k: int) -> GroupNumbers | None:
    """A number question's statistics per background group, where rule 3 and 4 allow."""
    if number.n is None or not number.shown:
        return None  # the answered/missing split is hidden, so group counts cannot be audited
    columns, column_pos = _merged(background)
    if len(columns) < 2:
        return None
    values = pd.to_numeric(frame[question.id], errors="coerce").to_numpy(dtype=float,
                                                                        na_value=np.nan)
    answered = np.isfinite(values)
    column_codes = _codes(frame[background.variable], background, column_pos)
    cells = [[int(((column_codes == j) & answered).sum()) for j in range(len(columns))],
             [int(((column_codes == j) & ~answered).sum()) for j in range(len(columns))]]
    mask = suppression.suppress_table(cells, k)
    groups = []
    for j, column in enumerate(columns):
        group_values = np.sort(values[(column_codes == j) & answered])
        if mask[0][j] or len(group_values) < k:
            summary = NumberSummary(n=None, shown=False)
        else:
            summary = number_summary(group_values, 0, k, bins=False)
            summary = NumberSummary(**{**summary.__dict__, "percentiles": ()})
        groups.append((Category(column.value, column.label, cells[0][j] + cells[1][j], None),
                       summary))
    return GroupNumbers(question=question.id, background=background.variable, groups=tuple(groups))


def trend(waves: Sequence[tuple[str, WaveResults]],
          match: str) -> list[tuple[str, int, QuestionResult | None]]:
    """One matched question across waves: (wave label, responses, its result or None)."""
    return [(label, results.respondents, results.by_match(match) if results.shown else None)
            for label, results in waves]
