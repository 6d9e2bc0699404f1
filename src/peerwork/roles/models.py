"""A role design and the versions of the documents made from it.

A design carries a ``version`` that every write must name: two people editing the
same role never silently overwrite each other. Document versions are only added,
never changed, except for the two confirmations. An archived role is kept as it was,
read-only, until it is restored.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from peerwork.orgs.models import Organisation
from peerwork.roles.enums import DocumentKind, InformationSharing, Language, RoleForm

MAX_TEXT = 4000
MAX_DOCUMENT = 20_000


class RoleDesign(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="role_designs")
    title = models.CharField(_("title of the role"), max_length=200)
    form = models.CharField(_("form of the role"), max_length=60, choices=RoleForm.choices)
    team = models.CharField(_("team or unit"), max_length=200)
    target_group = models.TextField(_("target group"), max_length=MAX_TEXT)
    lived_experience = models.TextField(_("lived experience sought"), max_length=MAX_TEXT)
    experience_matches = models.BooleanField(_("the lived experience matches the target group"),
                                             default=False)
    # {phase id: [level ids]}: where in the service cycle, and at which levels.
    involvement = models.JSONField(_("involvement in the service cycle"), default=dict, blank=True)
    functions = models.JSONField(_("core functions"), default=list, blank=True)  # Model 4 ids
    tasks = models.TextField(_("tasks"), max_length=MAX_TEXT, blank=True)
    # What the hiring-policy checks read.
    peer_workers_in_team = models.PositiveSmallIntegerField(_("peer workers in the team"), default=1)
    experienced = models.BooleanField(_("the peer worker is experienced in the role"), default=False)
    former_client_of_unit = models.BooleanField(
        _("the peer worker was a client of this unit"), default=False)
    peer_on_hiring_committee = models.BooleanField(_("a peer worker sits on the hiring committee"),
                                                   default=False)
    senior_peer_supervision = models.BooleanField(_("supervision by a senior peer worker"),
                                                  default=False)
    absence_policy_agreed = models.BooleanField(_("absence policy agreed"), default=False)
    information_sharing = models.CharField(_("how information is shared"), max_length=20,
                                           choices=InformationSharing.choices, blank=True)
    annual_salary_nok = models.PositiveIntegerField(_("annual salary (NOK)"), null=True, blank=True)
    # The people the onboarding and support plans name (precondition 8: contact person,
    # senior buddy; 9: supervision). Names, not accounts: they may work elsewhere.
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    buddy = models.CharField(_("buddy or mentor"), max_length=200, blank=True)
    supervisor = models.CharField(_("external supervisor or coach"), max_length=200, blank=True)
    peer_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("peer worker in the role"))
    version = models.PositiveIntegerField(default=1)
    archived = models.DateTimeField(null=True, blank=True)  # when; None while in use
    # The form's one-time key: a replayed submission (a double click, a resent form)
    # finds the row it already made instead of making a second one.
    submission = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("title", "id")
        constraints = [models.UniqueConstraint(fields=["organisation", "submission"],
                                               name="roles_one_row_per_submission")]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One version of one document of a role, in one language."""

    role = models.ForeignKey(RoleDesign, on_delete=models.CASCADE, related_name="documents")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    language = models.CharField(max_length=2, choices=Language.choices)
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=MAX_DOCUMENT)
    # The design fields this document is drafted from, as they were when the version was
    # saved ({} before they were kept): the page compares them with the design now.
    design_snapshot = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    manager_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                             null=True, blank=True, related_name="+")
    manager_confirmed = models.DateTimeField(null=True, blank=True)
    peer_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    peer_confirmed = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("role", "kind", "language", "-number")
        constraints = [models.UniqueConstraint(fields=["role", "kind", "language", "number"],
                                               name="one_document_version_number")]

    def __str__(self) -> str:
        return f"{self.role_id} {self.kind} {self.language} v{self.number}"

    @property
    def is_final(self) -> bool:
        """Both the manager and the peer worker confirmed this version."""
        return self.manager_confirmed is not None and self.peer_confirmed is not None

    @property
    def is_confirmed(self) -> bool:
        """The manager or the peer worker, or both, confirmed this version."""
        return self.manager_confirmed is not None or self.peer_confirmed is not None
