"""Report jobs through the API."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from peerwork.api.schemas import Message, ReportJobOut
from peerwork.reports.models import JobStatus
from peerwork.reports.queries import get_job_for

router = Router(tags=["reports"])


@router.get("/jobs/{job_id}", response={200: ReportJobOut, 404: Message, 422: Message}, auth=None,
            summary="Progress of a report job, and its download link when ready")
def job(request: HttpRequest, job_id: uuid.UUID) -> ReportJobOut:
    found = get_job_for(request.user, job_id)
    url = (request.build_absolute_uri(reverse("reports:download", args=[found.pk]))
           if found.status == JobStatus.DONE else None)
    return ReportJobOut(id=str(found.pk), kind=found.kind, language=found.language,
                        status=found.status, percent=found.percent, download_url=url)
