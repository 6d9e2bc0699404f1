from __future__ import annotations

from typing import Any

from django.http import Http404

from peerwork.reports.models import JobStatus, ReportJob


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


def get_pdf_for(user: Any, job_id: Any) -> tuple[ReportJob, bytes]:
    """A finished job that ``user`` may read, with its PDF; 404 as ``get_job_for``, and
    for a job that is not done."""
    job = get_job_for(user, job_id)
    if job.status != JobStatus.DONE:
        raise Http404
    pdf = ReportJob.objects.values_list("pdf", flat=True).get(pk=job.pk)
    if pdf is None:
        raise Http404
    return job, bytes(pdf)
