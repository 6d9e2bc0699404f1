"""Agreement between two analysts' coding of one document.

Measured at the level of characters: each character of the document is one item,
and for a code each analyst either applied it to that character or not. STC meaning
units are free spans, so two analysts never share segment boundaries; counting
characters needs no segmentation to agree on first, and it is what NVivo's coding
comparison reports. Percent agreement counts characters both coded or both left
alone; Cohen's kappa corrects that for the agreement expected by chance.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerwork.qualitative.spans import Span, covered, covered_both


@dataclass(frozen=True)
class Agreement:
    length: int
    first: int  # characters the first analyst coded
    second: int
    both: int
    percent: float  # 0–100
    kappa: float | None  # None when chance agreement is total (nothing, or everything, coded)


def agreement(length: int, first: list[Span], second: list[Span]) -> Agreement:
    """Agreement over a document of ``length`` characters."""
    if length <= 0:
        return Agreement(length, 0, 0, 0, 100.0, None)
    a, b, both = covered(first), covered(second), covered_both(first, second)
    observed = (length - a - b + 2 * both) / length
    pa, pb = a / length, b / length
    expected = pa * pb + (1 - pa) * (1 - pb)
    kappa = None if expected >= 1 else (observed - expected) / (1 - expected)
    return Agreement(length, a, b, both, 100 * observed, kappa)
