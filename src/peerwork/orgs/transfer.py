"""Move one organisation between installations: export it to a JSON document and
import such a document, all or nothing.

The document (``data/organisation-export.schema.json``) holds the profile, the
members with their roles, and the audit trail. It never holds password hashes
or invitations: a hash is a secret of the installation it came from, and an
open invitation is a live token. Accounts that an import creates therefore have
no usable password; their owners set one with "Forgot password".
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction, OrganisationType, Role, SizeBand
from peerwork.orgs.models import AuditEvent, Membership, Organisation
from peerwork.orgs.services import PROFILE_FIELDS

FORMAT = "peerwork-organisation"
VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "organisation-export.schema.json"

# Codes on the ValidationErrors raised here, so a caller can add advice of its own.
SLUG_TAKEN = "slug_taken"


@dataclass(frozen=True)
class ImportResult:
    organisation: Organisation
    members: int
    new_accounts: list[str]
    audit_events: int


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _when(value: dt.datetime) -> str:
    return value.isoformat()


def export_organisation(*, actor: Any, organisation: Organisation) -> dict[str, Any]:
    """The organisation as an export document, and an ``org.exported`` audit event.

    The document matches the schema; the export's own event is not in it. Call it
    inside the caller's transaction when the event should count only if the
    document is actually written.
    """
    with transaction.atomic(), scope(organisation=organisation):
        memberships = (
            Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("user__email")
        )
        events = AuditEvent.objects.filter(organisation=organisation).order_by("created", "id")
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported": _when(timezone.now()),
            "organisation": {
                "slug": organisation.slug,
                **{field: getattr(organisation, field) for field in PROFILE_FIELDS},
                "created": _when(organisation.created),
            },
            "members": [
                {
                    "email": m.user.email,
                    "name": m.user.name,
                    "role": m.role,
                    "is_active": m.is_active,
                    "language": m.user.language,
                    "joined": _when(m.created),
                }
                for m in memberships
            ],
            "audit_events": [
                {
                    "uuid": str(e.uuid),
                    "created": _when(e.created),
                    "actor_email": e.actor_email,
                    "action": e.action,
                    "target": e.target,
                    "detail": e.detail,
                }
                for e in events
            ],
        }
        audit.record(actor=actor, action=AuditAction.ORG_EXPORTED, organisation=organisation,
                     target=organisation.slug,
                     detail={"members": len(document["members"]),
                             "audit_events": len(document["audit_events"])})
    return document


def read_document(raw: str | bytes) -> dict[str, Any]:
    """Parse an export file and check it against the schema.

    Returns the document; raises ValidationError with one sentence that says
    where and what is wrong.
    """
    try:
        document = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not text in UTF-8 (byte %(position)s).") % {"position": exc.start},
            code="encoding",
        ) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("The file is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
            % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
            code="json",
        ) from exc
    except RecursionError as exc:
        # JSON nested thousands deep: no export is shaped like that.
        raise ValidationError(_("The file is not a Peerwork organisation export."),
                              code="json") from exc
    check_document(document)
    return document


def check_document(document: Any) -> None:
    """Raise ValidationError unless ``document`` matches the export schema."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(_("The file is not a Peerwork organisation export."),
                              code="format")
    if document.get("version") != VERSION:
        raise ValidationError(
            _("Export version %(found)s cannot be read; this Peerwork reads version %(version)s.")
            % {"found": document.get("version"), "version": VERSION},
            code="version",
        )
    error = best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or _("the top level")
        raise ValidationError(
            _("The file does not follow the export format at %(where)s: %(problem)s")
            % {"where": where, "problem": error.message},
            code="schema",
        )


def _parse_when(value: str) -> dt.datetime:
    # The schema's pattern already requires an offset, so the result is aware;
    # it cannot rule out a 30 February.
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Not a valid date and time: %(value)s.") % {"value": value},
                              code="datetime") from exc


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field}: {' '.join(messages)}"
                        for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def _check_values(document: dict[str, Any]) -> None:
    """The checks the schema leaves to Peerwork's own choices, so both stay in step."""
    profile = document["organisation"]
    if profile["type"] not in OrganisationType.values:
        raise ValidationError(_("Unknown organisation type: %(value)s.") % {"value": profile["type"]},
                              code="choice")
    if profile["size_band"] and profile["size_band"] not in SizeBand.values:
        raise ValidationError(_("Unknown organisation size: %(value)s.") % {"value": profile["size_band"]},
                              code="choice")
    languages = {code for code, _name in settings.LANGUAGES}
    seen: set[str] = set()
    for number, member in enumerate(document["members"], start=1):
        email = member["email"].strip().lower()
        where = {"number": number, "email": email}
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError(_("Member %(number)s has an invalid email address: %(email)s.")
                                  % where, code="email") from exc
        if email in seen:
            raise ValidationError(_("Member %(number)s (%(email)s) is listed twice.") % where,
                                  code="duplicate")
        seen.add(email)
        if member["role"] not in Role.values:
            raise ValidationError(_("Member %(number)s (%(email)s) has an unknown role: %(role)s.")
                                  % {**where, "role": member["role"]}, code="choice")
        if member["language"] and member["language"] not in languages:
            raise ValidationError(
                _("Member %(number)s (%(email)s) has an unknown language: %(language)s.")
                % {**where, "language": member["language"]}, code="choice")
    uuids: set[str] = set()
    for number, event in enumerate(document["audit_events"], start=1):
        if event["uuid"] in uuids:
            raise ValidationError(_("Audit event %(number)s repeats the id of an earlier event.")
                                  % {"number": number}, code="duplicate")
        uuids.add(event["uuid"])


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def import_organisation(*, actor: Any, document: dict[str, Any], slug: str = "") -> ImportResult:
    """Create the organisation, its members and its audit trail from an export document.

    All or nothing: any problem raises ValidationError and saves nothing. ``slug``
    replaces the document's short name; an existing short name is refused
    (code ``slug_taken``). Members are linked to existing accounts by email,
    whose name and language stay as they are; missing accounts are created
    with no usable password. Audit events keep their times, and their ids
    unless this installation already has them (a copy of an organisation
    inside one installation). One ``org.imported`` event is added.
    """
    check_document(document)
    profile = document["organisation"]
    slug = slug or profile["slug"]
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("An organisation with the short name %(slug)s already exists.") % {"slug": slug},
            code=SLUG_TAKEN,
        )
    _check_values(document)

    organisation = Organisation(slug=slug, **{field: profile[field] for field in PROFILE_FIELDS})
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ValidationError(_("The organisation's profile is invalid: %(problem)s")
                              % {"problem": _one_line(exc)}, code="invalid") from exc
    organisation.save()
    # ``created`` is auto_now_add, which save() overrides; an update keeps the original.
    Organisation.objects.filter(pk=organisation.pk).update(created=_parse_when(profile["created"]))
    organisation.refresh_from_db(fields=["created"])

    User = get_user_model()
    new_accounts: list[str] = []
    memberships: list[Membership] = []
    for member in document["members"]:
        email = member["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, name=member["name"], language=member["language"])
            # The hash stays behind in the old installation; "Forgot password" sets a new one.
            user.set_unusable_password()
            try:
                user.full_clean()
            except ValidationError as exc:
                raise ValidationError(_("The account %(email)s is invalid: %(problem)s")
                                      % {"email": email, "problem": _one_line(exc)},
                                      code="invalid") from exc
            user.save()
            new_accounts.append(email)
        memberships.append(Membership(organisation=organisation, user=user, role=member["role"],
                                      is_active=member["is_active"],
                                      created=_parse_when(member["joined"])))

    raw_events = document["audit_events"]
    wanted = [event["uuid"] for event in raw_events]
    with scopes_disabled():
        taken = {str(value) for chunk in _chunks(wanted)
                 for value in AuditEvent.objects.filter(uuid__in=chunk).values_list("uuid", flat=True)}
    actor_emails = {event["actor_email"].lower() for event in raw_events if event["actor_email"]}
    actors = {user.email.lower(): user
              for chunk in _chunks(sorted(actor_emails))
              for user in User.objects.filter(email__in=chunk)}
    events = [
        AuditEvent(
            uuid=uuid.uuid4() if event["uuid"] in taken else uuid.UUID(event["uuid"]),
            organisation=organisation,
            actor=actors.get(event["actor_email"].lower()),
            actor_email=event["actor_email"],
            action=event["action"],
            target=event["target"],
            detail=event["detail"],
            created=_parse_when(event["created"]),
        )
        for event in raw_events
    ]
    times = [(m.created, m) for m in memberships] + [(e.created, e) for e in events]

    with scope(organisation=organisation):
        Membership.objects.bulk_create(memberships)
        AuditEvent.objects.bulk_create(events)
        # bulk_create stamps ``created`` with now (auto_now_add); bulk_update writes
        # the attributes as they are, so the original times come back.
        for when, row in times:
            row.created = when
        Membership.objects.bulk_update(memberships, ["created"], batch_size=500)
        AuditEvent.objects.bulk_update(events, ["created"], batch_size=500)

    audit.record(actor=actor, action=AuditAction.ORG_IMPORTED, organisation=organisation,
                 target=organisation.slug,
                 detail={"source_slug": profile["slug"], "exported": document["exported"],
                         "members": len(memberships), "new_accounts": len(new_accounts),
                         "audit_events": len(events), "new_event_ids": len(taken)})
    return ImportResult(organisation=organisation, members=len(memberships),
                        new_accounts=new_accounts, audit_events=len(events))
