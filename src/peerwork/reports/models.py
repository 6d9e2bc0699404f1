"""Report jobs: a PDF rendered in the background, its progress and its result.

The PDF is kept in the database so any web process can serve what any worker
process rendered.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=8)
    # Jobs whose report holds no organisation's data (the framework library) are
    # shared: one per cache key, visible to everyone.
    cache_key = models.CharField(max_length=200, blank=True, db_index=True)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done_steps = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=1)
    error = models.TextField(blank=True)
    filename = models.CharField(max_length=200, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done_steps / max(1, self.total_steps)))

    @property
    def is_shared(self) -> bool:
        return bool(self.cache_key)
