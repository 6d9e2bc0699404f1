"""The report layer renders the framework library as a PDF in both languages, with a
table of contents whose page numbers are where the sections really start.

The PDFs are read back with poppler's ``pdfinfo`` and ``pdftotext``, as a reader would.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from peerwork.framework.library import get_library
from peerwork.framework.reports import KIND, TEMPLATE, build, report_context
from peerwork.reports.models import ReportJob
from peerwork.reports.render import StaticOnlyFetcher, render_pdf

CONTENTS_LINE = re.compile(r"^\s*(?P<title>\S.*?)\s{2,}(?P<page>\d+)$")


@dataclass
class Rendered:
    pdf: bytes
    filename: str
    progress: list[tuple[int, int]]
    page_count: int
    pages: list[list[str]]  # each page's non-empty lines, from pdftotext -layout


def read_pdf(path: Path) -> tuple[int, list[list[str]]]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = [[line for line in page.splitlines() if line.strip()]
             for page in text.split("\f")[:count]]
    return count, pages


@pytest.fixture(scope="module", params=["en", "nb"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The library's PDF, made by the same builder the background job runs."""
    language = request.param
    calls: list[tuple[int, int]] = []
    built = build(ReportJob(kind=KIND, language=language),
                  lambda done, total: calls.append((done, total)))
    path = tmp_path_factory.mktemp("pdf") / built.filename
    path.write_bytes(built.pdf)
    count, pages = read_pdf(path)
    return Rendered(pdf=built.pdf, filename=built.filename, progress=calls, page_count=count,
                    pages=pages)


def language_of(rendered: Rendered) -> str:
    return rendered.filename.removesuffix(".pdf").rsplit("-", 1)[1]


def test_render_library_pdf_is_a_pdf_of_many_pages(rendered: Rendered) -> None:
    assert rendered.pdf.startswith(b"%PDF-")
    assert rendered.page_count >= 20
    assert rendered.filename == f"peerwork-framework-2026.1-{language_of(rendered)}.pdf"


def test_render_library_pdf_is_in_its_language(rendered: Rendered) -> None:
    text = "\n".join(line for page in rendered.pages for line in page)
    titles = {"en": "Ten preconditions for successful peer work",
              "nb": "Ti forutsetninger for å lykkes med erfaringskonsulenter"}
    seniority = {"en": "Seniority: not alone when inexperienced",
                 "nb": "Erfaring: ikke alene som uerfaren"}
    language = language_of(rendered)
    other = "nb" if language == "en" else "en"

    assert titles[language] in text
    assert titles[other] not in text
    assert seniority[language] in text
    assert seniority[other] not in text
    assert "precondition.hiring_policy.seniority" in text


def section_starts(rendered: Rendered) -> dict[str, int]:
    """Each structure's title and the page its section opens on."""
    titles = [s.title[language_of(rendered)] for s in get_library().structures]
    starts = {}
    for number, page in enumerate(rendered.pages, start=1):
        # A section's heading opens its page; a long one wraps onto a second line.
        head = " ".join(line.strip() for line in page[:2])
        starts.update({t: number for t in titles if head.startswith(t)})
    return starts


def front_matter(rendered: Rendered) -> list[str]:
    """The lines of the cover and contents: every page before the first section."""
    first = min(section_starts(rendered).values())
    return [line for page in rendered.pages[:first - 1] for line in page]


def test_render_library_pdf_contents_point_at_the_pages_where_sections_start(
        rendered: Rendered) -> None:
    titles = [s.title[language_of(rendered)] for s in get_library().structures]
    contents = {}
    for line in front_matter(rendered):
        match = CONTENTS_LINE.match(line)
        if match and match["title"] in titles:
            contents[match["title"]] = int(match["page"])

    starts = section_starts(rendered)

    assert list(starts) == titles
    assert list(contents) == titles
    assert contents == starts


def test_render_library_pdf_page_numbers_run_on_across_parts(rendered: Rendered) -> None:
    footers = [page[-1].split() for page in rendered.pages]

    assert footers == [["Peerwork", str(n)] for n in range(1, rendered.page_count + 1)]


def test_render_library_pdf_draws_the_chart_and_its_table(rendered: Rendered) -> None:
    front = "\n".join(front_matter(rendered))
    label = {"en": "Provider of peer support", "nb": "Yter av likepersonsstøtte"}[
        language_of(rendered)]

    # Once as the chart's axis label (the SVG keeps text as text), once in the table.
    assert front.count(label) == 2
    assert re.search(r"Provider of pre-determined services\s+21|"
                     r"Utfører av forhåndsbestemte tjenester\s+21", front)


def test_render_library_pdf_reports_progress_per_part(rendered: Rendered) -> None:
    total = len(get_library().structures) + 1

    assert rendered.progress == [(done, total) for done in range(1, total + 1)]


def test_render_short_report_in_one_go() -> None:
    library = get_library()
    stc = library.structure("stc")
    with translation.override("nb"):
        context = {**report_context(library), "structures": [stc], "show_front": False}

    pdf = render_pdf(TEMPLATE, context, language="nb")

    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-32:]


@pytest.mark.parametrize("url", [
    "https://example.com/tracker.png",
    "file:///etc/passwd",
    "http://127.0.0.1:8000/media/upload.png",
])
def test_render_refuses_to_load_anything_but_static_files(url: str) -> None:
    with pytest.raises(ValueError, match="reports may not load"):
        StaticOnlyFetcher().fetch(url)


def test_render_reads_static_files_from_disk() -> None:
    response = StaticOnlyFetcher().fetch("http://127.0.0.1:8000/static/peerwork/report.css")

    assert response.content_type == "text/css"
    assert response.read() == (
        Path(__file__).parents[2] / "src/peerwork/static/peerwork/report.css").read_bytes()
