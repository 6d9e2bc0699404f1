"""Choices for surveys."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey version", "Draft")
    PUBLISHED = "published", pgettext_lazy("survey version", "Published")


class WaveStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey response", "Started")
    SUBMITTED = "submitted", pgettext_lazy("survey response", "Submitted")
