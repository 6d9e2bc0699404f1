"""Which frame a report template extends: the site (a page) or print (a PDF).

Kept apart from ``render`` so that pages need not import WeasyPrint.
"""

from __future__ import annotations

from typing import Any

PAGE_BASE = "reports/page.html"
PDF_BASE = "reports/pdf.html"


def page_context(context: dict[str, Any]) -> dict[str, Any]:
    return {**context, "base_template": PAGE_BASE, "pdf": False}


def pdf_context(context: dict[str, Any]) -> dict[str, Any]:
    return {**context, "base_template": PDF_BASE, "pdf": True}
