"""Real files of every kind we import, made with the same libraries people's tools use."""

from __future__ import annotations

import io

import docx
from odf.opendocument import OpenDocumentText
from odf.text import P
from pypdf import PdfWriter


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(paragraphs: list[str]) -> bytes:
    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def blank_pdf_bytes() -> bytes:
    """A PDF with a page and no text: what a scan without text recognition looks like."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def text_pdf_bytes(text: str) -> bytes:
    """A PDF with real text, rendered by WeasyPrint."""
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads slowly; only this test needs it

    return HTML(string=f"<p>{text}</p>").write_pdf()
