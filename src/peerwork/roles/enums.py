"""Choices for role designs and their documents. Values that name a framework element
are the library's ids, so every page can link to its explanation and source."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoleForm(models.TextChoices):
    PEER_SUPPORT_WORKER = "role_form.peer_support_worker", _("Peer support worker outside the team")
    CARE_PROVIDER = "role_form.care_provider", _(
        "Care provider with experiential expertise inside the team")


class Phase(models.TextChoices):
    COMMISSIONING = "service_cycle.commissioning", pgettext_lazy("service cycle", "Commissioning")
    DESIGN = "service_cycle.design", pgettext_lazy("service cycle", "Design")
    DELIVERY = "service_cycle.delivery", pgettext_lazy("service cycle", "Delivery")
    ASSESSMENT = "service_cycle.assessment", pgettext_lazy("service cycle", "Assessment")


class Level(models.TextChoices):
    INDIVIDUAL = "involvement_level.individual", pgettext_lazy("involvement level", "Individual")
    SERVICE = "involvement_level.service", pgettext_lazy("involvement level", "Service")
    SYSTEM = "involvement_level.system", pgettext_lazy("involvement level", "System")


class CoreFunction(models.TextChoices):
    CO_PRODUCING = "model4.function.co_producing_delivery", _("Co-producing service delivery")
    BOUNDARY_SPANNING = "model4.function.boundary_spanning", _(
        "Boundary spanning: bridging and translating knowledge")
    SERVICE_PLANNING = "model4.function.service_planning", _("Partnering in service planning")


class InformationSharing(models.TextChoices):
    UNSETTLED = "", _("Not settled yet")
    CONSENT_ONLY = "consent_only", _("Only with the service user's consent; no access to the medical file")
    MEDICAL_FILE = "medical_file", _("As a team member: reads and writes in the medical file")


class DocumentKind(models.TextChoices):
    JOB_DESCRIPTION = "job_description", _("Job description")
    JOB_ADVERTISEMENT = "job_advertisement", _("Job advertisement")
    ONBOARDING_PLAN = "onboarding_plan", _("Onboarding plan")
    SUPPORT_PLAN = "support_plan", _("Support plan")


class Language(models.TextChoices):
    EN = "en", "English"
    NB = "nb", "Norsk bokmål"
