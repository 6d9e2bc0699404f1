"""Joining an organisation through an emailed invitation link, end to end over HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.accounts.models import User
from peerwork.orgs import services
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import AuditEvent, Invitation, Membership

NEW_PASSWORD = "fjord-lighthouse-kelp-42"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/invitations/[A-Za-z0-9_-]+/)")


def invite_through_members_page(world: Any, capture: Callable[..., Any], *, email: str,
                                role: str) -> str:
    """Invite as Fjordvik's administrator and return the path of the emailed link."""
    client = world.client_for(world.org_admin)
    with capture(execute=True):
        response = client.post(f"/o/{world.org.slug}/members/", {"email": email, "role": role})
    assert response.status_code == 302
    assert response["Location"] == f"/o/{world.org.slug}/members/"
    (message,) = mail.outbox
    match = LINK.search(message.body)
    assert match is not None, message.body
    return match.group(1)


def test_invitation_new_person_joins_with_role(world, django_capture_on_commit_callbacks):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="Nina@Fjordvik.test", role=Role.MANAGER)
    anonymous = Client()

    # Act
    form_page = anonymous.get(path)
    response = anonymous.post(path, {"name": "Nina Nes", "password1": NEW_PASSWORD,
                                     "password2": NEW_PASSWORD})

    # Assert
    assert mail.outbox[0].to == ["nina@fjordvik.test"]
    assert mail.outbox[0].subject == "You are invited to Fjordvik psykisk helse on Peerwork"
    assert form_page.status_code == 200
    assert "Create account and join" in form_page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{world.org.slug}/"
    user = User.objects.get(email="nina@fjordvik.test")
    assert user.name == "Nina Nes"
    assert user.check_password(NEW_PASSWORD)
    with scopes_disabled():
        membership = Membership.objects.get(organisation=world.org, user=user)
        joined = AuditEvent.objects.filter(organisation=world.org,
                                           action=AuditAction.MEMBER_JOINED,
                                           target="nina@fjordvik.test").get()
    assert (membership.role, membership.is_active) == (Role.MANAGER, True)
    assert joined.actor_email == "nina@fjordvik.test"
    assert joined.detail == {"role": "manager"}
    # The new member is logged in and sees the organisation.
    detail = anonymous.get(f"/o/{world.org.slug}/")
    assert detail.status_code == 200
    assert "<h1>Fjordvik psykisk helse</h1>" in detail.content.decode()


def test_invitation_link_cannot_be_reused(world, django_capture_on_commit_callbacks):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="nina@fjordvik.test", role=Role.PEER_WORKER)
    Client().post(path, {"name": "Nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    # Act
    again = Client().post(path, {"name": "Mallory", "password1": NEW_PASSWORD,
                                 "password2": NEW_PASSWORD})

    # Assert
    assert again.status_code == 404
    assert "This invitation link is not valid" in again.content.decode()
    assert User.objects.filter(email="nina@fjordvik.test").get().name == "Nina"


def test_invitation_weak_password_is_refused_and_nothing_is_saved(
        world, django_capture_on_commit_callbacks):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="nina@fjordvik.test", role=Role.PEER_WORKER)

    # Act
    response = Client().post(path, {"name": "Nina", "password1": "12345678",
                                     "password2": "12345678"})

    # Assert
    assert response.status_code == 400
    assert "The password must have at least 10 characters." in response.content.decode()
    assert not User.objects.filter(email="nina@fjordvik.test").exists()
    with scopes_disabled():
        assert Invitation.objects.get(email="nina@fjordvik.test").accepted is None


def test_invitation_mismatched_passwords_are_refused(world, django_capture_on_commit_callbacks):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="nina@fjordvik.test", role=Role.PEER_WORKER)

    # Act
    response = Client().post(path, {"name": "Nina", "password1": NEW_PASSWORD,
                                     "password2": NEW_PASSWORD + "x"})

    # Assert
    assert response.status_code == 400
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(email="nina@fjordvik.test").exists()


def test_invitation_expired_link_is_not_found(world, django_capture_on_commit_callbacks):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="nina@fjordvik.test", role=Role.PEER_WORKER)
    with scopes_disabled():
        Invitation.objects.filter(email="nina@fjordvik.test").update(
            expires=timezone.now() - timedelta(seconds=1))

    # Act
    page = Client().get(path)
    post = Client().post(path, {"name": "Nina", "password1": NEW_PASSWORD,
                                "password2": NEW_PASSWORD})

    # Assert
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()
    assert post.status_code == 404
    assert not User.objects.filter(email="nina@fjordvik.test").exists()


def test_invitation_withdrawn_link_is_not_found(world, django_capture_on_commit_callbacks):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="nina@fjordvik.test", role=Role.PEER_WORKER)
    with scopes_disabled():
        invitation = Invitation.objects.get(email="nina@fjordvik.test")
    admin = world.client_for(world.org_admin)

    # Act
    withdraw = admin.post(f"/o/{world.org.slug}/invitations/{invitation.pk}/withdraw/")
    page = Client().get(path)

    # Assert
    assert withdraw.status_code == 302
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()
    with scopes_disabled():
        assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED,
                                         target="nina@fjordvik.test").count() == 1


def test_invitation_unknown_token_is_not_found(db):
    # Act
    response = Client().get("/invitations/not-a-real-token/")

    # Assert
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_invitation_existing_account_must_log_in(world):
    # Arrange: Charlie of the other organisation is invited to Fjordvik too.
    issued = services.invite_member(actor=world.org_admin, organisation=world.org,
                                    email="charlie@secretdal.test", role=Role.COLLEAGUE)
    path = issued.url.removeprefix("http://127.0.0.1:8000")

    # Act
    page = Client().get(path)
    post = Client().post(path, {"name": "Mallory", "password1": NEW_PASSWORD,
                                "password2": NEW_PASSWORD})

    # Assert
    assert page.status_code == 200
    body = page.content.decode()
    assert "You already have an account." in body
    assert f'href="/accounts/login/?next={path}"' in body
    assert post.status_code == 200
    assert not User.objects.get(pk=world.charlie.pk).check_password(NEW_PASSWORD)
    with scopes_disabled():
        assert not Membership.objects.filter(organisation=world.org, user=world.charlie).exists()


def test_invitation_existing_account_accepts_after_login(world):
    # Arrange
    issued = services.invite_member(actor=world.org_admin, organisation=world.org,
                                    email="charlie@secretdal.test", role=Role.COLLEAGUE)
    path = issued.url.removeprefix("http://127.0.0.1:8000")
    charlie = world.client_for(world.charlie)

    # Act
    page = charlie.get(path)
    response = charlie.post(path)

    # Assert
    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{world.org.slug}/"
    with scopes_disabled():
        membership = Membership.objects.get(organisation=world.org, user=world.charlie)
    assert membership.role == Role.COLLEAGUE


def test_invitation_wrong_person_sees_message_and_cannot_accept(world):
    # Arrange
    issued = services.invite_member(actor=world.org_admin, organisation=world.org,
                                    email="nina@fjordvik.test", role=Role.ANALYST)
    path = issued.url.removeprefix("http://127.0.0.1:8000")
    peer = world.client_for(world.peer)

    # Act
    page = peer.get(path)
    post = peer.post(path)

    # Assert
    assert page.status_code == 200
    assert "You are logged in as someone else. Log out, then open the link again." in (
        page.content.decode())
    assert post.status_code == 409
    assert "This invitation was sent to another email address. Log in as that person." in (
        post.content.decode())
    with scopes_disabled():
        assert Invitation.objects.get(pk=issued.invitation.pk).accepted is None
        assert Membership.objects.get(organisation=world.org, user=world.peer).role == (
            Role.PEER_WORKER)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ORG_ADMIN])
def test_invitation_role_requiring_2fa_sends_new_member_to_totp_setup(
        world, django_capture_on_commit_callbacks, role):
    # Arrange
    path = invite_through_members_page(world, django_capture_on_commit_callbacks,
                                       email="nina@fjordvik.test", role=role)
    client = Client()
    client.post(path, {"name": "Nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    # Act
    response = client.get(f"/o/{world.org.slug}/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
