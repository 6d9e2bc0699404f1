"""Progress and download of report jobs."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerwork.reports.models import ReportJob
from peerwork.reports.queries import get_job_for, get_pdf_for


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
