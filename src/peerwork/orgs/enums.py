"""Choices for organisations and memberships."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationType(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal service")
    SPECIALIST = "specialist", _("Specialist health service")
    NGO = "ngo", _("Non-governmental organisation")
    COMPANY = "company", _("Company")
    NATIONAL = "national", _("National organisation")
    RESEARCH = "research", _("Research institution")


class SizeBand(models.TextChoices):
    SMALL = "1-9", pgettext_lazy("organisation size", "1–9 employees")
    MEDIUM = "10-49", pgettext_lazy("organisation size", "10–49 employees")
    LARGE = "50-249", pgettext_lazy("organisation size", "50–249 employees")
    XLARGE = "250+", pgettext_lazy("organisation size", "250 or more employees")


class Role(models.TextChoices):
    PEER_WORKER = "peer_worker", _("Peer worker")
    COLLEAGUE = "colleague", _("Professional colleague")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("National analyst")
    ORG_ADMIN = "org_admin", _("Organisation administrator")


# Roles whose members must use two-factor authentication (issue 2).
ROLES_REQUIRING_2FA = frozenset({Role.ANALYST, Role.ORG_ADMIN})


class AuditAction(models.TextChoices):
    ORG_CREATED = "org.created", _("Organisation created")
    ORG_UPDATED = "org.updated", _("Organisation profile changed")
    ORG_IMPORTED = "org.imported", _("Organisation imported")
    ORG_EXPORTED = "org.exported", _("Organisation exported")
    MEMBER_INVITED = "member.invited", _("Member invited")
    INVITATION_REVOKED = "member.invitation_revoked", _("Invitation withdrawn")
    MEMBER_JOINED = "member.joined", _("Member joined")
    MEMBER_ROLE_CHANGED = "member.role_changed", _("Member's role changed")
    MEMBER_DEACTIVATED = "member.deactivated", _("Member deactivated")
    MEMBER_REACTIVATED = "member.reactivated", _("Member reactivated")
    AUDIT_EXPORTED = "audit.exported", _("Audit trail exported")
    PLATFORM_ADMIN_CREATED = "platform.admin_created", _("Platform administrator created")
    ROUND_CREATED = "assessment.round_created", _("Assessment round started")
    ROUND_CLOSED = "assessment.round_closed", _("Assessment round closed")
    ROUND_INVITED = "assessment.invited", _("Respondents invited to an assessment round")
    ACTION_ADDED = "assessment.action_added", _("Action added to a plan")
    ACTION_UPDATED = "assessment.action_updated", _("Action's status changed")
    ROLE_CREATED = "role.created", _("Role designed")
    ROLE_UPDATED = "role.updated", _("Role design changed")
    ROLE_DOCUMENT_SAVED = "role.document_saved", _("Role document version saved")
    ROLE_DOCUMENT_CONFIRMED = "role.document_confirmed", _("Role document confirmed")
    ROLE_DOCUMENT_REVISED = "role.document_revised", _("New version of a final role document started")
    ROLE_ARCHIVED = "role.archived", _("Role archived")
    ROLE_RESTORED = "role.restored", _("Archived role restored")
    ROLE_DELETED = "role.deleted", _("Role deleted")
    IMPROVEMENT_LOGGED = "impact.logged", _("Improvement logged")
    IMPROVEMENT_UPDATED = "impact.updated", _("Improvement changed")
    IMPROVEMENT_MOVED = "impact.moved", _("Improvement moved to another stage")
    ANALYSIS_PROJECT_CREATED = "qualitative.project_created", _("Analysis project created")
    ANALYSIS_MEMBER_SET = "qualitative.member_set", _("Analysis project member added or changed")
    ANALYSIS_DOCUMENT_IMPORTED = "qualitative.document_imported", _("Material imported for analysis")
    ANALYSIS_CODE_KEY_DELETED = "qualitative.code_key_deleted", _("Speakers' code key deleted")
    SURVEY_CREATED = "survey.created", _("Survey created")
    SURVEY_VERSION_SAVED = "survey.version_saved", _("Survey draft changed")
    SURVEY_VERSION_PUBLISHED = "survey.version_published", _("Survey version published")
    SURVEY_WAVE_OPENED = "survey.wave_opened", _("Survey wave opened")
    SURVEY_WAVE_CLOSED = "survey.wave_closed", _("Survey wave closed")
    SURVEY_INVITED = "survey.invited", _("Respondents invited to a survey wave")
    SURVEY_REMINDED = "survey.reminded", _("Reminders sent for a survey wave")
