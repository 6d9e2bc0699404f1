"""Organisations, members, invitations and the audit trail through /api/v1/organisations,
with a browser session and with a personal API key."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.accounts.models import User
from peerwork.accounts.services import create_api_token
from peerwork.orgs import services
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import AuditEvent, Invitation, Membership, Organisation

API = "/api/v1/organisations"
FJORDVIK = {"slug": "fjordvik-psykisk-helse", "name": "Fjordvik psykisk helse",
            "type": "municipal", "country": "NO", "region": "Vestland", "size_band": ""}


def key_client(user: User, **kwargs: Any) -> Client:
    """A client that sends ``user``'s new personal API key and has no session."""
    key = create_api_token(user=user, name="script").key
    return Client(headers={"authorization": f"Bearer {key}"}, **kwargs)


def membership_of(organisation: Organisation, user: User) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(organisation=organisation, user=user)


def audit_count(action: str) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(action=action).count()


# --- authentication -----------------------------------------------------------------


def test_api_without_authentication_is_401(world):
    # Act
    response = Client().get(API)

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_api_unknown_key_is_401(world):
    # Act
    response = Client(headers={"authorization": "Bearer pw_not-a-key"}).get(API)

    # Assert
    assert response.status_code == 401


def test_api_key_from_account_page_works(world):
    # Arrange: create the key the way a person does, on the account page.
    page = world.client_for(world.peer).post("/me/api-keys/", {"name": "My script"}, follow=True)
    key = re.search(r'value="(pw_[A-Za-z0-9_-]+)"', page.content.decode()).group(1)

    # Act
    response = Client(headers={"authorization": f"Bearer {key}"}).get(API)

    # Assert
    assert page.status_code == 200
    assert response.status_code == 200
    assert response.json() == [FJORDVIK]


def test_api_revoked_key_stops_working(world):
    # Arrange
    issued = create_api_token(user=world.peer, name="old")
    world.client_for(world.peer).post("/me/api-keys/",
                                      {"action": "revoke", "token": issued.token.pk})

    # Act
    response = Client(headers={"authorization": f"Bearer {issued.key}"}).get(API)

    # Assert
    assert response.status_code == 401


def test_api_key_of_inactive_account_is_401(world):
    # Arrange
    client = key_client(world.peer)
    User.objects.filter(pk=world.peer.pk).update(is_active=False)

    # Act
    response = client.get(API)

    # Assert
    assert response.status_code == 401


@pytest.mark.parametrize("persona", ["analyst", "org_admin"])
def test_api_key_of_2fa_user_without_totp_is_refused(world, persona):
    # Arrange
    user = getattr(world, persona)
    client = key_client(user)
    Authenticator.objects.filter(user=user).delete()

    # Act
    response = client.get(API)

    # Assert
    assert response.status_code == 401


def test_api_session_list_shows_own_organisations(world):
    # Act
    response = world.client_for(world.charlie).get(API)

    # Assert
    assert response.status_code == 200
    assert response.json() == [{"slug": "secretdal-rus", "name": "Secretdal rus",
                                "type": "ngo", "country": "NO", "region": "Nordland",
                                "size_band": ""}]


def test_api_session_write_without_csrf_token_is_refused(world):
    # Arrange
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.org_admin,
                       backend="allauth.account.auth_backends.AuthenticationBackend")

    # Act
    response = client.patch(f"{API}/{world.org.slug}", {"region": "Rogaland"},
                            content_type="application/json")

    # Assert
    assert response.status_code == 403
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"


def test_api_key_write_needs_no_csrf_token(world):
    # Arrange
    client = key_client(world.org_admin, enforce_csrf_checks=True)

    # Act
    response = client.patch(f"{API}/{world.org.slug}", {"region": "Rogaland"},
                            content_type="application/json")

    # Assert
    assert response.status_code == 200
    assert Organisation.objects.get(pk=world.org.pk).region == "Rogaland"


# --- organisations ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["org_admin", "manager", "peer", "colleague", "analyst"])
def test_api_get_organisation_for_members(world, persona):
    # Act
    response = key_client(getattr(world, persona)).get(f"{API}/{world.org.slug}")

    # Assert
    assert response.status_code == 200
    assert response.json() == FJORDVIK


def test_api_get_other_tenants_organisation_is_404_like_missing(world):
    # Arrange
    client = key_client(world.charlie)

    # Act
    forbidden = client.get(f"{API}/{world.org.slug}")
    missing = client.get(f"{API}/no-such-organisation")

    # Assert
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"detail": "Not Found"}


def test_api_patch_profile_saves_and_audits(world):
    # Act
    response = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}", {"name": "Fjordvik helse", "country": "se",
                                    "size_band": "250+"}, content_type="application/json")

    # Assert
    assert response.status_code == 200
    assert response.json() == {**FJORDVIK, "name": "Fjordvik helse", "country": "SE",
                               "size_band": "250+"}
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.ORG_UPDATED)
    assert event.actor_email == "org_admin@fjordvik.test"
    assert event.detail == {"changed": {"name": ["Fjordvik psykisk helse", "Fjordvik helse"],
                                        "country": ["NO", "SE"],
                                        "size_band": ["", "250+"]}}


@pytest.mark.parametrize("payload", [{"type": "castle"}, {"size_band": "enormous"},
                                     {"country": "NOR"}, {"country": "12"}, {"name": ""},
                                     {"name": 42}, {"region": ["Vestland"]}])
def test_api_patch_profile_bad_input_is_422_and_nothing_saved(world, payload):
    # Act
    response = key_client(world.org_admin).patch(f"{API}/{world.org.slug}", payload,
                                                 content_type="application/json")

    # Assert
    assert response.status_code == 422
    assert "detail" in response.json()
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.name, org.type, org.country, org.region, org.size_band) == (
        "Fjordvik psykisk helse", "municipal", "NO", "Vestland", "")
    assert audit_count(AuditAction.ORG_UPDATED) == 0


def test_api_patch_profile_malformed_json_is_400(world):
    # Act
    response = key_client(world.org_admin).patch(f"{API}/{world.org.slug}", "{not json",
                                                 content_type="application/json")

    # Assert
    assert response.status_code == 400
    assert Organisation.objects.get(pk=world.org.pk).name == "Fjordvik psykisk helse"


@pytest.mark.parametrize("persona", ["manager", "peer", "colleague", "analyst", "charlie"])
def test_api_patch_profile_is_404_for_non_admins(world, persona):
    # Act
    response = key_client(getattr(world, persona)).patch(
        f"{API}/{world.org.slug}", {"region": "Rogaland"}, content_type="application/json")

    # Assert
    assert response.status_code == 404
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"


def test_api_platform_admin_creates_organisation(world):
    # Act
    response = key_client(world.platform_admin).post(
        API, {"name": "Nordlys", "type": "research", "region": "Troms"},
        content_type="application/json")

    # Assert
    assert response.status_code == 201
    assert response.json() == {"slug": "nordlys", "name": "Nordlys", "type": "research",
                               "country": "NO", "region": "Troms", "size_band": ""}
    with scopes_disabled():
        event = AuditEvent.objects.get(action=AuditAction.ORG_CREATED, target="nordlys")
    assert event.actor_email == "pia@platform.test"


@pytest.mark.parametrize("persona", ["org_admin", "peer", "charlie"])
def test_api_create_organisation_is_403_for_others(world, persona):
    # Act
    response = key_client(getattr(world, persona)).post(
        API, {"name": "Rogue", "type": "ngo"}, content_type="application/json")

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Only platform administrators create organisations."}
    assert not Organisation.objects.filter(name="Rogue").exists()


@pytest.mark.parametrize("payload", [{"name": "X", "type": "castle"},
                                     {"name": "X", "type": "ngo", "size_band": "huge"},
                                     {"name": "X", "type": "ngo", "country": "1A"},
                                     {"name": "X"}, {"type": "ngo"}])
def test_api_create_organisation_bad_input_is_422(world, payload):
    # Act
    response = key_client(world.platform_admin).post(API, payload,
                                                     content_type="application/json")

    # Assert
    assert response.status_code == 422
    assert Organisation.objects.count() == 2


# --- members ------------------------------------------------------------------------


def test_api_list_members(world):
    # Act
    response = key_client(world.org_admin).get(f"{API}/{world.org.slug}/members")

    # Assert
    assert response.status_code == 200
    assert [(m["email"], m["role"], m["is_active"]) for m in response.json()] == [
        ("analyst@fjordvik.test", "analyst", True),
        ("colleague@fjordvik.test", "colleague", True),
        ("manager@fjordvik.test", "manager", True),
        ("org_admin@fjordvik.test", "org_admin", True),
        ("peer@fjordvik.test", "peer_worker", True),
    ]
    assert response.json()[4] == {"id": membership_of(world.org, world.peer).pk,
                                  "email": "peer@fjordvik.test", "name": "Peer",
                                  "role": "peer_worker", "is_active": True}


@pytest.mark.parametrize("persona", ["manager", "peer", "analyst", "charlie"])
def test_api_list_members_is_404_for_non_admins(world, persona):
    # Act
    response = key_client(getattr(world, persona)).get(f"{API}/{world.org.slug}/members")

    # Assert
    assert response.status_code == 404
    assert "peer@fjordvik.test" not in response.content.decode()


def test_api_patch_member_role(world):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}/members/{membership.pk}", {"role": "manager"},
        content_type="application/json")

    # Assert
    assert response.status_code == 200
    assert response.json() == {"id": membership.pk, "email": "peer@fjordvik.test",
                               "name": "Peer", "role": "manager", "is_active": True}
    assert membership_of(world.org, world.peer).role == Role.MANAGER
    assert audit_count(AuditAction.MEMBER_ROLE_CHANGED) == 1


def test_api_patch_member_deactivate_and_reactivate(world):
    # Arrange
    membership = membership_of(world.org, world.peer)
    client = key_client(world.org_admin)
    url = f"{API}/{world.org.slug}/members/{membership.pk}"

    # Act
    off = client.patch(url, {"is_active": False}, content_type="application/json")
    on = client.patch(url, {"is_active": True}, content_type="application/json")

    # Assert
    assert off.json()["is_active"] is False
    assert on.json()["is_active"] is True
    assert audit_count(AuditAction.MEMBER_DEACTIVATED) == 1
    assert audit_count(AuditAction.MEMBER_REACTIVATED) == 1


@pytest.mark.parametrize("payload", [{"role": "emperor"}, {"role": 7},
                                     {"is_active": "perhaps"}])
def test_api_patch_member_bad_input_is_422(world, payload):
    # Arrange
    membership = membership_of(world.org, world.peer)

    # Act
    response = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}/members/{membership.pk}", payload,
        content_type="application/json")

    # Assert
    assert response.status_code == 422
    after = membership_of(world.org, world.peer)
    assert (after.role, after.is_active) == (Role.PEER_WORKER, True)


@pytest.mark.parametrize("payload", [{"role": "manager"}, {"is_active": False},
                                     {"role": "org_admin", "is_active": False}])
def test_api_patch_last_admin_is_409_and_nothing_changes(world, payload):
    # Arrange
    membership = membership_of(world.org, world.org_admin)

    # Act
    response = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}/members/{membership.pk}", payload,
        content_type="application/json")

    # Assert
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The organisation needs at least one active administrator."}
    after = membership_of(world.org, world.org_admin)
    assert (after.role, after.is_active) == (Role.ORG_ADMIN, True)


def test_api_patch_other_tenants_membership_is_404(world):
    # Arrange
    charlies = membership_of(world.other_org, world.charlie)
    peers = membership_of(world.org, world.peer)

    # Act
    cross = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}/members/{charlies.pk}", {"is_active": False},
        content_type="application/json")
    outsider = key_client(world.charlie).patch(
        f"{API}/{world.other_org.slug}/members/{peers.pk}", {"is_active": False},
        content_type="application/json")
    missing = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}/members/999999", {"is_active": False},
        content_type="application/json")

    # Assert
    assert cross.status_code == outsider.status_code == missing.status_code == 404
    assert membership_of(world.other_org, world.charlie).is_active is True
    assert membership_of(world.org, world.peer).is_active is True


def test_api_patch_member_non_numeric_id_is_422(world):
    # Act
    response = key_client(world.org_admin).patch(
        f"{API}/{world.org.slug}/members/abc", {"is_active": False},
        content_type="application/json")

    # Assert
    assert response.status_code == 422


# --- invitations --------------------------------------------------------------------


def test_api_post_invitation(world, django_capture_on_commit_callbacks):
    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = key_client(world.org_admin).post(
            f"{API}/{world.org.slug}/invitations",
            {"email": "Nina@Fjordvik.test", "role": "colleague"},
            content_type="application/json")

    # Assert
    assert response.status_code == 201
    with scopes_disabled():
        invitation = Invitation.objects.get(organisation=world.org)
    body = response.json()
    assert body == {"id": invitation.pk, "email": "nina@fjordvik.test", "role": "colleague",
                    "expires": body["expires"]}
    # JSON carries milliseconds.
    expires = invitation.expires
    assert dt.datetime.fromisoformat(body["expires"]) == expires.replace(
        microsecond=expires.microsecond // 1000 * 1000)
    assert invitation.expires - timezone.now() > dt.timedelta(days=13)
    assert mail.outbox[0].to == ["nina@fjordvik.test"]
    assert audit_count(AuditAction.MEMBER_INVITED) == 1


@pytest.mark.parametrize("payload", [{"email": "nina@fjordvik.test", "role": "pope"},
                                     {"email": "not-an-email", "role": "colleague"},
                                     {"email": "nina@fjordvik.test"},
                                     {"role": "colleague"}])
def test_api_post_invitation_bad_input_is_422(world, payload):
    # Act
    response = key_client(world.org_admin).post(f"{API}/{world.org.slug}/invitations",
                                                payload, content_type="application/json")

    # Assert
    assert response.status_code == 422
    with scopes_disabled():
        assert not Invitation.objects.exists()


def test_api_post_invitation_for_existing_member_is_409(world):
    # Act
    response = key_client(world.org_admin).post(
        f"{API}/{world.org.slug}/invitations", {"email": "peer@fjordvik.test",
                                                "role": "manager"},
        content_type="application/json")

    # Assert
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This person is already a member of the organisation."}
    with scopes_disabled():
        assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "peer", "charlie"])
def test_api_post_invitation_is_404_for_non_admins(world, persona):
    # Act
    response = key_client(getattr(world, persona)).post(
        f"{API}/{world.org.slug}/invitations", {"email": "spy@evil.test", "role": "org_admin"},
        content_type="application/json")

    # Assert
    assert response.status_code == 404
    with scopes_disabled():
        assert not Invitation.objects.exists()


# --- audit trail --------------------------------------------------------------------


def test_api_audit_trail(world):
    # Act
    response = key_client(world.org_admin).get(f"{API}/{world.org.slug}/audit")

    # Assert
    assert response.status_code == 200
    rows = response.json()
    assert [(r["action"], r["target"]) for r in rows][-1] == ("org.created", world.org.slug)
    assert sorted(r["target"] for r in rows if r["action"] == "member.joined") == [
        "analyst@fjordvik.test", "colleague@fjordvik.test", "manager@fjordvik.test",
        "org_admin@fjordvik.test", "peer@fjordvik.test"]
    assert {r["organisation"] for r in rows} == {world.org.slug}
    with scopes_disabled():
        first = AuditEvent.objects.filter(organisation=world.org).order_by("id").first()
    assert rows[-1] == {"id": str(first.uuid), "created": rows[-1]["created"],
                        "organisation": world.org.slug, "actor": "pia@platform.test",
                        "action": "org.created", "target": world.org.slug,
                        "detail": {"name": "Fjordvik psykisk helse", "type": "municipal"}}


def test_api_audit_trail_filters(world):
    # Arrange
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="nina@fjordvik.test", role=Role.PEER_WORKER)
    noon = timezone.make_aware(dt.datetime(2026, 1, 10, 12, 0))
    with scopes_disabled():
        AuditEvent.objects.filter(action=AuditAction.ORG_CREATED).update(created=noon)
    client = key_client(world.org_admin)
    url = f"{API}/{world.org.slug}/audit"

    # Act
    by_action = client.get(url, {"action": "member.invited"})
    by_actor = client.get(url, {"actor": "org_admin"})
    by_until = client.get(url, {"until": "2026-01-31"})
    by_since = client.get(url, {"since": "2026-02-01", "action": "org.created"})

    # Assert
    assert [r["target"] for r in by_action.json()] == ["nina@fjordvik.test"]
    assert [r["action"] for r in by_actor.json()] == ["member.invited"]
    assert [r["target"] for r in by_until.json()] == [world.org.slug]
    assert by_since.json() == []


@pytest.mark.parametrize("query", [{"action": "org.exploded"}, {"since": "soon"},
                                   {"until": "2026-02-30"}])
def test_api_audit_trail_bad_filter_is_422(world, query):
    # Act
    response = key_client(world.org_admin).get(f"{API}/{world.org.slug}/audit", query)

    # Assert
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["manager", "peer", "analyst", "charlie"])
def test_api_audit_trail_is_404_for_non_admins(world, persona):
    # Act
    response = key_client(getattr(world, persona)).get(f"{API}/{world.org.slug}/audit")

    # Assert
    assert response.status_code == 404
    assert "org_admin@fjordvik.test" not in response.content.decode()
