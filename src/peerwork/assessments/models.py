"""Assessment rounds, the links and invitations that reach respondents, their
answers, and the action plan.

Anonymity by construction: a response has a random id, no link to the invitation
or link that brought it, and only day-level dates; an invitation records only
that it was used. In a round that is not anonymous a response names its respondent.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from peerwork.assessments.enums import ActionStatus, Position, RoleForm, RoundStatus, Stage
from peerwork.orgs.models import Organisation


class Round(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="assessment_rounds")
    title = models.CharField(_("title"), max_length=200)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    role_form = models.CharField(_("form of the role"), max_length=60, choices=RoleForm.choices)
    anonymous = models.BooleanField(_("anonymous answers"), default=True)
    closes_on = models.DateField(_("closing date"))
    share_for_benchmark = models.BooleanField(
        _("share with the national benchmark"), default=False,
        help_text=_("Only scores per area, never answers, and only when enough services share."),
    )
    questionnaire = models.CharField(max_length=60)
    questionnaire_version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    closed = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.title


class ShareLink(models.Model):
    """An open link for one position, for the manager to share with a team. It is
    kept in plain text because it is meant to be shown again and passed around; it
    grants nothing but the right to answer."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=20, choices=Position.choices)
    token = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="one_link_per_position")]

    def __str__(self) -> str:
        return f"{self.round} · {self.position}"


class RoundInvitation(models.Model):
    """A single-use emailed link. It records only that it was used, never which answer."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    position = models.CharField(max_length=20, choices=Position.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "email"], name="one_invitation_per_email")]

    def __str__(self) -> str:
        return self.email


class Response(models.Model):
    # Random ids: the order of rows must not reveal the order of answering.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=20, choices=Position.choices)
    # Hash of the private code that lets the respondent resume; never shown to staff.
    resume_hash = models.CharField(max_length=64, unique=True)
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    submitted = models.BooleanField(default=False)
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"{self.round} · {self.position}"


class Answer(models.Model):
    """One answer to one item. The key is (response, item): no serial number, so nothing
    stored tells in which order answers arrived (on SQLite the table has no rowid either,
    see migration 0003)."""

    pk = models.CompositePrimaryKey("response", "item")
    # The key's index leads with the response, so the foreign key needs none of its own.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers",
                                 db_index=False)
    item = models.CharField(max_length=60)
    value = models.SmallIntegerField(null=True, blank=True)  # None: "don't know"
    comment = models.TextField(blank=True, max_length=2000)

    def __str__(self) -> str:
        return f"{self.item}={self.value}"


class Action(models.Model):
    """One step of the round's action plan."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("what will be done"), max_length=300)
    element = models.CharField(_("area"), max_length=120, blank=True)
    recommendation = models.CharField(max_length=60, blank=True)
    owner = models.CharField(_("owner"), max_length=150)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    done_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("due_on", "id")

    def __str__(self) -> str:
        return self.title


class RoundSummary(models.Model):
    """A closed round's score per area for all respondents, kept for the national
    benchmark. Only scores shown under the small-cell rule are stored."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="summaries")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    element = models.CharField(max_length=120)
    mean = models.FloatField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "element"], name="one_summary_per_area")]
        indexes = [models.Index(fields=["element"])]

    def __str__(self) -> str:
        return f"{self.round_id} {self.element}={self.mean:.2f}"
