"""Searching the library in English and Norwegian."""

from __future__ import annotations

import pytest

from peerwork.framework.library import DATA_DIR, Element, Library, Source, load


@pytest.fixture(scope="module")
def library() -> Library:
    return load(DATA_DIR)


def element(element_id: str, *, title: str, summary: str) -> Element:
    return Element(id=element_id, structure="stc", parent=None, label="",
                   title={"en": title, "nb": title}, summary={"en": summary, "nb": summary},
                   why={"en": "-", "nb": "-"}, source=Source(document="000", lines="1"),
                   related=(), attributes={})


def ids(library: Library, query: str, language: str) -> list[str]:
    return [e.id for e in library.search(query, language)]


def test_search_english_word_finds_title_hit_first(library: Library) -> None:
    assert ids(library, "buddy", "en") == [
        "precondition.onboarding.senior_buddy",  # "Senior buddy": a title hit
        "precondition.onboarding",  # "... a senior buddy, job coaching ..." in its summary
    ]


def test_search_norwegian_word_finds_title_hit_first(library: Library) -> None:
    assert ids(library, "fadder", "nb") == [
        "precondition.onboarding.senior_buddy",  # "Erfaren fadder"
        "precondition.onboarding",  # "... kontaktperson, erfaren fadder, ..."
    ]


def test_search_norwegian_word_is_not_found_in_english(library: Library) -> None:
    assert ids(library, "fadder", "en") == []


def test_search_folds_case_and_accents_in_the_query(library: Library) -> None:
    assert ids(library, "FÁDDER", "nb") == ids(library, "fadder", "nb")


def test_search_folds_accents_in_the_text() -> None:
    cafe = element("stc.cafe", title="Kafé og samtale", summary="Et møte på kaféen.")
    plain = element("stc.plain", title="Samtale", summary="Et møte på kafeen.")
    library = Library(version="t", documents={}, structures=[],
                      elements={e.id: e for e in (plain, cafe)})

    assert ids(library, "kafe", "nb") == ["stc.cafe", "stc.plain"]  # title hit first
    assert ids(library, "KAFÉEN", "nb") == ["stc.plain", "stc.cafe"]  # text hits: in order
    assert ids(library, "mote", "nb") == []  # ø is a letter of its own, not an accented o


def test_search_keeps_norwegian_letters_distinct(library: Library) -> None:
    found = ids(library, "sårbarhet", "nb")

    assert found != []
    assert ids(library, "sarbarhet", "nb") == []


def test_search_needs_every_word(library: Library) -> None:
    both = set(ids(library, "senior buddy", "en"))

    assert both == set(ids(library, "senior", "en")) & set(ids(library, "buddy", "en"))
    assert ids(library, "buddy zeppelin", "en") == []


def test_search_matches_ids(library: Library) -> None:
    assert ids(library, "hiring_policy.seniority", "nb") == [
        "precondition.hiring_policy.seniority"]


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_search_empty_query_finds_nothing(library: Library, query: str) -> None:
    assert library.search(query, "en") == []
