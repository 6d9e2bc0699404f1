"""Suppression attacked by differencing.

The attackers here are written independently of the module: for lines, "total
minus what is shown"; for two-way tables, an exhaustive search over every table
of non-negative integers consistent with what is published; for a question split
by two background variables at once, a linear programme over the three-way table
of people behind both. Each must fail to pin any hidden cell to 1..k-1 people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from peerwork.surveys import analysis, results_tables, suppression
from surveys import frames

K = 5


def test_suppression_k_can_only_be_raised():
    assert suppression.effective_k(3) == 5
    assert suppression.effective_k(5, 2) == 5
    assert suppression.effective_k(5, 8) == 8
    assert suppression.effective_k(10, 6) == 10


def test_suppression_line_hides_small_cell_and_its_complement():
    # 12 - 7 - 2 would reveal the 3; hiding the 2 too leaves "5 people in two cells".
    assert suppression.suppress_line([7, 3, 2], K) == [False, True, True]


def test_suppression_line_hides_the_smallest_shown_cell_when_one_is_hidden():
    assert suppression.suppress_line([20, 9, 1, 30], K) == [False, True, True, False]


def test_suppression_line_shows_zeros_and_large_cells():
    assert suppression.suppress_line([0, 5, 6], K) == [False, False, False]


def test_suppression_line_under_k_hides_everything():
    assert suppression.suppress_line([2, 1, 1], K) == [True, True, True]


@given(st.lists(st.integers(0, 12), min_size=1, max_size=7), st.integers(5, 8))
def test_suppression_line_total_minus_shown_never_reveals_a_small_cell(values, k):
    hidden = suppression.suppress_line(values, k)

    if sum(values) < k:
        assert all(hidden)
        return
    shown_sum = sum(v for v, h in zip(values, hidden, strict=True) if not h)
    remainder = sum(values) - shown_sum  # what an observer computes
    assert remainder == 0 or remainder >= k
    for value, hide in zip(values, hidden, strict=True):
        assert hide or value == 0 or value >= k
    if sum(hidden) == 1:  # a single hidden cell equals the remainder: it must hold ≥ k
        assert remainder >= k


def _feasible_values(rows, mask):
    """Every value each hidden cell takes in some table matching what is published."""
    hidden = [(i, j) for i, r in enumerate(mask) for j, h in enumerate(r) if h]
    row_need = [sum(v for v, h in zip(r, m, strict=True) if h) for r, m in zip(rows, mask, strict=True)]
    col_need = [sum(rows[i][j] for i in range(len(rows)) if mask[i][j]) for j in range(len(rows[0]))]
    seen = {cell: set() for cell in hidden}

    def walk(position, row_left, col_left, chosen):
        if position == len(hidden):
            if not any(row_left) and not any(col_left):
                for cell, value in zip(hidden, chosen, strict=True):
                    seen[cell].add(value)
            return
        i, j = hidden[position]
        for value in range(min(row_left[i], col_left[j]) + 1):
            row_left[i] -= value
            col_left[j] -= value
            walk(position + 1, row_left, col_left, [*chosen, value])
            row_left[i] += value
            col_left[j] += value

    walk(0, row_need, col_need, [])
    return seen


small_tables = st.integers(2, 3).flatmap(lambda r: st.integers(2, 3).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 6), min_size=c, max_size=c), min_size=r, max_size=r)))


@settings(max_examples=150, deadline=None)
@given(small_tables)
def test_suppression_table_no_hidden_cell_can_be_pinned_to_a_small_count(rows):
    # The tables results_tables splits have published margins: each 0 or at least k.
    margins = [sum(r) for r in rows] + [sum(c) for c in zip(*rows, strict=True)]
    assume(all(m == 0 or m >= K for m in margins))
    mask = suppression.suppress_table(rows, K)

    for (i, j), possible in _feasible_values(rows, mask).items():
        assert rows[i][j] in possible
        proven_small = all(0 < v < K for v in possible)
        assert not proven_small, (rows, mask, (i, j), possible)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            assert mask[i][j] or value == 0 or value >= K


def test_suppression_table_classic_rectangle():
    # One small cell forces a rectangle of four hidden cells.
    rows = [[2, 10, 10], [10, 10, 10], [10, 10, 10]]

    mask = suppression.suppress_table(rows, K)

    assert sum(map(sum, mask)) == 4
    assert mask[0][0]
    assert not suppression.exposed_cells(rows, mask, K)


def test_suppression_percentiles_need_k_answers_beyond_them_on_each_side():
    assert not suppression.percentile_shown(8, 50, K)  # the 4th and 5th of 8: 4 above
    assert suppression.percentile_shown(9, 50, K)  # the 5th of 9: 5 at or below, 5 at or above
    assert not suppression.percentile_shown(40, 10, K)  # between the 4th and 5th smallest
    assert suppression.percentile_shown(41, 10, K)  # the 5th smallest
    assert not suppression.percentile_shown(40, 90, K)
    assert suppression.percentile_shown(41, 90, K)
    assert not suppression.ranks_shown(4, 17, 20, K)
    assert suppression.ranks_shown(6, 15, 20, K)


@given(st.integers(1, 300), st.sampled_from([10, 25, 50, 75, 90]), st.integers(5, 10))
def test_suppression_shown_percentile_has_k_answers_on_each_side(n, p, k):
    if not suppression.percentile_shown(n, p, k):
        return
    values = np.arange(n, dtype=float)  # distinct values: the i-th smallest is i
    value = analysis.percentile(values, p)
    assert (values <= np.ceil(value)).sum() >= k
    assert (values >= np.floor(value)).sum() >= k


DEFINITION = frames.definition(12)
QUESTIONS = {q.id: q for q in DEFINITION.questions()}


def _published(frame, k):
    results = results_tables.wave_results(DEFINITION.questions(), frame, k)
    return results, {q.id: q for q in results.questions}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames.small_frame_strategy(DEFINITION))
def test_suppression_wave_tables_shown_cells_and_differences_hold_k(frame):
    results, by_id = _published(frame, K)

    if len(frame) < K:
        assert results.shown is False
        assert results.questions == ()
        return
    for question in results.questions:
        for table in question.tables:
            counts = [c.count for c in table.categories]
            assert all(c is None or c == 0 or c >= K for c in counts)
            remainder = len(frame) - sum(c for c in counts if c is not None)
            assert remainder == 0 or remainder >= K
    salary = by_id["salary"].number
    true_n = int(frame["salary"].notna().sum())
    if true_n < K:
        assert salary.shown is False
        assert salary.mean is None


def _three_way_attack(frame, k):
    """LP over the people behind jd_clear × sector × union, constrained by everything shown."""
    results, by_id = _published(frame, k)
    if not results.shown:
        return []
    jd, sector, union = by_id["jd_clear"].tables[0], by_id["sector"].tables[0], by_id["union"].tables[0]
    cat = {"jd_clear": [c.value for c in jd.categories[:-1]],
           "sector": [c.value for c in sector.categories[:-1]],
           "union": [c.value for c in union.categories[:-1]]}

    def codes(name):
        values = cat[name]
        return np.array([values.index(v) if isinstance(v, str) and v in values else len(values)
                         for v in frame[name].astype("object").where(frame[name].notna(), None)])

    cj, cs, cu = codes("jd_clear"), codes("sector"), codes("union")
    shape = (len(cat["jd_clear"]) + 1, len(cat["sector"]) + 1, len(cat["union"]) + 1)
    truth = np.zeros(shape, dtype=int)
    np.add.at(truth, (cj, cs, cu), 1)
    equations, targets, secrets = [], [], []

    def publish(selector, value, true_value):
        if value is None:
            if 0 < true_value < k:
                secrets.append(selector)
        else:
            equations.append(selector.ravel().astype(float))
            targets.append(float(value))

    def lines(table, axis):
        for index, category in enumerate(table.categories):
            selector = np.zeros(shape, dtype=bool)
            slicer = [slice(None)] * 3
            slicer[axis] = index
            selector[tuple(slicer)] = True
            publish(selector, category.count, int(truth[selector].sum()))

    lines(jd, 0)
    lines(sector, 1)
    lines(union, 2)
    equations.append(np.ones(truth.size))
    targets.append(float(len(frame)))
    for background, axis in ((sector, 1), (union, 2)):
        tab = results_tables.crosstab(frame, jd, background, k)
        if tab is None:
            continue
        row_sets = _category_sets(jd, tab.rows)
        column_sets = _category_sets(background, tab.columns)
        for r, rows_in in enumerate(row_sets):
            for c, columns_in in enumerate(column_sets):
                selector = np.zeros(shape, dtype=bool)
                for a in rows_in:
                    for b in columns_in:
                        if axis == 1:
                            selector[a, b, :] = True
                        else:
                            selector[a, :, b] = True
                publish(selector, tab.cells[r][c], int(truth[selector].sum()))
    exposed = []
    for selector in secrets:
        objective = selector.ravel().astype(float)
        low = linprog(objective, A_eq=equations, b_eq=targets, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=equations, b_eq=targets, bounds=(0, None), method="highs")
        if low.fun > 0.5 and -high.fun < k - 0.5:
            exposed.append((low.fun, -high.fun))
    return exposed


def _category_sets(table, shown):
    """Which of the table's category positions each crosstab row or column covers."""
    values = [c.value for c in table.categories]
    out = []
    for category in shown:
        if category.value == results_tables.OTHER:
            out.append([i for i, c in enumerate(table.categories) if c.count is None])
        else:
            out.append([values.index(category.value)])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames.small_frame_strategy(DEFINITION, max_rows=30))
def test_suppression_same_question_under_two_filters_reveals_no_small_cell(frame):
    assert _three_way_attack(frame, K) == []


def test_suppression_free_text_listed_only_from_k_responses():
    frame = frames.frame(DEFINITION, 4)
    assert results_tables.wave_results(DEFINITION.questions(), frame, K).questions == ()

    frame = frames.frame(DEFINITION, 6)
    results = results_tables.wave_results(DEFINITION.questions(), frame, K)
    texts = results.question("comment").texts
    assert list(texts) == sorted(frame["comment"].dropna().astype(str), key=str.casefold)


def test_suppression_group_statistics_hide_a_small_group_and_its_complement():
    # Arrange: 12 in the municipal sector, 3 in an NGO, 10 in specialist care.
    frame = frames.frame(DEFINITION, 25, missing=0.0)
    frame["sector"] = pd.Series(["municipal"] * 12 + ["ngo"] * 3 + ["specialist"] * 10, dtype="string")
    results = results_tables.wave_results(DEFINITION.questions(), frame, K)
    sector = results.question("sector").tables[0]

    # Act
    groups = results_tables.group_numbers(frame, QUESTIONS["salary"], results.question("salary").number,
                                          sector, K)

    # Assert: the sector line hides the NGO's 3 and then the next smallest group (10),
    # so both are merged into "other": 13 people, shown together, never apart.
    assert groups is not None
    assert [(c.value, c.count, s.shown, s.n) for c, s in groups.groups] == [
        ("municipal", 12, True, 12), (results_tables.OTHER, 13, True, 13)]
