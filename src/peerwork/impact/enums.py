"""Choices for the impact log. Function and level values are framework-library ids."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """In order: an improvement moves one stage forward at a time."""

    IDENTIFIED = "identified", pgettext_lazy("improvement stage", "Identified")
    RAISED = "raised", pgettext_lazy("improvement stage", "Raised with management")
    DESIGNED = "designed", pgettext_lazy("improvement stage", "Designed")
    PILOTED = "piloted", pgettext_lazy("improvement stage", "Piloted")
    IMPLEMENTED = "implemented", pgettext_lazy("improvement stage", "Implemented")
    ASSESSED = "assessed", pgettext_lazy("improvement stage", "Assessed")


class ExperienceSource(models.TextChoices):
    PEER_WORKER = "peer_worker", _("The peer worker's own lived experience")
    SERVICE_USERS = "service_users", _("Service users' experience, heard by the peer worker")
    USER_ORGANISATION = "user_organisation", _("A user organisation or peer network")


class Function(models.TextChoices):
    CO_PRODUCING = "model4.function.co_producing_delivery", _("Co-producing service delivery")
    BOUNDARY_SPANNING = "model4.function.boundary_spanning", _(
        "Boundary spanning: bridging and translating knowledge")
    SERVICE_PLANNING = "model4.function.service_planning", _("Partnering in service planning")


class ImpactLevel(models.TextChoices):
    INDIVIDUAL = "model4.outcome.individual", pgettext_lazy("impact level", "Individual")
    SERVICE = "model4.outcome.service", pgettext_lazy("impact level", "Service")
    ORGANISATION = "model4.outcome.organisation", pgettext_lazy("impact level", "Organisation")
