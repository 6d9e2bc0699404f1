"""Progress and download of report jobs."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from peerwork.reports.models import JobStatus, ReportJob
from peerwork.reports.queries import get_job_for


def job_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for(request.user, job_id)
    htmx = request.headers.get("HX-Request") == "true"
    template = "reports/_job_progress.html" if htmx else "reports/job.html"
    return render(request, template, {"job": job})


def job_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for(request.user, job_id)
    if job.status != JobStatus.DONE:
        raise Http404
    pdf = ReportJob.objects.values_list("pdf", flat=True).get(pk=job.pk)
    if pdf is None:
        raise Http404
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
