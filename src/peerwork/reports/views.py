"""Progress and download of report jobs, and the poll of the results-updating notice."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerwork.reports.models import ReportJob
from peerwork.reports.queries import get_job_for, get_pdf_for
from peerwork.reports.refresh import Notice


def job_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for(request.user, job_id)
    htmx = request.headers.get("HX-Request") == "true"
    template = "reports/_job_progress.html" if htmx else "reports/job.html"
    return render(request, template, {"job": job})


def job_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    return pdf_response(*get_pdf_for(request.user, job_id))


def pdf_response(job: ReportJob, pdf: bytes) -> HttpResponse:
    """The finished job's PDF as a download (the page and the API)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


# --- The notice on results pages whose newest figures are still being computed ---------

POLL = "updating"


def poll_answer(request: HttpRequest, version: str) -> HttpResponse | None:
    """The answer to the updating notice's poll, or None if ``request`` is no poll.

    ``version`` names the figures the page would show now. While they are those the
    polling page shows, 204 (HTMX swaps nothing, so screen readers hear nothing); once
    they differ, HX-Refresh reloads the page."""
    seen = request.GET.get(POLL)
    if seen is None or request.headers.get("HX-Request") != "true":
        return None
    response = HttpResponse(status=204)
    if seen != version:
        response["HX-Refresh"] = "true"
    return response


def updating_context(request: HttpRequest, notices: list[Notice], version: str) -> dict[str, Any]:
    """Template context for ``reports/_updating.html``."""
    params = request.GET.copy()
    params.pop(POLL, None)
    page = request.path + (f"?{params.urlencode()}" if params else "")
    params[POLL] = version
    return {"updating": notices, "updating_page": page,
            "updating_poll": f"{request.path}?{params.urlencode()}"}
