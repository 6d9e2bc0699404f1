"""Span arithmetic and UTF-16 conversion, with property tests over awkward Unicode."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from peerwork.qualitative import spans

PIECES = [*"abc æøåÆØÅ\n", "👩🏽‍⚕️", "🙂", "e\u0301", "a\u030a", "\u200d", "𝔘"]
AWKWARD = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
span_st = st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda t: (min(t), max(t)))


def brute(spans_: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans_ for i in range(s, e)}


@given(st.lists(span_st, max_size=8))
def test_spans_merge_covers_the_same_characters(items):
    merged = spans.merge(items)
    assert brute(merged) == brute(items)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))
    assert spans.covered(items) == len(brute(items))


@given(st.lists(span_st, max_size=6), st.lists(span_st, max_size=6))
def test_spans_covered_both_is_the_intersection(a, b):
    assert spans.covered_both(a, b) == len(brute(a) & brute(b))


@given(span_st, span_st)
def test_spans_overlap_and_adjacency(a, b):
    assert spans.overlaps(a, b) == bool(brute([a]) & brute([b]))
    if spans.adjacent(a, b):
        assert not spans.overlaps(a, b)
        assert spans.merge([a, b]) == [(min(a[0], b[0]), max(a[1], b[1]))]


@given(AWKWARD, st.integers(-10, 200), st.integers(-10, 200))
def test_spans_clamp_stays_inside_the_text(text, start, end):
    s, e = spans.clamp((start, end), len(text))
    assert 0 <= s <= e <= len(text)


@given(AWKWARD)
def test_spans_whole_document_covers_every_character(text):
    assert spans.covered([spans.whole(len(text))]) == len(text)
    assert spans.overlaps(spans.whole(len(text)), (0, 1)) == (len(text) > 0)


@given(AWKWARD, st.data())
def test_spans_utf16_round_trip(text, data):
    text = unicodedata.normalize("NFC", text)
    index = data.draw(st.integers(0, len(text)))
    utf16 = spans.codepoints_to_utf16(text, index)
    assert utf16 == len(text[:index].encode("utf-16-le")) // 2
    assert spans.utf16_to_codepoints(text, utf16) == index


def test_spans_utf16_inside_a_surrogate_pair_goes_to_the_character_start():
    text = "a🙂b"  # 🙂 is two UTF-16 units: offsets 1 and 2
    assert spans.utf16_to_codepoints(text, 2) == 1
    assert spans.utf16_to_codepoints(text, 3) == 2
    assert spans.codepoints_to_utf16(text, 3) == 4
