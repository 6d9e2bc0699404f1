"""Browsing and searching the framework library, and its report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from peerwork.framework import queries
from peerwork.framework.library import get_library
from peerwork.framework.reports import KIND, TEMPLATE, cache_key, report_context
from peerwork.reports.context import page_context
from peerwork.reports.services import request_report

MAX_QUERY = 200


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def index(request: HttpRequest) -> HttpResponse:
    library = get_library()
    counts = {s.id: sum(1 for _ in s.walk()) for s in library.structures}
    return render(request, "framework/index.html", {"library": library, "counts": counts})


def structure(request: HttpRequest, structure_id: str) -> HttpResponse:
    found = queries.get_structure(structure_id)
    return render(request, "framework/structure.html",
                  {"library": get_library(), "structure": found})


def element(request: HttpRequest, element_id: str) -> HttpResponse:
    library = get_library()
    found = queries.get_element(element_id)
    return render(request, "framework/element.html", {
        "library": library,
        "element": found,
        "structure": library.structure(found.structure),
        "ancestors": queries.ancestors(library, found),
        "related": [library.elements[r] for r in found.related],
        "referenced_by": queries.referenced_by(library, found),
        "document": library.documents[found.source.document],
    })


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = get_library().search(query, _language()) if query else []
    return render(request, "framework/search.html",
                  {"query": query, "results": results, "library": get_library()})


def report(request: HttpRequest) -> HttpResponse:
    library = get_library()
    return render(request, TEMPLATE, page_context({
        **report_context(library), "structures": library.structures, "show_front": True,
        "contents": [(s.title[_language()], None) for s in library.structures],
    }))


@require_POST
def report_pdf(request: HttpRequest) -> HttpResponse:
    language = _language()
    job = request_report(kind=KIND, language=language, requested_by=request.user,
                         cache_key=cache_key(get_library(), language))
    return redirect("reports:job", job_id=job.pk)
