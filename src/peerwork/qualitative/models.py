"""Analysis projects with Systematic Text Condensation (Malterud 2012), as the thesis
used it (shared/domain/thesis_part2.md §4, L534–L573).

Offsets. A document's ``text`` is normalised to NFC once, at import, and never
changes. ``MeaningUnit.start``/``end`` are Python ``str`` indices (Unicode code
points) into that stored text, end exclusive. The browser counts in UTF-16 code
units; ``static/peerwork/qualitative.js`` converts both ways.

The code key (``SpeakerKey``: a speaker's real name beside the pseudonym used in the
text) is a row of its own so that it can be shown only to the lead and deleted
without touching the material.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from peerwork.orgs.models import Organisation
from peerwork.qualitative.enums import ActionKind, ProjectRole, SourceKind, Step

USER = settings.AUTH_USER_MODEL


class Project(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="analysis_projects")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("research question"), blank=True, max_length=4000)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.title


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=ProjectRole.choices)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_role_per_project")]
        ordering = ("user__email",)

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField()  # NFC, fixed at import
    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    # Case attributes (background variables), only those that passed suppression.
    attributes = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("title", "id")

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="speakers")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pseudonym = models.CharField(_("pseudonym"), max_length=60)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "pseudonym"],
                                               name="one_pseudonym_per_project")]
        ordering = ("id",)

    def __str__(self) -> str:
        return self.pseudonym


class SpeakerKey(models.Model):
    """The code key: who a pseudonym stands for. Only the lead reads it."""

    speaker = models.OneToOneField(Speaker, on_delete=models.CASCADE, related_name="key")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    real_name = models.CharField(max_length=200)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return str(self.speaker_id)


class CodeGroup(models.Model):
    """A code group, or with a parent a subgroup (thesis_part2.md L548)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="groups")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="subgroups")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    group = models.ForeignKey(CodeGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="codes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("name", "id")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="one_code_name")]

    def __str__(self) -> str:
        return self.name


class MeaningUnit(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="units")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="units")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # snapshot of document.text[start:end]
    codes = models.ManyToManyField(Code, related_name="units", blank=True)
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("document_id", "start", "id")
        indexes = [models.Index(fields=["document", "start"])]

    def __str__(self) -> str:
        return f"{self.document_id}[{self.start}:{self.end}]"


class Memo(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memos")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    code = models.ForeignKey(Code, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="memos")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("memo"), max_length=10000)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("created", "id")

    def __str__(self) -> str:
        return self.text[:40]


class Impression(models.Model):
    """Step 1: one analyst's preliminary themes, written alone."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="impressions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("preliminary themes"), max_length=10000)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "author"],
                                               name="one_impression_per_analyst")]

    def __str__(self) -> str:
        return self.text[:40]


class Theme(models.Model):
    """Step 1: a preliminary theme the team agreed on."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="themes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("theme"), max_length=300)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.title


class Condensate(models.Model):
    """Step 3: the meaning units of one code group or subgroup, rewritten in the first person."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="condensates")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(CodeGroup, on_delete=models.CASCADE, related_name="condensate")
    text = models.TextField(_("condensate"), blank=True, max_length=20000)
    golden_quote = models.ForeignKey(MeaningUnit, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return self.text[:40]


class Synthesis(models.Model):
    """Step 4: the analytic text of one code group, in the third person."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="syntheses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(CodeGroup, on_delete=models.CASCADE, related_name="synthesis")
    quotes = models.ManyToManyField(MeaningUnit, related_name="+", blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return str(self.group_id)


class Statement(models.Model):
    """One statement of a synthesis, linked to the passages it came from."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="statements")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("statement"), max_length=4000)
    sources = models.ManyToManyField(MeaningUnit, related_name="statements")

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.text[:40]


class Comment(models.Model):
    """A validator's (or anyone's) comment on one step of the analysis."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("created", "id")

    def __str__(self) -> str:
        return self.text[:40]


class CodingAction(models.Model):
    """One coding action: the team's history of step 2, and what undo replays backwards.
    ``data`` holds what undo needs (the unit's span and codes; for a change to the
    codebook, the code or group as it was). Codebook changes have no ``unit``."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coding_log")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    unit = models.ForeignKey(MeaningUnit, on_delete=models.SET_NULL, null=True, related_name="+")
    data = models.JSONField(default=dict)
    undone = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("-id",)
        indexes = [models.Index(fields=["project", "actor", "undone"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id}"
