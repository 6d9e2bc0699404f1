"""Starting report jobs."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerwork.reports.models import JobStatus, ReportJob
from peerwork.reports.tasks import render_report


@transaction.atomic
def request_report(*, kind: str, language: str, params: dict[str, Any] | None = None,
                   requested_by: Any = None, organisation: Any = None,
                   cache_key: str = "") -> ReportJob:
    """Queue a report. A shared report (``cache_key``) that is queued, running or
    ready is reused rather than rendered again."""
    if cache_key:
        existing = (ReportJob.objects.filter(cache_key=cache_key)
                    .exclude(status=JobStatus.FAILED).order_by("-created").first())
        if existing is not None:
            return existing
    job = ReportJob.objects.create(
        kind=kind, language=language, params=params or {}, cache_key=cache_key,
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
        organisation=organisation,
    )
    transaction.on_commit(lambda: render_report.enqueue(job_id=str(job.pk)))
    return job
