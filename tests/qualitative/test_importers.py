"""Reading uploads: every format, and clear refusals of what cannot be read."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.qualitative.conftest import TRANSCRIPT_VTT
from tests.qualitative.files import blank_pdf_bytes, docx_bytes, odt_bytes, text_pdf_bytes

from peerwork.qualitative.importers import ImportFailed, extract, survey_documents


def test_importers_plain_text_is_stored_nfc_with_unix_line_ends():
    decomposed = "Bla\u030aba\u0308r\r\nlinje 2"
    kind, extracted = extract("notat.txt", decomposed.encode())
    assert kind == "text"
    assert extracted.text == unicodedata.normalize("NFC", "Bla\u030aba\u0308r\nlinje 2")
    assert "\u030a" not in extracted.text


def test_importers_docx_and_odt_keep_paragraphs():
    docx_text = extract("a.docx", docx_bytes(["Første avsnitt", "Andre 🙂"]))[1].text
    assert docx_text == "Første avsnitt\nAndre 🙂"
    assert extract("a.odt", odt_bytes(["Første avsnitt", "Andre æøå"]))[1].text == "Første avsnitt\nAndre æøå"


def test_importers_text_pdf_is_read():
    _kind, extracted = extract("a.pdf", text_pdf_bytes("Erfaringskonsulenten deltok i møtet"))
    assert "Erfaringskonsulenten deltok" in extracted.text


def test_importers_scanned_pdf_is_refused_clearly():
    with pytest.raises(ImportFailed, match="no text"):
        extract("scan.pdf", blank_pdf_bytes())


def test_importers_vtt_speaker_turns_are_merged():
    _kind, extracted = extract("g.vtt", TRANSCRIPT_VTT.encode())
    assert [who for who, _said in extracted.turns] == ["Kari Nordmann", "Ola Hansen"]
    assert extracted.turns[0][1] == ("Vi ble sett på som likeverdige 👩🏽‍⚕️ i teamet. "
                                     "Det tok tid å finne rollen.")


def test_importers_srt_speaker_prefix_is_read():
    srt = ("1\n00:00:00,000 --> 00:00:02,000\nKari: Hei alle\n\n"
           "2\n00:00:02,000 --> 00:00:03,000\nOla: Hei\n")
    _kind, extracted = extract("g.srt", srt.encode())
    assert extracted.turns == [("Kari", "Hei alle"), ("Ola", "Hei")]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.exe", b"MZ", "reads"),
    ("a.docx", b"not a zip", "not a valid"),
    ("a.odt", b"PK\x03\x04broken", "not a valid|could not be opened"),
    ("a.pdf", b"%PDF-1.4 garbage", "could not be read|no text"),
    ("a.vtt", b"not webvtt at all", "could not be read"),
    ("a.txt", b"   ", "no text"),
    ("a.txt", b"x" * (20 * 1024 * 1024 + 1), "20 MB"),
])
def test_importers_bad_files_fail_with_a_message(name, data, message):
    with pytest.raises(ImportFailed, match=message):
        extract(name, data)


def test_importers_survey_attributes_below_k_are_suppressed_and_pooled():
    answers = ([(f"svar {i}", {"stilling": "leder"}) for i in range(6)]
               + [(f"svar {i}", {"stilling": "kollega"}) for i in range(5)]
               + [("svar x", {"stilling": "erfaringskonsulent"}), ("  ", {"stilling": "leder"})])
    documents = survey_documents(answers, k=5)
    # The blank answer is dropped; the single peer worker cannot be told apart: the
    # pool of answers without the attribute (1) is below k, so the smallest shown
    # value (kollega, 5) joins it.
    assert len(documents) == 12
    assert [d.attributes for d in documents].count({"stilling": "leder"}) == 6
    assert [d.attributes for d in documents].count({}) == 6


def test_importers_survey_attributes_at_k_are_kept():
    answers = [(f"a{i}", {"kjønn": "k" if i < 5 else "m"}) for i in range(10)]
    documents = survey_documents(answers, k=5)
    assert sorted(d.attributes["kjønn"] for d in documents) == ["k"] * 5 + ["m"] * 5


def test_importers_survey_attributes_never_combine_into_a_small_group():
    # Each attribute alone has groups of 5 or more, but only one voluntary-sector
    # worker is in the north.
    answers = ([(f"a{i}", {"sector": "public", "region": "south"}) for i in range(9)]
               + [(f"b{i}", {"sector": "ngo", "region": "south"}) for i in range(4)]
               + [(f"c{i}", {"sector": "public", "region": "north"}) for i in range(4)]
               + [("d", {"sector": "ngo", "region": "north"})])

    documents = survey_documents(answers, k=5)

    combinations = Counter(tuple(sorted(d.attributes.items())) for d in documents)
    assert all(n >= 5 for combination, n in combinations.items() if combination)
    assert len(documents) == 18


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"), st.sampled_from("pq")),
                max_size=40), st.integers(min_value=2, max_value=6))
def test_importers_survey_attributes_shown_only_in_groups_of_k(rows, k):
    answers = [(f"text {i}", {"one": a, "two": b, "three": c}) for i, (a, b, c) in enumerate(rows)]

    documents = survey_documents(answers, k=k)

    combinations = Counter(tuple(sorted(d.attributes.items())) for d in documents)
    assert all(n >= k for combination, n in combinations.items() if combination)
    assert [d.text for d in documents] == [t for t, _a in answers]
@pytest.mark.parametrize(("name", "data"), [
    ("fokus.txt", "\n".join(["Intervjuer: Hvordan var det?", "Kari Nordmann: Krevende 😊.", "og lærerikt",
                              "Ola: Godt."]).encode()),
    ("fokus.docx", docx_bytes(["Intervjuer: Hvordan var det?", "Kari Nordmann: Krevende 😊.", "og lærerikt",
                               "Ola: Godt."])),
    ("fokus.odt", odt_bytes(["Intervjuer: Hvordan var det?", "Kari Nordmann: Krevende 😊.", "og lærerikt",
                             "Ola: Godt."])),
])
def test_importers_written_transcripts_have_speaker_turns(name, data):
    # The names of a transcript written as text must reach the code key, not the document.
    _kind, extracted = extract(name, data)
    assert extracted.text == ""
    assert extracted.turns == [("Intervjuer", "Hvordan var det?"),
                               ("Kari Nordmann", "Krevende 😊.\nog lærerikt"), ("Ola", "Godt.")]


def test_importers_text_with_one_colon_or_a_time_is_not_a_transcript():
    _kind, extracted = extract("notat.txt", "Merk: dette er et notat.\nMøtet startet 10:30 i dag.".encode())
    assert extracted.turns == []
    assert extracted.text == "Merk: dette er et notat.\nMøtet startet 10:30 i dag."
