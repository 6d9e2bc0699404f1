"""Every write to role designs and their documents: one function, one transaction,
one audit event. Writes that name a version fail with ``StaleVersion`` when someone
else saved first, and then write nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from peerwork.core.concurrency import StaleVersion, save_if_current
from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import Membership, Organisation
from peerwork.roles import documents
from peerwork.roles.classification import FUNCTIONS, normalise_involvement
from peerwork.roles.enums import DocumentKind, InformationSharing, Language, RoleForm
from peerwork.roles.models import MAX_DOCUMENT, MAX_TEXT, DocumentVersion, RoleDesign

__all__ = ["StaleVersion", "confirm_document", "create_role", "save_document", "update_role"]

DESIGN_FIELDS = ["title", "form", "team", "target_group", "lived_experience",
                 "experience_matches", "involvement", "functions", "tasks",
                 "peer_workers_in_team", "experienced", "former_client_of_unit",
                 "peer_on_hiring_committee", "senior_peer_supervision", "absence_policy_agreed",
                 "information_sharing", "annual_salary_nok", "peer_worker"]


def _clean(organisation: Organisation, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a design's fields; raise ValidationError with every problem."""
    errors: list[str] = []
    cleaned = {name: data[name] for name in DESIGN_FIELDS if name in data}
    for name, limit in [("title", 200), ("team", 200)]:
        cleaned[name] = str(cleaned.get(name, "")).strip()
        if not cleaned[name]:
            errors.append(_("Give the role a title and a team.") if name == "title" else
                          _("Say which team or unit the role is placed in."))
        elif len(cleaned[name]) > limit:
            errors.append(_("Keep titles and team names under 200 characters."))
    for name in ("target_group", "lived_experience", "tasks"):
        cleaned[name] = str(cleaned.get(name, "")).strip()
        if len(cleaned[name]) > MAX_TEXT:
            errors.append(_("Keep each text under %(n)s characters.") % {"n": MAX_TEXT})
    if not cleaned["target_group"]:
        errors.append(_("Describe the target group."))
    if not cleaned["lived_experience"]:
        errors.append(_("Describe the lived experience that matches the target group."))
    if cleaned.get("form") not in RoleForm.values:
        errors.append(_("Choose the form of the role."))
    if cleaned.get("information_sharing", "") not in InformationSharing.values:
        errors.append(_("Choose how information is shared."))
    involvement = cleaned.get("involvement") or {}
    if not isinstance(involvement, Mapping) or not all(
            isinstance(v, (list, tuple)) for v in involvement.values()):
        errors.append(_("The involvement must map each phase to a list of levels."))
        involvement = {}
    cleaned["involvement"] = {k: list(v) for k, v in normalise_involvement(involvement).items()}
    functions = cleaned.get("functions") or []
    if not isinstance(functions, (list, tuple)) or set(functions) - set(FUNCTIONS):
        errors.append(_("Choose core functions from Model 4."))
        functions = []
    cleaned["functions"] = [f for f in FUNCTIONS if f in set(functions)]
    count = cleaned.get("peer_workers_in_team", 1)
    if not isinstance(count, int) or not 1 <= count <= 100:
        errors.append(_("The number of peer workers in the team must be between 1 and 100."))
    salary = cleaned.get("annual_salary_nok")
    if salary is not None and (not isinstance(salary, int) or not 0 < salary <= 10_000_000):
        errors.append(_("Give the annual salary in whole kroner, or leave it empty."))
    peer = cleaned.get("peer_worker")
    if peer is not None:
        with scope(organisation=organisation):
            is_peer = Membership.objects.filter(organisation=organisation, user=peer,
                                                is_active=True, role=Role.PEER_WORKER).exists()
        if not is_peer:
            errors.append(_("The person in the role must be a peer worker in this organisation."))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_role(*, actor: Any, organisation: Organisation, data: Mapping[str, Any],
                submission: uuid.UUID | None = None) -> RoleDesign:
    """Add a role. A ``submission`` key seen before returns that role unchanged."""
    if submission is not None:
        with scope(organisation=organisation):
            earlier = RoleDesign.objects.filter(organisation=organisation,
                                                submission=submission).first()
        if earlier is not None:
            return earlier
    cleaned = _clean(organisation, data)
    with scope(organisation=organisation):
        try:
            with transaction.atomic():  # a savepoint: the same key sent twice at once
                role = RoleDesign.objects.create(organisation=organisation, created_by=actor,
                                                 submission=submission, **cleaned)
        except IntegrityError:
            return RoleDesign.objects.get(organisation=organisation, submission=submission)
    audit.record(actor=actor, action=AuditAction.ROLE_CREATED, organisation=organisation,
                 target=role.title, detail={"role": role.pk})
    return role


@transaction.atomic
def update_role(*, actor: Any, role: RoleDesign, data: Mapping[str, Any], version: int) -> RoleDesign:
    """Save the design if ``version`` is still current; StaleVersion otherwise. Only a
    manager changes who holds the role: the peer worker's own edits keep it as it is."""
    if not actor.has_perm("roles.design_role", role.organisation):
        data = {k: v for k, v in data.items() if k != "peer_worker"}
    cleaned = _clean(role.organisation, {**{n: getattr(role, n) for n in DESIGN_FIELDS}, **data})
    for name, value in cleaned.items():
        setattr(role, name, value)
    save_if_current(role, expected=version, fields=list(cleaned))
    audit.record(actor=actor, action=AuditAction.ROLE_UPDATED, organisation=role.organisation,
                 target=role.title, detail={"role": role.pk, "version": role.version})
    return role


def _check_kind(kind: str, language: str) -> None:
    if kind not in DocumentKind.values or language not in Language.values:
        raise ValidationError(_("Unknown document or language."))


@transaction.atomic
def save_document(*, actor: Any, role: RoleDesign, kind: str, language: str,
                  based_on: int | None, title: str | None = None,
                  body: str | None = None) -> DocumentVersion:
    """Add a version of a document. Without ``title`` and ``body`` it is drafted from the
    design. ``based_on`` is the number of the latest version the writer saw (None for
    the first); a final document (confirmed by both) takes no more versions."""
    _check_kind(kind, language)
    with scope(organisation=role.organisation):
        # Lock the role row so two writers cannot both add version n+1.
        RoleDesign.objects.select_for_update().filter(pk=role.pk).first()
        versions = DocumentVersion.objects.filter(role=role, kind=kind, language=language)
        latest = versions.order_by("-number").first()
        if (latest.number if latest else None) != based_on:
            raise StaleVersion(latest.number if latest else 0)
        if latest is not None and latest.is_final:
            raise ValidationError(_("This document is final: the manager and the peer worker "
                                    "both confirmed it."))
        if title is None or body is None:
            title, body = documents.draft(kind=kind, role=role, language=language)
        title, body = title.strip(), body.strip()
        if not title or not body:
            raise ValidationError(_("A document needs a title and a text."))
        if len(title) > 200 or len(body) > MAX_DOCUMENT:
            raise ValidationError(_("The document is too long: keep the title under 200 and "
                                    "the text under %(n)s characters.") % {"n": MAX_DOCUMENT})
        number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DocumentVersion.objects.create(
            role=role, organisation=role.organisation, kind=kind, language=language,
            number=number, title=title, body=body, created_by=actor)
    audit.record(actor=actor, action=AuditAction.ROLE_DOCUMENT_SAVED,
                 organisation=role.organisation, target=role.title,
                 detail={"role": role.pk, "kind": kind, "language": language, "number": number})
    return version


def can_confirm_as(user: Any, role: RoleDesign) -> list[str]:
    """Which confirmations ``user`` may give for ``role``: "manager", "peer_worker"."""
    sides = []
    if user.has_perm("roles.design_role", role.organisation):
        sides.append("manager")
    if role.peer_worker_id is not None and role.peer_worker_id == user.pk:
        sides.append("peer_worker")
    return sides


@transaction.atomic
def confirm_document(*, actor: Any, role: RoleDesign, kind: str, language: str, number: int,
                     side: str) -> DocumentVersion:
    """Confirm version ``number`` as the manager or as the peer worker in the role.
    Only the latest version can be confirmed; a newer one means StaleVersion."""
    _check_kind(kind, language)
    if side not in can_confirm_as(actor, role):
        raise PermissionError(side)
    with scope(organisation=role.organisation):
        latest = (DocumentVersion.objects.select_for_update()
                  .filter(role=role, kind=kind, language=language).order_by("-number").first())
        if latest is None:
            raise ValidationError(_("There is no version to confirm yet."))
        if latest.number != number:
            raise StaleVersion(latest.number)
        if (latest.manager_confirmed if side == "manager" else latest.peer_confirmed) is not None:
            return latest  # confirmed already: a replay changes nothing
        now = timezone.now()
        if side == "manager":
            latest.manager_confirmed, latest.manager_confirmed_by = now, actor
            fields = ["manager_confirmed", "manager_confirmed_by"]
        else:
            latest.peer_confirmed, latest.peer_confirmed_by = now, actor
            fields = ["peer_confirmed", "peer_confirmed_by"]
        latest.save(update_fields=fields)
    audit.record(actor=actor, action=AuditAction.ROLE_DOCUMENT_CONFIRMED,
                 organisation=role.organisation, target=role.title,
                 detail={"role": role.pk, "kind": kind, "language": language, "number": number,
                         "as": side})
    return latest


def involvement_from(pairs: Iterable[str]) -> dict[str, list[str]]:
    """Turn form values "phase|level" into the stored mapping."""
    result: dict[str, list[str]] = {}
    for pair in pairs:
        phase, _sep, level = pair.partition("|")
        result.setdefault(phase, []).append(level)
    return result
