"""Scores, perception gaps and small-cell suppression for an assessment round.

Pure functions over plain data, so they can be property-tested and reused by
pages, the API, exports and PDFs alike.

Suppression, the rule that differencing cannot undo:

1. Groups. Positions (manager, colleague, peer worker) are merged, smallest
   first, until every group has at least *k* respondents. If that leaves one
   group, only "all respondents" is shown.
2. Cells. For each element, a group's cell counts the respondents who gave it at
   least one scored answer; a cell under *k* is hidden. If the hidden cells of an
   element together hold fewer than *k* respondents, more cells are hidden
   (smallest first) until they hold at least *k*, because "all respondents"
   minus the shown cells equals the hidden ones.
3. Totals. "All respondents" under *k* hides the whole element.

So every figure shown, and every difference between figures shown for the same
element, covers at least *k* people.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALL = "all"
GAP_THRESHOLD = 1.0  # points on a 1–5 scale; smaller differences are not flagged


@dataclass(frozen=True)
class ResponseData:
    """One respondent's answers: item id → value, or None for "don't know"."""

    position: str
    answers: Mapping[str, int | None]


@dataclass(frozen=True)
class Cell:
    group: str  # "all", or positions joined with "+", e.g. "manager+colleague"
    n: int | None  # None when suppressed: how many answered is itself an answer
    mean: float | None
    sd: float | None
    suppressed: bool


@dataclass(frozen=True)
class ElementScore:
    element_id: str
    total: Cell
    groups: tuple[Cell, ...]
    gap: float | None  # largest difference between shown group means
    gap_between: tuple[str, str] | None  # (lowest group, highest group)

    @property
    def has_gap(self) -> bool:
        return self.gap is not None and self.gap >= GAP_THRESHOLD


@dataclass(frozen=True)
class RoundScores:
    k: int
    respondents: int
    group_keys: tuple[str, ...]
    elements: tuple[ElementScore, ...] = field(default_factory=tuple)

    def weakest_first(self) -> list[ElementScore]:
        """Elements with a shown total, lowest mean first; ties by id for stable output."""
        shown = [e for e in self.elements if not e.total.suppressed and e.total.mean is not None]
        return sorted(shown, key=lambda e: (e.total.mean, e.element_id))


def group_key(positions: Iterable[str]) -> str:
    return "+".join(sorted(positions))


def merge_groups(counts: Mapping[str, int], k: int) -> list[tuple[str, ...]]:
    """Partition the positions that have respondents into groups of at least ``k``.

    Returns [] when the groups cannot be shown apart (one group, or too few people).
    """
    cells = sorted(([p] for p, n in counts.items() if n > 0), key=lambda c: (counts[c[0]], c[0]))
    sizes = {tuple(c): counts[c[0]] for c in cells}
    groups = [tuple(c) for c in cells]
    while len(groups) > 1:
        groups.sort(key=lambda g: (sizes[g], g))
        smallest = groups[0]
        if sizes[smallest] >= k:
            break
        merged = tuple(sorted(smallest + groups[1]))
        sizes[merged] = sizes[smallest] + sizes[groups[1]]
        groups = [merged, *groups[2:]]
    if len(groups) < 2:
        return []
    return sorted(groups)


def respondent_element_score(answers: Mapping[str, int | None],
                             items: Sequence[str]) -> float | None:
    """A respondent's score on one element: the mean of their scored answers to its items."""
    values = [v for item in items if (v := answers.get(item)) is not None]
    return statistics.fmean(values) if values else None


def _cell(group: str, values: list[float]) -> Cell:
    n = len(values)
    mean = statistics.fmean(values) if values else None
    sd = statistics.stdev(values) if n > 1 else (0.0 if n == 1 else None)
    return Cell(group=group, n=n, mean=mean, sd=sd, suppressed=False)


def _hide(cell: Cell) -> Cell:
    return Cell(group=cell.group, n=None, mean=None, sd=None, suppressed=True)


def suppress(total: Cell, groups: list[Cell], k: int) -> tuple[Cell, list[Cell]]:
    """Apply rules 2 and 3 of the module docstring to one element."""
    size = {c.group: c.n or 0 for c in groups}
    if (total.n or 0) < k:
        return _hide(total), [_hide(c) for c in groups]
    hidden = {g for g, n in size.items() if n < k}
    hidden_n = sum(size[g] for g in hidden)
    for cell in sorted(groups, key=lambda c: (size[c.group], c.group)):
        if not hidden or hidden_n >= k or hidden_n == 0:
            break
        if cell.group not in hidden:
            hidden.add(cell.group)
            hidden_n += size[cell.group]
    return total, [_hide(c) if c.group in hidden else c for c in groups]


def score_round(responses: Sequence[ResponseData], element_items: Mapping[str, Sequence[str]],
                k: int) -> RoundScores:
    """Score every element of ``element_items`` (element id → item ids measuring it)."""
    counts: dict[str, int] = {}
    for response in responses:
        counts[response.position] = counts.get(response.position, 0) + 1
    groups = merge_groups(counts, k)
    group_of = {p: group_key(g) for g in groups for p in g}
    keys = tuple(group_key(g) for g in groups)
    scores = []
    for element_id, items in element_items.items():
        all_values: list[float] = []
        by_group: dict[str, list[float]] = {key: [] for key in keys}
        for response in responses:
            value = respondent_element_score(response.answers, items)
            if value is None:
                continue
            all_values.append(value)
            if response.position in group_of:
                by_group[group_of[response.position]].append(value)
        total, cells = suppress(_cell(ALL, all_values),
                                [_cell(key, by_group[key]) for key in keys], k)
        shown = [c for c in cells if not c.suppressed and c.mean is not None]
        gap, between = None, None
        if len(shown) >= 2:
            low = min(shown, key=lambda c: (c.mean, c.group))
            high = max(shown, key=lambda c: (c.mean, c.group))
            assert low.mean is not None
            assert high.mean is not None
            gap, between = high.mean - low.mean, (low.group, high.group)
        scores.append(ElementScore(element_id=element_id, total=total, groups=tuple(cells),
                                   gap=gap, gap_between=between))
    return RoundScores(k=k, respondents=len(responses), group_keys=keys, elements=tuple(scores))
