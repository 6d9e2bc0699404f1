from __future__ import annotations

from typing import Any

from django.http import Http404

from peerwork.reports.models import ReportJob


def get_job_for(user: Any, job_id: Any) -> ReportJob:
    """A shared job for anyone; an organisation's job for its requester only. Else 404."""
    job = ReportJob.objects.filter(pk=job_id).defer("pdf").first()
    if job is None:
        raise Http404
    if job.is_shared:
        return job
    if user.is_authenticated and job.requested_by_id == user.pk:
        return job
    raise Http404
