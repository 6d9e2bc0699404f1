"""Every write to role designs and their documents: one function, one transaction,
one audit event. Writes that name a version fail with ``StaleVersion`` when someone
else saved first, and then write nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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

__all__ = ["StaleVersion", "archive_role", "confirm_document", "create_role", "delete_role",
           "restore_role", "revise_document", "save_document", "update_role"]

DESIGN_FIELDS = ["title", "form", "team", "target_group", "lived_experience",
                 "experience_matches", "involvement", "functions", "tasks",
                 "peer_workers_in_team", "experienced", "former_client_of_unit",
                 "peer_on_hiring_committee", "senior_peer_supervision", "absence_policy_agreed",
                 "information_sharing", "annual_salary_nok", "contact_person", "buddy",
                 "supervisor", "peer_worker"]
NAME_FIELDS = ("contact_person", "buddy", "supervisor")

# Codes of the ValidationErrors that refuse a write because of the state the role or the
# document is in (a conflict, 409), rather than because of the input (400).
ARCHIVED, FINAL, NOT_FINAL, CONFIRMED = "archived", "final", "not_final", "confirmed"
CONFLICTS = frozenset({ARCHIVED, FINAL, NOT_FINAL, CONFIRMED})


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
    for name in NAME_FIELDS:
        cleaned[name] = str(cleaned.get(name) or "").strip()
    if any(len(cleaned[name]) > 200 for name in NAME_FIELDS):
        errors.append(_("Keep each name under 200 characters."))
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
    _refuse_if_archived(role)
    if not actor.has_perm("roles.design_role", role.organisation):
        data = {k: v for k, v in data.items() if k != "peer_worker"}
    cleaned = _clean(role.organisation, {**{n: getattr(role, n) for n in DESIGN_FIELDS}, **data})
    for name, value in cleaned.items():
        setattr(role, name, value)
    save_if_current(role, expected=version, fields=list(cleaned))
    audit.record(actor=actor, action=AuditAction.ROLE_UPDATED, organisation=role.organisation,
                 target=role.title, detail={"role": role.pk, "version": role.version})
    return role


def _refuse_if_archived(role: RoleDesign) -> None:
    if role.archived is not None:
        raise ValidationError(_("This role is archived. Restore it to change it."), code=ARCHIVED)


def _lock_for_documents(role: RoleDesign) -> None:
    """Lock the role row, so that document writes, confirmations, archiving and deleting
    of one role happen one after another; refuse if it is archived. Call inside a scope."""
    locked = RoleDesign.objects.select_for_update().filter(pk=role.pk).first()
    _refuse_if_archived(locked or role)


@transaction.atomic
def archive_role(*, actor: Any, role: RoleDesign) -> RoleDesign:
    """Archive the role: it leaves the list of roles in use and is read-only until restored.
    The version moves on, so an edit begun before is refused as stale."""
    return _set_archived(actor=actor, role=role, when=timezone.now(),
                         action=AuditAction.ROLE_ARCHIVED)


@transaction.atomic
def restore_role(*, actor: Any, role: RoleDesign) -> RoleDesign:
    """Bring an archived role back into use."""
    return _set_archived(actor=actor, role=role, when=None, action=AuditAction.ROLE_RESTORED)


def _set_archived(*, actor: Any, role: RoleDesign, when: dt.datetime | None,
                  action: AuditAction) -> RoleDesign:
    with scope(organisation=role.organisation):
        current = RoleDesign.objects.select_for_update().filter(pk=role.pk).first()
    if current is None:  # deleted in the meantime: nothing left to archive
        return role
    if (current.archived is None) == (when is None):
        role.archived, role.version = current.archived, current.version
        return role  # archived (or restored) already: a replay changes nothing
    role.archived = when
    save_if_current(role, expected=current.version, fields=["archived"])
    audit.record(actor=actor, action=action, organisation=role.organisation, target=role.title,
                 detail={"role": role.pk})
    return role


@transaction.atomic
def delete_role(*, actor: Any, role: RoleDesign) -> None:
    """Delete a role made by mistake, with its document versions. A role with a confirmed
    document is a record of an agreement: it is refused, to be archived instead."""
    with scope(organisation=role.organisation):
        # Confirmations lock the role row too: one under way finishes first, and is seen.
        RoleDesign.objects.select_for_update().filter(pk=role.pk).first()
        versions = list(DocumentVersion.objects.filter(role=role))
        if any(v.is_confirmed for v in versions):
            raise ValidationError(_("This role has confirmed documents, so it is kept. Archive "
                                    "it instead."), code=CONFIRMED)
        role_id = role.pk
        role.delete()
    audit.record(actor=actor, action=AuditAction.ROLE_DELETED, organisation=role.organisation,
                 target=role.title, detail={"role": role_id, "documents": len(versions)})


def _check_kind(kind: str, language: str) -> None:
    if kind not in DocumentKind.values or language not in Language.values:
        raise ValidationError(_("Unknown document or language."))


def _latest_for_writing(role: RoleDesign, kind: str, language: str,
                        based_on: int | None) -> DocumentVersion | None:
    """The latest version, once the role row is locked (two writers cannot both add
    version n+1); StaleVersion unless it is ``based_on``. Call inside a scope."""
    _check_kind(kind, language)
    _lock_for_documents(role)
    latest = (DocumentVersion.objects.filter(role=role, kind=kind, language=language)
              .order_by("-number").first())
    if (latest.number if latest else None) != based_on:
        raise StaleVersion(latest.number if latest else 0)
    return latest


def _add_version(*, actor: Any, role: RoleDesign, kind: str, language: str, number: int,
                 title: str, body: str, action: AuditAction) -> DocumentVersion:
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("A document needs a title and a text."))
    if len(title) > 200 or len(body) > MAX_DOCUMENT:
        raise ValidationError(_("The document is too long: keep the title under 200 and "
                                "the text under %(n)s characters.") % {"n": MAX_DOCUMENT})
    version = DocumentVersion.objects.create(
        role=role, organisation=role.organisation, kind=kind, language=language,
        number=number, title=title, body=body, created_by=actor,
        design_snapshot=documents.snapshot(kind, role))
    audit.record(actor=actor, action=action, organisation=role.organisation, target=role.title,
                 detail={"role": role.pk, "kind": kind, "language": language, "number": number})
    return version


@transaction.atomic
def save_document(*, actor: Any, role: RoleDesign, kind: str, language: str,
                  based_on: int | None, title: str | None = None,
                  body: str | None = None) -> DocumentVersion:
    """Add a version of a document. Without ``title`` and ``body`` it is drafted from the
    design. ``based_on`` is the number of the latest version the writer saw (None for
    the first); a final document (confirmed by both) takes a new version only through
    :func:`revise_document`."""
    with scope(organisation=role.organisation):
        latest = _latest_for_writing(role, kind, language, based_on)
        if latest is not None and latest.is_final:
            raise ValidationError(_("This document is final: the manager and the peer worker "
                                    "both confirmed it. Start a new version to change it."),
                                  code=FINAL)
        if title is None or body is None:
            title, body = documents.draft(kind=kind, role=role, language=language)
        return _add_version(actor=actor, role=role, kind=kind, language=language,
                            number=(latest.number if latest else 0) + 1, title=title, body=body,
                            action=AuditAction.ROLE_DOCUMENT_SAVED)


@transaction.atomic
def revise_document(*, actor: Any, role: RoleDesign, kind: str, language: str,
                    based_on: int) -> DocumentVersion:
    """Start a new version of a final document: its text, confirmed by no one yet. The
    final version stays as it is, in force until both confirm the new one."""
    with scope(organisation=role.organisation):
        final = _latest_for_writing(role, kind, language, based_on)
        if final is None or not final.is_final:
            raise ValidationError(_("Only a final document is revised: edit this one and save "
                                    "it as a new version."), code=NOT_FINAL)
        return _add_version(actor=actor, role=role, kind=kind, language=language,
                            number=final.number + 1, title=final.title, body=final.body,
                            action=AuditAction.ROLE_DOCUMENT_REVISED)


def is_conflict(exc: ValidationError) -> bool:
    """Whether ``exc`` refused a write because of the role's or document's state."""
    return getattr(exc, "code", None) in CONFLICTS


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
        _lock_for_documents(role)
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
