"""Choices for qualitative projects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectRole(models.TextChoices):
    LEAD = "lead", pgettext_lazy("analysis project role", "Lead")
    ANALYST = "analyst", pgettext_lazy("analysis project role", "Analyst")
    VALIDATOR = "validator", pgettext_lazy("analysis project role", "Validator")
    VIEWER = "viewer", pgettext_lazy("analysis project role", "Viewer")


class SourceKind(models.TextChoices):
    TEXT = "text", _("Plain text")
    DOCX = "docx", _("Word document")
    ODT = "odt", _("OpenDocument text")
    PDF = "pdf", _("PDF")
    VTT = "vtt", _("WebVTT transcript")
    SRT = "srt", _("SubRip transcript")
    SURVEY = "survey", _("Survey answer")
    QDPX = "qdpx", _("REFI-QDA project")


class Step(models.IntegerChoices):
    IMPRESSION = 1, _("Step 1: overall impression")
    CODING = 2, _("Step 2: meaning units and codes")
    CONDENSATION = 3, _("Step 3: condensation")
    SYNTHESIS = 4, _("Step 4: synthesis")


class ActionKind(models.TextChoices):
    MARK = "mark", _("Marked a meaning unit")
    CODE = "code", _("Added a code")
    UNCODE = "uncode", _("Removed a code")
    DELETE = "delete", _("Deleted a meaning unit")
    # Codebook changes: logged beside the coding so that undo walks them back too.
    RENAME_CODE = "code_rename", _("Renamed a code")
    MOVE_CODE = "code_move", _("Moved a code")
    DELETE_CODE = "code_delete", _("Deleted a code")
    RENAME_GROUP = "group_rename", _("Renamed a code group")
    MOVE_GROUP = "group_move", _("Moved a code group")
    DELETE_GROUP = "group_delete", _("Deleted a code group")
