"""Choices for assessment rounds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    PREPARING = "preparing", _("Preparing to hire")
    FIRST_YEAR = "first_year", _("First year with peer workers")
    ESTABLISHED = "established", _("Established")


class RoleForm(models.TextChoices):
    # Values are framework-library ids, so a round links to the library's explanation.
    PEER_SUPPORT_WORKER = "role_form.peer_support_worker", _("Peer support worker outside the team")
    CARE_PROVIDER = "role_form.care_provider", _(
        "Care provider with experiential expertise inside the team")


class Position(models.TextChoices):
    MANAGER = "manager", pgettext_lazy("respondent position", "Manager")
    COLLEAGUE = "colleague", pgettext_lazy("respondent position", "Professional colleague")
    PEER_WORKER = "peer_worker", pgettext_lazy("respondent position", "Peer worker")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
