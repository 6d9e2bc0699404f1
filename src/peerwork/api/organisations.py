"""Organisations, members, invitations and the audit trail through the API.

Every route goes through the same access funnels and service functions as the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router, Status
from ninja.errors import HttpError

from peerwork.api.auth import AUTH
from peerwork.api.schemas import (
    AuditEventOut,
    InvitationIn,
    InvitationOut,
    MembershipOut,
    MembershipPatch,
    Message,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
)
from peerwork.orgs import queries, services
from peerwork.orgs.enums import AuditAction, OrganisationType, Role, SizeBand
from peerwork.orgs.models import AuditEvent, Membership, Organisation

router = Router(tags=["organisations"], auth=AUTH)

MAX_AUDIT_ROWS = 1000


def _org_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(slug=organisation.slug, name=organisation.name, type=organisation.type,
                           country=organisation.country, region=organisation.region,
                           size_band=organisation.size_band)


def _member_out(membership: Membership) -> MembershipOut:
    return MembershipOut(id=membership.pk, email=membership.user.email,
                         name=membership.user.name, role=membership.role,
                         is_active=membership.is_active)


def _check_choices(type_: str | None, size_band: str | None, country: str | None = None) -> None:
    if type_ is not None and type_ not in OrganisationType.values:
        raise HttpError(422, f"type must be one of {OrganisationType.values}")
    if size_band not in (None, "") and size_band not in SizeBand.values:
        raise HttpError(422, f"size_band must be one of {SizeBand.values}")
    # The same rule as the profile form: two letters, for example NO.
    if country is not None and not (len(country) == 2 and country.isascii()
                                    and country.isalpha()):
        raise HttpError(422, "country must be a two-letter country code, for example NO")


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The success shape plus the error statuses a route can answer, for the OpenAPI document.
    403 comes from the two-factor requirement (accounts.middleware) on every route."""
    return {**ok, **dict.fromkeys(errors, Message)}


def _conflict(exc: ValidationError) -> HttpError:
    """A service refused the change because of the current state (409)."""
    return HttpError(409, " ".join(exc.messages))


@router.get("",
    response=_responses({200: list[OrganisationOut]}, 401, 403),
    summary="Your organisations")
def list_organisations(request: HttpRequest) -> list[OrganisationOut]:
    return [_org_out(o) for o, _role in queries.organisations_of(request.user)]


@router.post("",
    response=_responses({201: OrganisationOut}, 401, 403, 422),
    summary="Create an organisation (platform administrators)")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[OrganisationOut]:
    if not request.user.has_perm("orgs.create_organisation"):
        raise HttpError(403, "Only platform administrators create organisations.")
    _check_choices(payload.type, payload.size_band, payload.country)
    organisation = services.create_organisation(actor=request.user, **payload.dict())
    return Status(201, _org_out(organisation))


@router.get("/{slug}",
    response=_responses({200: OrganisationOut}, 401, 403, 404),
    summary="One organisation you belong to")
def get_organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    return _org_out(queries.get_organisation_for(request.user, slug))


@router.patch("/{slug}",
    response=_responses({200: OrganisationOut}, 400, 401, 403, 404, 422),
    summary="Change the organisation's profile")
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch) -> OrganisationOut:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.change_organisation")
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    _check_choices(changes.get("type"), changes.get("size_band"), changes.get("country"))
    if "country" in changes:
        changes["country"] = changes["country"].upper()
    return _org_out(services.update_organisation(actor=request.user, organisation=organisation,
                                                 **changes))


@router.get("/{slug}/members",
    response=_responses({200: list[MembershipOut]}, 401, 403, 404),
    summary="Members and their roles")
def list_members(request: HttpRequest, slug: str) -> list[MembershipOut]:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.manage_members")
    return [_member_out(m) for m in queries.members_of(organisation)]


@router.patch("/{slug}/members/{membership_id}",
              response=_responses({200: MembershipOut}, 401, 403, 404, 409, 422),
              summary="Change a member's role, or deactivate or reactivate them")
def update_member(request: HttpRequest, slug: str, membership_id: int,
                  payload: MembershipPatch) -> MembershipOut:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.manage_members")
    membership = queries.get_membership_for(request.user, organisation, membership_id)
    if payload.role is not None and payload.role not in Role.values:
        raise HttpError(422, f"role must be one of {Role.values}")
    try:
        if payload.role is not None:
            services.change_role(actor=request.user, membership=membership, role=payload.role)
        if payload.is_active is not None:
            services.set_member_active(actor=request.user, membership=membership,
                                       active=payload.is_active)
    except ValidationError as exc:
        raise _conflict(exc) from exc
    return _member_out(membership)


@router.post("/{slug}/invitations",
    response=_responses({201: InvitationOut}, 401, 403, 404, 409, 422),
    summary="Invite a member by email")
def invite(request: HttpRequest, slug: str, payload: InvitationIn) -> Status[InvitationOut]:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.manage_members")
    if payload.role not in Role.values:
        raise HttpError(422, f"role must be one of {Role.values}")
    try:
        validate_email(payload.email.strip())
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    try:
        issued = services.invite_member(actor=request.user, organisation=organisation,
                                        email=payload.email, role=payload.role,
                                        language=translation.get_language() or "en")
    except ValidationError as exc:
        raise _conflict(exc) from exc
    invitation = issued.invitation
    return Status(201, InvitationOut(id=invitation.pk, email=invitation.email,
                                     role=invitation.role, expires=invitation.expires))


@router.get("/{slug}/audit", response=_responses({200: list[AuditEventOut]}, 401, 403, 404, 422),
            summary="The organisation's audit trail, newest first (at most 1000 events)")
def audit_trail(
    request: HttpRequest, slug: str,
    action: str = Query("", max_length=60),
    actor: str = Query("", max_length=100),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[AuditEventOut]:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.view_audit")
    if action and action not in AuditAction.values:
        raise HttpError(422, f"action must be one of {AuditAction.values}")
    events = queries.audit_events(organisation=organisation, filters=queries.AuditFilter(
        action=action, actor=actor, since=since, until=until))
    return [_audit_out(e) for e in events[:MAX_AUDIT_ROWS]]


def _audit_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(id=str(event.uuid), created=event.created,
                         organisation=event.organisation.slug if event.organisation else None,
                         actor=event.actor_email, action=event.action, target=event.target,
                         detail=event.detail)

