"""Span arithmetic over a document's stored (NFC) text.

A span is ``(start, end)`` in code points, end exclusive, ``0 <= start <= end <= length``.
These functions are pure; they know nothing of the database.
"""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]


def clamp(span: Span, length: int) -> Span:
    """The span cut to ``[0, length]``, with start never after end."""
    start = min(max(span[0], 0), length)
    end = min(max(span[1], 0), length)
    return (start, end) if start <= end else (end, start)


def is_empty(span: Span) -> bool:
    return span[1] <= span[0]


def overlaps(a: Span, b: Span) -> bool:
    """True when the spans share at least one character."""
    return max(a[0], b[0]) < min(a[1], b[1])


def adjacent(a: Span, b: Span) -> bool:
    """True when one ends exactly where the other starts (and both hold text)."""
    return not is_empty(a) and not is_empty(b) and (a[1] == b[0] or b[1] == a[0])


def whole(length: int) -> Span:
    return (0, length)


def intersection(a: Span, b: Span) -> Span | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start < end else None


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping, non-adjacent spans covering the same characters."""
    result: list[Span] = []
    for start, end in sorted(s for s in spans if not is_empty(s)):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def covered(spans: Iterable[Span]) -> int:
    """How many characters the spans cover together."""
    return sum(end - start for start, end in merge(spans))


def covered_both(a: Iterable[Span], b: Iterable[Span]) -> int:
    """How many characters both sets of spans cover."""
    left, right = merge(a), merge(b)
    i = j = total = 0
    while i < len(left) and j < len(right):
        both = intersection(left[i], right[j])
        if both:
            total += both[1] - both[0]
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return total


def utf16_to_codepoints(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 offset (as the browser counts) into ``text``.
    An offset inside a surrogate pair goes to the start of that character."""
    units = 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if units + width > offset:
            return index
        units += width
    return len(text)


def codepoints_to_utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2
