"""Report jobs through the API."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from peerwork.api.auth import AUTH_OR_ANONYMOUS
from peerwork.api.schemas import Message, ReportJobOut
from peerwork.reports.models import JobStatus
from peerwork.reports.queries import get_job_for, get_pdf_for
from peerwork.reports.views import pdf_response

router = Router(tags=["reports"])


@router.get("/jobs/{job_id}", response={200: ReportJobOut, 404: Message, 422: Message},
            auth=AUTH_OR_ANONYMOUS,
            summary="Progress of a report job, and its download link when ready: your own "
                    "jobs with your API key or session, shared ones (the public library) "
                    "for anyone")
def job(request: HttpRequest, job_id: uuid.UUID) -> ReportJobOut:
    found = get_job_for(request.user, job_id)
    url = (request.build_absolute_uri(reverse("api-1.0.0:report_job_pdf", args=[found.pk]))
           if found.status == JobStatus.DONE else None)
    return ReportJobOut(id=str(found.pk), kind=found.kind, language=found.language,
                        status=found.status, percent=found.percent, download_url=url)


@router.get("/jobs/{job_id}/pdf", response={200: None, 404: Message, 422: Message},
            auth=AUTH_OR_ANONYMOUS, url_name="report_job_pdf",
            summary="The finished report job's PDF, for whoever may read the job")
def job_pdf(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    return pdf_response(*get_pdf_for(request.user, job_id))
