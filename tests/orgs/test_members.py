"""Organisation administrators invite members, change roles, deactivate and reactivate."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from conftest import give_totp, make_user
from peerwork.orgs import services
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import AuditEvent, Invitation, Membership, Organisation

LAST_ADMIN = "The organisation needs at least one active administrator."


def membership_of(organisation: Organisation, user: Any) -> Membership:
    with scopes_disabled():
        return Membership.objects.select_related("user").get(organisation=organisation,
                                                             user=user)


def events(organisation: Organisation, action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organisation=organisation, action=action)
                    .order_by("id"))


def test_members_page_lists_members_and_pending_invitations(world):
    # Arrange
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="nina@fjordvik.test", role=Role.COLLEAGUE)

    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/members/")

    # Assert
    assert response.status_code == 200
    body = response.content.decode()
    for email in ["org_admin@fjordvik.test", "manager@fjordvik.test", "peer@fjordvik.test",
                  "colleague@fjordvik.test", "analyst@fjordvik.test", "nina@fjordvik.test"]:
        assert email in body
    assert "charlie@secretdal.test" not in body


def test_members_invite_creates_invitation_mail_and_audit_event(
        world, django_capture_on_commit_callbacks):
    # Arrange
    client = world.client_for(world.org_admin)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/o/{world.org.slug}/members/",
                               {"email": " Nina@Fjordvik.test ", "role": Role.ANALYST})

    # Assert
    assert response.status_code == 302
    with scopes_disabled():
        invitation = Invitation.objects.get(organisation=world.org)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "nina@fjordvik.test", Role.ANALYST, world.org_admin)
    # The email carries the token; the database only its hash.
    token = re.search(r"/invitations/([A-Za-z0-9_-]+)/", mail.outbox[0].body).group(1)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    (event,) = events(world.org, AuditAction.MEMBER_INVITED)
    assert (event.actor_email, event.target, event.detail) == (
        "org_admin@fjordvik.test", "nina@fjordvik.test", {"role": "analyst"})


def test_members_invite_existing_member_is_refused(world, django_capture_on_commit_callbacks):
    # Arrange
    client = world.client_for(world.org_admin)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/o/{world.org.slug}/members/",
                               {"email": "peer@fjordvik.test", "role": Role.MANAGER})

    # Assert
    assert response.status_code == 400
    assert "This person is already a member of the organisation." in response.content.decode()
    assert mail.outbox == []
    with scopes_disabled():
        assert not Invitation.objects.exists()
    assert events(world.org, AuditAction.MEMBER_INVITED) == []


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "nina@fjordvik.test", "role": "overlord"},
     "Select a valid choice. overlord is not one of the available choices."),
    ({"email": "not an email", "role": Role.PEER_WORKER}, "Enter a valid email address."),
    ({"email": "", "role": Role.PEER_WORKER}, "This field is required."),
])
def test_members_invite_bad_input_is_refused(world, data, message):
    # Act
    response = world.client_for(world.org_admin).post(f"/o/{world.org.slug}/members/", data)

    # Assert
    assert response.status_code == 400
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Invitation.objects.exists()


def test_members_change_role_saves_and_audits(world):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/members/{membership.pk}/",
        {"action": "role", "role": Role.MANAGER})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == f"/o/{world.org.slug}/members/"
    assert membership_of(world.org, world.peer).role == Role.MANAGER
    (event,) = events(world.org, AuditAction.MEMBER_ROLE_CHANGED)
    assert (event.actor_email, event.target, event.detail) == (
        "org_admin@fjordvik.test", "peer@fjordvik.test",
        {"from": "peer_worker", "to": "manager"})


def test_members_change_role_new_role_takes_effect(world):
    # Arrange: the colleague becomes an organisation administrator.
    membership = membership_of(world.org, world.colleague)
    world.client_for(world.org_admin).post(f"/o/{world.org.slug}/members/{membership.pk}/",
                                           {"action": "role", "role": Role.ORG_ADMIN})
    give_totp(world.colleague)  # the new role requires two-factor authentication

    # Act
    response = world.client_for(world.colleague).get(f"/o/{world.org.slug}/members/")

    # Assert
    assert response.status_code == 200


def test_members_change_role_invalid_role_is_refused(world):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/members/{membership.pk}/", {"action": "role", "role": "king"})

    # Assert
    assert response.status_code == 400
    assert "Choose a valid role." in response.content.decode()
    assert membership_of(world.org, world.peer).role == Role.PEER_WORKER
    assert events(world.org, AuditAction.MEMBER_ROLE_CHANGED) == []


def test_members_unknown_action_is_refused(world):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/members/{membership.pk}/", {"action": "delete"})

    # Assert
    assert response.status_code == 400
    assert "Unknown action." in response.content.decode()
    assert membership_of(world.org, world.peer).is_active is True


def test_members_deactivate_and_reactivate(world):
    # Arrange
    membership = membership_of(world.org, world.peer)
    client = world.client_for(world.org_admin)
    url = f"/o/{world.org.slug}/members/{membership.pk}/"

    # Act
    deactivated = client.post(url, {"action": "deactivate"})
    peer_meanwhile = world.client_for(world.peer).get(f"/o/{world.org.slug}/")
    reactivated = client.post(url, {"action": "reactivate"})

    # Assert
    assert deactivated.status_code == reactivated.status_code == 302
    assert peer_meanwhile.status_code == 404
    assert membership_of(world.org, world.peer).is_active is True
    assert [(e.action, e.target) for e in events(world.org, AuditAction.MEMBER_DEACTIVATED)
            + events(world.org, AuditAction.MEMBER_REACTIVATED)] == [
        ("member.deactivated", "peer@fjordvik.test"),
        ("member.reactivated", "peer@fjordvik.test"),
    ]


@pytest.mark.parametrize("data", [{"action": "role", "role": Role.MANAGER},
                                  {"action": "deactivate"}])
def test_members_last_active_admin_cannot_step_down(world, data):
    # Arrange
    membership = membership_of(world.org, world.org_admin)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/members/{membership.pk}/", data)

    # Assert
    assert response.status_code == 409
    assert LAST_ADMIN in response.content.decode()
    after = membership_of(world.org, world.org_admin)
    assert (after.role, after.is_active) == (Role.ORG_ADMIN, True)
    assert events(world.org, "member.role_changed") + events(world.org,
                                                             "member.deactivated") == []


def test_members_deactivated_admin_does_not_count_as_active(world):
    # Arrange: a second administrator exists but is deactivated.
    second = make_user("second@fjordvik.test", "Second")
    services.add_member(actor=world.platform_admin, organisation=world.org, user=second,
                        role=Role.ORG_ADMIN)
    services.set_member_active(actor=world.org_admin,
                               membership=membership_of(world.org, second), active=False)
    membership = membership_of(world.org, world.org_admin)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/members/{membership.pk}/", {"action": "deactivate"})

    # Assert
    assert response.status_code == 409
    assert membership_of(world.org, world.org_admin).is_active is True


def test_members_admin_may_step_down_when_another_admin_remains(world):
    # Arrange
    second = make_user("second@fjordvik.test", "Second")
    services.add_member(actor=world.platform_admin, organisation=world.org, user=second,
                        role=Role.ORG_ADMIN)
    membership = membership_of(world.org, world.org_admin)
    client = world.client_for(world.org_admin)

    # Act
    response = client.post(f"/o/{world.org.slug}/members/{membership.pk}/",
                           {"action": "role", "role": Role.MANAGER})
    afterwards = client.get(f"/o/{world.org.slug}/members/")

    # Assert
    assert response.status_code == 302
    assert membership_of(world.org, world.org_admin).role == Role.MANAGER
    assert afterwards.status_code == 404


def test_members_other_organisations_membership_is_not_found(world):
    # Arrange: Charlie's membership id, used under Fjordvik's slug.
    charlies = membership_of(world.other_org, world.charlie)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/members/{charlies.pk}/", {"action": "deactivate"})

    # Assert
    assert response.status_code == 404
    assert membership_of(world.other_org, world.charlie).is_active is True


def test_members_outsider_cannot_touch_fjordvik_members(world):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = world.client_for(world.charlie).post(
        f"/o/{world.org.slug}/members/{membership.pk}/", {"action": "deactivate"})
    own_slug = world.client_for(world.charlie).post(
        f"/o/{world.other_org.slug}/members/{membership.pk}/", {"action": "deactivate"})

    # Assert
    assert response.status_code == 404
    assert own_slug.status_code == 404
    assert membership_of(world.org, world.peer).is_active is True


def test_members_update_needs_post(world):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = world.client_for(world.org_admin).get(
        f"/o/{world.org.slug}/members/{membership.pk}/")

    # Assert
    assert response.status_code == 405


def test_members_withdraw_other_organisations_invitation_is_not_found(world):
    # Arrange
    issued = services.invite_member(actor=world.charlie, organisation=world.other_org,
                                    email="secret@secretdal.test", role=Role.PEER_WORKER)

    # Act
    response = world.client_for(world.org_admin).post(
        f"/o/{world.org.slug}/invitations/{issued.invitation.pk}/withdraw/")

    # Assert
    assert response.status_code == 404
    with scopes_disabled():
        assert Invitation.objects.get(pk=issued.invitation.pk).revoked is None
