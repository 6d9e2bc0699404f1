"""The background task that renders report jobs, and the registry of report kinds.

A capability registers a builder for its kind; the builder turns a job into
PDF bytes and a file name, calling ``progress`` as it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from peerwork.reports.models import JobStatus, ReportJob

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Built:
    pdf: bytes
    filename: str


Builder = Callable[[ReportJob, Callable[[int, int], None]], Built]
BUILDERS: dict[str, Builder] = {}


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorator(builder: Builder) -> Builder:
        BUILDERS[kind] = builder
        return builder

    return decorator


@task()
def render_report(job_id: str) -> None:
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done_steps=0)

    def progress(done: int, total: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(done_steps=done, total_steps=total)

    try:
        built = BUILDERS[job.kind](job, progress)
    except Exception as exc:  # the job must end in a state the user can see
        log.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=type(exc).__name__, finished=timezone.now())
        raise
    with transaction.atomic():
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, pdf=built.pdf, filename=built.filename,
            finished=timezone.now(),
        )
