"""The report layer: one template renders an HTML page and, through WeasyPrint, a PDF.

A report template extends ``{{ base_template }}``; ``page_context`` and
``pdf_context`` set it to the site frame or to the print frame. Long PDFs are
rendered in parts so that a background job can report real progress; the parts
are then joined, with page numbers that run on across them.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from peerwork.reports.context import PAGE_BASE, PDF_BASE, page_context, pdf_context

__all__ = ["PAGE_BASE", "PDF_BASE", "page_context", "pdf_context"]


class StaticOnlyFetcher(URLFetcher):
    """Let WeasyPrint read our static files from disk and ``data:`` URLs; refuse
    every other URL, so that rendering a report never makes a network request."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = urlparse(url).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if isinstance(found, str):
                with open(found, "rb") as handle:
                    return URLFetcherResponse(url, handle.read(), {
                        "Content-Type": mimetypes.guess_type(found)[0] or "application/octet-stream"
                    })
        raise ValueError(f"reports may not load {url!r}")


def _document(html: str) -> Document:
    return HTML(string=html, base_url=settings.SITE_URL + "/",
                url_fetcher=StaticOnlyFetcher(fail_on_errors=True)).render()


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    """A short report as PDF bytes, in ``language``."""
    with translation.override(language):
        html = render_to_string(template, pdf_context({**context, "first_page": 1}))
    return _document(html).write_pdf()


@dataclass
class Part:
    """One slice of a long report: a template and its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


Progress = Callable[[int, int], None]


def render_pdf_parts(*, front: Part, parts: Sequence[Part], language: str,
                     progress: Progress | None = None) -> bytes:
    """Render ``front`` (cover and contents) and ``parts`` into one PDF whose page
    numbers run on across the parts and whose contents give each part's first page.

    ``progress(done, total)`` is called after each step, so a job can show it.
    """
    total = len(parts) + 1
    with translation.override(language):
        # The front matter's length does not depend on the numbers in it: lay it
        # out once with placeholders to learn where the first part starts.
        placeholder = [(p.title, 999) for p in parts]
        front_pages = len(_document(render_to_string(front.template, pdf_context(
            {**front.context, "contents": placeholder, "first_page": 1}))).pages)
        documents, starts, page = [], [], front_pages + 1
        for index, part in enumerate(parts):
            starts.append(page)
            document = _document(render_to_string(
                part.template, pdf_context({**part.context, "first_page": page})))
            documents.append(document)
            page += len(document.pages)
            if progress:
                progress(index + 1, total)
        contents = [(p.title, start) for p, start in zip(parts, starts, strict=True)]
        front_doc = _document(render_to_string(front.template, pdf_context(
            {**front.context, "contents": contents, "first_page": 1})))
        pages = [p for document in [front_doc, *documents] for p in document.pages]
        pdf = front_doc.copy(pages).write_pdf()
    if progress:
        progress(total, total)
    return pdf
