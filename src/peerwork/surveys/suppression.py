"""Small-cell suppression for survey results: the one rule every output obeys.

Pure functions over counts, so they can be property-tested by attacking them.
Pages, charts, the PDF, the API and the aggregate exports all read tables built
by ``results_tables``, which calls these functions; nothing else decides what
is shown.

The rule, with *k* the smallest group that may be shown (default 5, raised only):

1. A wave with fewer than *k* responses shows nothing but that it has too few.
2. A line (one question's categories, which add up to a known total) hides every
   count from 1 to k-1, then keeps hiding its smallest shown non-zero count until
   the hidden counts add up to at least *k*: "total minus the shown cells" is
   then a sum over at least *k* people spread over two or more hidden cells.
   Zeros are shown; they describe nobody.
3. A table (question × background variable) has all its margins known, because
   the margins are lines published under rule 2 (their hidden categories are
   merged into one "other" row or column whose total is itself derivable).
   Inside, rule 2 holds for every row and column, and then an audit solves, for
   every hidden cell holding 1 to k-1 people, the smallest and largest value it
   can take given everything shown (a linear programme; a two-way table's
   constraint matrix is totally unimodular, so these bounds are the exact
   integer bounds). If an observer could prove the cell holds between 1 and k-1
   people, more cells are hidden until no such cell remains.
4. A statistic (mean, median, percentile) of a group is shown only when the
   group's count is shown and at least *k*; a percentile (or an end of the
   median's interval) only when at least *k* answers lie at or beyond it on each
   side, so no minimum or maximum, nor a value set by fewer than *k* people at
   an end, is ever published.
5. A histogram of a number question has open ends and round-numbered edges, and
   neighbouring ranges are merged until each holds at least *k* answers, so no
   range is ever hidden and no sum or difference of shown ranges covers 1 to k-1
   people. It is drawn only when the number who answered is shown: the ranges add
   up to it.

Because every table's margins are published values, tables are linked to each
other only through numbers anyone can see; auditing each table alone therefore
covers differencing across tables (the same question under two filters).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

DEFAULT_K = 5


def effective_k(configured: int, requested: int | None = None) -> int:
    """The k to use: never below the default or the configured value, raised on request."""
    return max(DEFAULT_K, configured, requested or 0)


def suppress_line(values: Sequence[int], k: int, *, hidden: Sequence[bool] | None = None,
                  ) -> list[bool]:
    """Which of ``values`` to hide, when their total is shown (rule 2).

    ``hidden`` marks cells that must be hidden already (e.g. by another line).
    If the total itself is under k, every cell is hidden.
    """
    mask = list(hidden) if hidden is not None else [False] * len(values)
    if sum(values) < k:
        return [True] * len(values)
    for i, value in enumerate(values):
        if 0 < value < k:
            mask[i] = True
    _complete_line(values, mask, k)
    return mask


def _complete_line(values: Sequence[int], mask: list[bool], k: int,
                   paired: Sequence[bool] | None = None) -> bool:
    """Hide more cells until this line's hidden cells hold 0 or at least k; True if changed.

    ``paired`` marks positions whose crossing line already hides a cell: hiding
    there first tends to close a rectangle, which protects with fewer cells.
    """
    changed = False
    while True:
        hidden_sum = sum(v for v, h in zip(values, mask, strict=True) if h)
        if hidden_sum == 0 or hidden_sum >= k:
            return changed
        shown = [(not (paired and paired[i]), v, i)
                 for i, (v, h) in enumerate(zip(values, mask, strict=True)) if not h and v > 0]
        if not shown:
            return changed  # every non-zero cell is hidden: nothing left to learn here
        mask[min(shown)[2]] = True
        changed = True


def suppress_table(cells: Sequence[Sequence[int]], k: int) -> list[list[bool]]:
    """Which interior cells of a two-way table to hide, its margins being known (rule 3)."""
    rows = [list(r) for r in cells]
    if not rows or not rows[0]:
        return [[] for _ in rows]
    total = sum(map(sum, rows))
    if total < k:
        return [[True] * len(r) for r in rows]
    mask = [[0 < v < k for v in r] for r in rows]
    while True:
        _complete_lines(rows, mask, k)
        exposed = exposed_cells(rows, mask, k)
        if not exposed:
            return mask
        if not _hide_near(rows, mask, exposed[0]):
            return [[True] * len(r) for r in rows]


def _complete_lines(rows: list[list[int]], mask: list[list[bool]], k: int) -> None:
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(rows):
            columns_hiding = [any(m[j] for r, m in enumerate(mask) if r != i)
                              for j in range(len(row))]
            changed |= _complete_line(row, mask[i], k, columns_hiding)
        for j in range(len(rows[0])):
            column = [row[j] for row in rows]
            column_mask = [m[j] for m in mask]
            rows_hiding = [any(h for c, h in enumerate(m) if c != j) for m in mask]
            if _complete_line(column, column_mask, k, rows_hiding):
                for i, hidden in enumerate(column_mask):
                    mask[i][j] = hidden
                changed = True


def _hide_near(rows: list[list[int]], mask: list[list[bool]], cell: tuple[int, int]) -> bool:
    """Hide one more cell: preferably one that closes a rectangle of hidden cells (its row
    and its column already hide something), else the smallest shown non-zero cell in
    ``cell``'s row or column, else anywhere."""
    i, j = cell
    hiding_rows = {r for r, m in enumerate(mask) if any(m)}
    hiding_columns = {c for c in range(len(rows[0])) if any(m[c] for m in mask)}
    closing = [(rows[r][c], r, c) for r in hiding_rows for c in hiding_columns
               if not mask[r][c] and rows[r][c] > 0]
    if closing:
        _, r, c = min(closing)
        mask[r][c] = True
        return True
    near = [(rows[i][c], i, c) for c in range(len(rows[i])) if not mask[i][c] and rows[i][c] > 0]
    near += [(rows[r][j], r, j) for r in range(len(rows)) if not mask[r][j] and rows[r][j] > 0]
    if not near:
        near = [(v, r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
                if not mask[r][c] and v > 0]
    if not near:
        return False
    _, r, c = min(near)
    mask[r][c] = True
    return True


def cell_bounds(rows: Sequence[Sequence[int]], mask: Sequence[Sequence[bool]],
                cell: tuple[int, int]) -> tuple[float, float]:
    """The least and greatest value a hidden cell can take, given shown cells and margins."""
    hidden = [(i, j) for i, r in enumerate(mask) for j, h in enumerate(r) if h]
    index = {c: n for n, c in enumerate(hidden)}
    equations: list[list[float]] = []
    targets: list[float] = []
    for i, row in enumerate(rows):
        members = [index[(i, j)] for j in range(len(row)) if mask[i][j]]
        if members:
            equations.append([1.0 if n in members else 0.0 for n in range(len(hidden))])
            targets.append(float(sum(v for j, v in enumerate(row) if mask[i][j])))
    for j in range(len(rows[0])):
        members = [index[(i, j)] for i in range(len(rows)) if mask[i][j]]
        if members:
            equations.append([1.0 if n in members else 0.0 for n in range(len(hidden))])
            targets.append(float(sum(rows[i][j] for i in range(len(rows)) if mask[i][j])))
    objective = np.zeros(len(hidden))
    objective[index[cell]] = 1.0
    bounds: list[float] = []
    for sign in (1.0, -1.0):
        result = linprog(sign * objective, A_eq=equations, b_eq=targets,
                         bounds=[(0, None)] * len(hidden), method="highs")
        bounds.append(sign * float(result.fun))
    return bounds[0], bounds[1]


def exposed_cells(rows: Sequence[Sequence[int]], mask: Sequence[Sequence[bool]],
                  k: int) -> list[tuple[int, int]]:
    """Hidden cells an observer could prove hold between 1 and k-1 people."""
    exposed = []
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            # A cell holding 0 can be 0 and one holding k or more can be that: only
            # cells that truly hold 1..k-1 can have bounds that both fall in 1..k-1.
            if not mask[i][j] or not 0 < value < k:
                continue
            low, high = cell_bounds(rows, mask, (i, j))
            if low > 0.5 and high < k - 0.5:
                exposed.append((i, j))
    return exposed


def merge_bins(counts: Sequence[int], k: int) -> list[tuple[int, int]]:
    """Neighbouring bins merged into runs of at least k answers each (rule 5), as
    (start, stop) ranges of positions in ``counts``, left to right.

    A run ends as soon as it holds k; a remainder of fewer than k at the end joins the
    last run. Every bin belongs to exactly one run; [] when all hold fewer than k."""
    runs: list[tuple[int, int]] = []
    start, held = 0, 0
    for position, count in enumerate(counts):
        held += count
        if held >= k:
            runs.append((start, position + 1))
            start, held = position + 1, 0
    if runs and start < len(counts):
        runs[-1] = (runs[-1][0], len(counts))
    return runs


def percentile_shown(n: int, p: float, k: int) -> bool:
    """A percentile over n answers is shown only when at least k answers lie at or below
    the values it is computed from and at least k at or above them: it is never the
    minimum or maximum, nor set by fewer than k people at either end."""
    if n < k:
        return False
    position = p / 100 * (n - 1)
    return int(np.floor(position)) >= k - 1 and int(np.ceil(position)) <= n - k


def ranks_shown(low_rank: int, high_rank: int, n: int, k: int) -> bool:
    """An order-statistic interval (1-based ranks) is shown only when each end has at
    least k answers at or beyond it."""
    return n >= k and low_rank >= k and high_rank <= n - k + 1
