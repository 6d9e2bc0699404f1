"""Text out of uploaded files: plain text, .docx, .odt, text-based PDF, .vtt and .srt.

Each reader returns an ``Extracted``: the text and, for transcripts, the speaker
turns as (real name, text). Pseudonymising happens in the service that stores them,
so a real name never reaches the stored text. Every failure is an ``ImportFailed``
with a message for the person who uploaded the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_CHARS = 5_000_000
# "Kari Nordmann: what she said" at the start of a cue line.
SPEAKER_PREFIX = re.compile(r"^\s*([^\s:][^:\n]{0,59}):\s+(.*)$", re.DOTALL)
# A turn in a written transcript: "Kari:" or "Deltaker A:" opening a line; a label of at
# most four words that starts with a letter, so "10:30" or a sentence with a colon is not one.
TURN_LINE = re.compile(r"^\s*([^\W\d_][\w .'’-]{0,39}?)\s*:\s+(\S.*)$")


class ImportFailed(ValueError):
    """The file cannot be read; the message says why, for the uploader."""


@dataclass
class Extracted:
    text: str = ""
    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker's real name, text)


def normalise(text: str) -> str:
    """NFC, Unix line ends, no NUL characters. Offsets count into this form."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFailed(_("The file is not readable text. Save it as UTF-8 and try again.")) from exc


def read_text(data: bytes) -> Extracted:
    return Extracted(text=_decode(data))


def read_docx(data: bytes) -> Extracted:
    # python-docx loads on demand: only uploads need it.
    import docx  # noqa: PLC0415

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise ImportFailed(_("The Word file could not be opened. Is it a .docx file?")) from exc
    return Extracted(text="\n".join(p.text for p in document.paragraphs))


def read_odt(data: bytes) -> Extracted:
    from odf import teletype, text  # noqa: PLC0415 - on demand
    from odf.opendocument import load  # noqa: PLC0415

    try:
        document = load(io.BytesIO(data))
        paragraphs = document.getElementsByType(text.P)
    except Exception as exc:  # odfpy raises many kinds for a broken package
        raise ImportFailed(_("The OpenDocument file could not be opened. Is it an .odt file?")) from exc
    return Extracted(text="\n".join(teletype.extractText(p) for p in paragraphs))


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader  # noqa: PLC0415 - on demand
    from pypdf.errors import PyPdfError  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ImportFailed(_("The PDF file could not be read.")) from exc
    text = "\n\n".join(p.strip() for p in pages)
    if not text.strip():
        raise ImportFailed(_("This PDF holds no text, only images (perhaps it was scanned). "
                             "Run text recognition on it first, or import the transcript as text."))
    return Extracted(text=text)


def read_captions(data: bytes, *, fmt: str) -> Extracted:
    """Speaker turns from WebVTT voice tags (<v Name>) or a "Name:" at the start of a cue.
    Consecutive cues by the same speaker make one turn."""
    import webvtt  # noqa: PLC0415 - on demand

    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(_decode(data)), format=fmt).captions
    except Exception as exc:  # webvtt-py raises its own and ValueError for bad cues
        raise ImportFailed(_("The subtitle file could not be read. Check that it is valid "
                             "WebVTT or SubRip.")) from exc
    turns: list[tuple[str, str]] = []
    for caption in captions:
        speaker, said = (caption.voice or ""), caption.text.strip()
        if not speaker and (match := SPEAKER_PREFIX.match(said)):
            speaker, said = match.group(1).strip(), match.group(2).strip()
        said = " ".join(said.split())
        if not said:
            continue
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, f"{turns[-1][1]} {said}")
        else:
            turns.append((speaker, said))
    if not turns:
        raise ImportFailed(_("The subtitle file holds no text."))
    return Extracted(turns=turns)


READERS = {"txt": "text", "text": "text", "md": "text", "docx": "docx", "odt": "odt",
           "pdf": "pdf", "vtt": "vtt", "srt": "srt"}


def kind_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix not in READERS:
        raise ImportFailed(_("Peerwork reads .txt, .docx, .odt, .pdf, .vtt and .srt files."))
    return READERS[suffix]


def written_turns(text: str) -> list[tuple[str, str]]:
    """Speaker turns of a transcript written as text, Word, OpenDocument or PDF, one turn a
    line opening with "Name:". Lines without a label continue the turn before; lines before
    the first turn stand alone. Empty when fewer than two lines open with a label: then the
    text is not a transcript and stays as it is."""
    turns: list[tuple[str, str]] = []
    labelled = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = TURN_LINE.match(line)
        if match and len(match.group(1).split()) <= 4:
            labelled += 1
            turns.append((match.group(1).strip(), match.group(2).strip()))
        elif turns and turns[-1][0]:
            turns[-1] = (turns[-1][0], f"{turns[-1][1]}\n{line.strip()}")
        else:
            turns.append(("", line.strip()))
    return turns if labelled >= 2 else []


def extract(filename: str, data: bytes) -> tuple[str, Extracted]:
    """The kind of source and what it holds."""
    if len(data) > MAX_BYTES:
        raise ImportFailed(_("The file is larger than 20 MB."))
    kind = kind_of(filename)
    if kind in {"docx", "odt"} and not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFailed(_("The file is not a valid %(kind)s file.") % {"kind": "." + kind})
    if kind == "text":
        extracted = read_text(data)
    elif kind == "docx":
        extracted = read_docx(data)
    elif kind == "odt":
        extracted = read_odt(data)
    elif kind == "pdf":
        extracted = read_pdf(data)
    else:
        extracted = read_captions(data, fmt=kind)
    extracted.text = normalise(extracted.text)
    if not extracted.turns and (turns := written_turns(extracted.text)):
        extracted.text, extracted.turns = "", turns
    extracted.turns = [(normalise(who), normalise(said)) for who, said in extracted.turns]
    size = len(extracted.text) + sum(len(s) for _w, s in extracted.turns)
    if size > MAX_CHARS:
        raise ImportFailed(_("The text is longer than five million characters. Split it."))
    if not extracted.text.strip() and not extracted.turns:
        raise ImportFailed(_("The file holds no text."))
    return kind, extracted


@dataclass(frozen=True)
class SurveyText:
    text: str
    attributes: dict[str, str]


def survey_documents(answers: list[tuple[str, dict[str, str]]], *, k: int) -> list[SurveyText]:
    """Free-text answers as documents, each with the background variables that at least
    ``k`` of the non-empty answers share.

    A value held by fewer than ``k`` answers is removed. The answers left without that
    attribute form a group of their own, so rare values are pooled: while the pool holds
    between 1 and k-1 answers the next smallest value joins it. An attribute is thus
    either shown with groups of at least ``k`` or missing for at least ``k`` answers."""
    kept = [(text, attributes) for text, attributes in
            ((normalise(t).strip(), a) for t, a in answers) if text]
    shown: dict[str, set[str]] = {}
    names = sorted({name for _t, attributes in kept for name in attributes})
    for name in names:
        counts: dict[str, int] = {}
        missing = 0
        for _t, attributes in kept:
            if name in attributes:
                counts[attributes[name]] = counts.get(attributes[name], 0) + 1
            else:
                missing += 1
        ordered = sorted(counts, key=lambda v: (counts[v], v))
        pooled = missing + sum(counts[v] for v in ordered if counts[v] < k)
        visible = [v for v in ordered if counts[v] >= k]
        while visible and 0 < pooled < k:
            pooled += counts[visible.pop(0)]
        shown[name] = set(visible)
    result = [SurveyText(text=text, attributes={n: v for n, v in attributes.items()
                                                if v in shown.get(n, set())})
              for text, attributes in kept]
    # Each attribute alone may be safe while two together single someone out (the only
    # voluntary-sector worker in the north): drop whole attributes, the most detailed
    # first, until every combination shown is shared by at least k answers.
    while True:
        combinations: dict[tuple[tuple[str, str], ...], int] = {}
        for item in result:
            combination = tuple(sorted(item.attributes.items()))
            combinations[combination] = combinations.get(combination, 0) + 1
        if all(n >= k for combination, n in combinations.items() if combination):
            return result
        detail: dict[str, set[str]] = {}
        for item in result:
            for name, value in item.attributes.items():
                detail.setdefault(name, set()).add(value)
        dropped = max(sorted(detail), key=lambda n: len(detail[n]))
        result = [SurveyText(text=item.text, attributes={n: v for n, v in item.attributes.items()
                                                         if n != dropped})
                  for item in result]
