"""Every write to organisations, members and invitations: one function, one
transaction, one audit event. Views, the API and the command line call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled

from peerwork.core.secrets import new_secret, secret_hash
from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import Invitation, Membership, Organisation
from peerwork.orgs.rules import forget_roles

PROFILE_FIELDS = ("name", "type", "country", "region", "size_band")


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(*, actor: Any, name: str, type: str, country: str = "NO",
                        region: str = "", size_band: str = "", slug: str = "") -> Organisation:
    organisation = Organisation(
        slug=slug or unique_slug(name), name=name, type=type, country=country.upper(),
        region=region, size_band=size_band,
    )
    organisation.full_clean()
    organisation.save()
    audit.record(actor=actor, action=AuditAction.ORG_CREATED, organisation=organisation,
                 target=organisation.slug, detail={"name": name, "type": type})
    return organisation


@transaction.atomic
def update_organisation(*, actor: Any, organisation: Organisation, **changes: str) -> Organisation:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    before = {field: getattr(organisation, field) for field in changes}
    if "country" in changes:
        changes["country"] = changes["country"].upper()
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    changed = {f: [before[f], v] for f, v in changes.items() if before[f] != v}
    if changed:
        organisation.save(update_fields=list(changed))
        audit.record(actor=actor, action=AuditAction.ORG_UPDATED, organisation=organisation,
                     target=organisation.slug, detail={"changed": changed})
    return organisation


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    url: str


@transaction.atomic
def invite_member(*, actor: Any, organisation: Organisation, email: str, role: str,
                  language: str = "en") -> IssuedInvitation:
    """Create an invitation and email its link. The plain token exists only in the email."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    with scope(organisation=organisation):
        if Membership.objects.filter(organisation=organisation, user__email=email).exists():
            raise ValidationError(_("This person is already a member of the organisation."))
        token = new_secret()
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, token_hash=secret_hash(token),
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
    url = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token})
    with override(language):
        context = {"organisation": organisation, "url": url, "role": Role(role).label,
                   "days": settings.INVITATION_DAYS}
        subject = _("You are invited to %(organisation)s on Peerwork") % {
            "organisation": organisation.name}
        body = render_to_string("orgs/email/invitation.txt", context)
    audit.record(actor=actor, action=AuditAction.MEMBER_INVITED, organisation=organisation,
                 target=email, detail={"role": role})
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return IssuedInvitation(invitation=invitation, url=url)


@transaction.atomic
def revoke_invitation(*, actor: Any, invitation: Invitation) -> None:
    invitation.revoked = timezone.now()
    invitation.save(update_fields=["revoked"])
    audit.record(actor=actor, action=AuditAction.INVITATION_REVOKED,
                 organisation=invitation.organisation, target=invitation.email)


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for ``token``, or None if unknown, used, withdrawn or expired."""
    with scopes_disabled():
        return (
            Invitation.objects.filter(
                token_hash=secret_hash(token), accepted__isnull=True, revoked__isnull=True,
                expires__gt=timezone.now(),
            )
            .select_related("organisation")
            .first()
        )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: Any | None = None,
                      password: str = "", name: str = "") -> Any:
    """Join the organisation; create the account first when there is none.

    Returns the user. A used invitation cannot be used again: the row is locked
    and re-checked inside the transaction.
    """
    with scopes_disabled():
        fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if fresh.accepted or fresh.revoked or fresh.expires <= timezone.now():
            raise ValidationError(_("This invitation has already been used or has expired."))
        User = get_user_model()
        if user is None:
            user = User.objects.filter(email=fresh.email).first()
            if user is not None:
                raise ValidationError(_("An account with this email exists. Log in to accept."))
            user = User.objects.create_user(fresh.email, password, name=name)
        elif user.email.lower() != fresh.email:
            raise ValidationError(
                _("This invitation was sent to another email address. Log in as that person.")
            )
        membership, created = Membership.objects.get_or_create(
            organisation=fresh.organisation, user=user, defaults={"role": fresh.role}
        )
        if not created:
            membership.role, membership.is_active = fresh.role, True
            membership.save(update_fields=["role", "is_active"])
        fresh.accepted = timezone.now()
        fresh.save(update_fields=["accepted"])
    forget_roles(user)
    audit.record(actor=user, action=AuditAction.MEMBER_JOINED, organisation=fresh.organisation,
                 target=user.email, detail={"role": fresh.role})
    return user


def _last_admin_guard(membership: Membership, *, new_role: str | None, active: bool) -> None:
    if membership.role != Role.ORG_ADMIN or (new_role == Role.ORG_ADMIN and active):
        return
    with scope(organisation=membership.organisation):
        # Lock the administrators' rows so two admins demoting each other at the
        # same moment cannot both succeed (PostgreSQL; SQLite serialises writers).
        other_admins = Membership.objects.select_for_update().filter(
            organisation=membership.organisation, role=Role.ORG_ADMIN, is_active=True
        ).exclude(pk=membership.pk)
        if not list(other_admins):
            raise ValidationError(
                _("The organisation needs at least one active administrator.")
            )


@transaction.atomic
def change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    if role == membership.role:
        return membership
    _last_admin_guard(membership, new_role=role, active=membership.is_active)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    forget_roles(actor)
    audit.record(actor=actor, action=AuditAction.MEMBER_ROLE_CHANGED,
                 organisation=membership.organisation, target=membership.user.email,
                 detail={"from": before, "to": role})
    return membership


@transaction.atomic
def set_member_active(*, actor: Any, membership: Membership, active: bool) -> Membership:
    if membership.is_active == active:
        return membership
    if not active:
        _last_admin_guard(membership, new_role=None, active=False)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    forget_roles(actor)
    action = AuditAction.MEMBER_REACTIVATED if active else AuditAction.MEMBER_DEACTIVATED
    audit.record(actor=actor, action=action, organisation=membership.organisation,
                 target=membership.user.email)
    return membership


@transaction.atomic
def add_member(*, actor: Any, organisation: Organisation, user: Any, role: str) -> Membership:
    """Add an existing account directly (command line and demo data)."""
    with scope(organisation=organisation):
        membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    forget_roles(user)
    audit.record(actor=actor, action=AuditAction.MEMBER_JOINED, organisation=organisation,
                 target=user.email, detail={"role": role})
    return membership


def account_exists(email: str) -> bool:
    return get_user_model().objects.filter(email=email.lower()).exists()


@transaction.atomic
def record_audit_export(*, actor: Any, organisation: Organisation | None) -> None:
    audit.record(actor=actor, action=AuditAction.AUDIT_EXPORTED, organisation=organisation,
                 target=organisation.slug if organisation else "platform")
