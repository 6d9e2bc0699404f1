"""Surveys, their frozen versions, waves, invitations and responses.

One set of tables serves surveys of every shape: a version's questions live in its
definition (JSON), and a response keeps its answers as one JSON object keyed by
question id. That is one INSERT per submission and one sequential read per wave
(see docs/benchmarks.md for why this layout and not one row per answer).

Anonymity by construction: a response has a random UUID (on SQLite the table has
no rowid either, see migration 0001), no link to an invitation, no IP address, no
time of day, and no user; an invitation records only that it was used.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, scopes_disabled

from peerwork.orgs.models import Organisation
from peerwork.surveys.definition import definition_hash
from peerwork.surveys.enums import ResponseStatus, VersionStatus, WaveStatus


class Survey(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    key = models.SlugField(_("short name"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("title", "id")
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="survey_key_per_org")]

    def __str__(self) -> str:
        return self.title


class SurveyVersion(models.Model):
    """One version of a survey's questions. A published version never changes: its
    definition's SHA-256 is stored and checked whenever it is read."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_on = models.DateField(null=True, blank=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("survey", "number")
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="one_number_per_survey")]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk and self.status == VersionStatus.PUBLISHED:
            with scopes_disabled():
                stored = (SurveyVersion.objects.filter(pk=self.pk)
                          .values_list("sha256", "status").first())
            if stored and stored[1] == VersionStatus.PUBLISHED and stored[0] != definition_hash(
                    self.definition):
                raise ValidationError(_("A published version cannot be changed."))
        self.sha256 = definition_hash(self.definition)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Wave(models.Model):
    """One run of a published version: who is asked, until when, and what they are told."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="waves")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(max_length=10, choices=WaveStatus.choices, default=WaveStatus.OPEN)
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    min_cell = models.PositiveSmallIntegerField(
        _("smallest group shown"), default=5,
        help_text=_("Results for fewer people than this are hidden. It can only be raised."))
    purpose = models.TextField(_("purpose"), max_length=2000)
    stored = models.TextField(_("what is stored"), max_length=2000)
    retention = models.TextField(_("how long it is kept"), max_length=1000)
    contact = models.CharField(_("contact"), max_length=300)
    # The open link: plain, because it is meant to be shown and passed around; it grants
    # nothing but the right to answer.
    link_token = models.CharField(max_length=64, unique=True)
    link_active = models.BooleanField(_("open link active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("-opens_on", "-id")

    def __str__(self) -> str:
        return self.title


class WaveInvitation(models.Model):
    """A single-use emailed link. It records only that it was used, never which answer."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)
    reminders = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "email"],
                                               name="one_survey_invitation_per_email")]

    def __str__(self) -> str:
        return self.email


class Response(models.Model):
    # Random ids, and no rowid on SQLite: the table's order reveals nothing.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Hash of the respondent's private code (resume) or of the one-page form's key
    # (idempotent submission). Never shown to staff; it names no one.
    key_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    consented = models.BooleanField(default=False)
    # Day-level only, never a time of day.
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    answers = models.JSONField(default=dict)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        indexes = [models.Index(fields=["wave", "status"])]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.status}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class RateBucket(models.Model):
    """How many answers one network address started through open links in one minute.

    ``key`` is a keyed hash of the address, the minute and the scope: the address itself
    is never stored, and a minute's rows are deleted with the first count of a later
    minute (``ratelimit.check``)."""

    key = models.CharField(primary_key=True, max_length=64)
    minute = models.PositiveBigIntegerField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.minute}: {self.count}"
