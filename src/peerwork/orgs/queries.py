"""Reads and access funnels for organisations.

Each ``get_*_for`` returns the object or raises ``Http404``: the same answer
whether the object is missing or the user may not see it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_scopes import scope, scopes_disabled

from peerwork.orgs.models import AuditEvent, Invitation, Membership, Organisation


def get_organisation_for(user: Any, slug: str, *, perm: str = "orgs.view_organisation") -> Organisation:
    """The organisation ``slug`` if ``user`` holds ``perm`` in it; otherwise 404."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not user.has_perm(perm, organisation):
        raise Http404
    return organisation


def organisations_of(user: Any) -> list[tuple[Organisation, str]]:
    """The user's organisations with the role held in each, by name."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        rows = (
            Membership.objects.filter(user=user, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        return [(m.organisation, m.role) for m in rows]


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    with scope(organisation=organisation):
        return Membership.objects.filter(organisation=organisation).select_related("user")


def get_membership_for(user: Any, organisation: Organisation, membership_id: int) -> Membership:
    if not user.has_perm("orgs.manage_members", organisation):
        raise Http404
    with scope(organisation=organisation):
        membership = (
            Membership.objects.filter(organisation=organisation, pk=membership_id)
            .select_related("user")
            .first()
        )
    if membership is None:
        raise Http404
    return membership


def pending_invitations(organisation: Organisation, *, now: dt.datetime) -> list[Invitation]:
    with scope(organisation=organisation):
        return list(
            Invitation.objects.filter(
                organisation=organisation, accepted__isnull=True, revoked__isnull=True,
                expires__gt=now,
            ).select_related("invited_by")
        )


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_events(
    *, organisation: Organisation | None, filters: AuditFilter
) -> QuerySet[AuditEvent]:
    """Events of one organisation, or the platform's own events when ``organisation`` is None."""
    with scopes_disabled():
        events = AuditEvent.objects.select_related("organisation")
        if organisation is None:
            events = events.filter(organisation__isnull=True) | events.filter(
                action="org.created"
            )
        else:
            events = events.filter(organisation=organisation)
        if filters.action:
            events = events.filter(action=filters.action)
        if filters.actor:
            events = events.filter(actor_email__icontains=filters.actor)
        if filters.since:
            events = events.filter(created__date__gte=filters.since)
        if filters.until:
            events = events.filter(created__date__lte=filters.until)
        return events.order_by("-created", "-id")
