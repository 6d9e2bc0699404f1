"""Platform administrators create organisations and invite their first members."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scopes_disabled

from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import AuditEvent, Invitation, Organisation

NEW_ORG = {"name": "Nordlys brukerstyrt senter", "type": "ngo", "country": "no",
           "region": "Troms", "size_band": "1-9"}


def test_platform_admin_creates_organisation_with_audit_event(world):
    # Act
    response = world.client_for(world.platform_admin).post("/platform/", NEW_ORG)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/platform/"
    org = Organisation.objects.get(name="Nordlys brukerstyrt senter")
    assert (org.slug, org.type, org.country, org.region, org.size_band) == (
        "nordlys-brukerstyrt-senter", "ngo", "NO", "Troms", "1-9")
    with scopes_disabled():
        (event,) = AuditEvent.objects.filter(organisation=org)
    assert (event.action, event.actor, event.target, event.detail) == (
        AuditAction.ORG_CREATED, world.platform_admin, "nordlys-brukerstyrt-senter",
        {"name": "Nordlys brukerstyrt senter", "type": "ngo"})


def test_platform_same_name_gets_its_own_slug(world):
    # Act
    response = world.client_for(world.platform_admin).post(
        "/platform/", {**NEW_ORG, "name": "Fjordvik psykisk helse"})

    # Assert
    assert response.status_code == 302
    assert sorted(Organisation.objects.filter(name="Fjordvik psykisk helse")
                  .values_list("slug", flat=True)) == [
        "fjordvik-psykisk-helse", "fjordvik-psykisk-helse-2"]


@pytest.mark.parametrize(("field", "value"), [("type", "cult"), ("country", "123"),
                                              ("name", ""), ("size_band", "huge")])
def test_platform_bad_organisation_is_refused_and_nothing_saved(world, field, value):
    # Act
    response = world.client_for(world.platform_admin).post("/platform/",
                                                           {**NEW_ORG, field: value})

    # Assert
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert Organisation.objects.count() == 2
    with scopes_disabled():
        assert AuditEvent.objects.filter(action=AuditAction.ORG_CREATED).count() == 2


@pytest.mark.parametrize("persona", ["org_admin", "manager", "peer", "colleague", "analyst",
                                     "charlie"])
@pytest.mark.parametrize("path", ["/platform/", "/platform/audit/",
                                  "/platform/fjordvik-psykisk-helse/invite/"])
def test_platform_pages_are_not_found_for_everyone_else(world, persona, path):
    # Arrange
    client = world.client_for(getattr(world, persona))

    # Act
    got = client.get(path)
    posted = client.post(path, {**NEW_ORG, "email": "x@evil.test", "role": Role.ORG_ADMIN})

    # Assert
    assert got.status_code == 404
    assert posted.status_code == 404
    assert Organisation.objects.count() == 2
    with scopes_disabled():
        assert not Invitation.objects.exists()


def test_platform_pages_need_login(db):
    # Act
    response = Client().get("/platform/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/platform/"


def test_platform_admin_invites_first_administrator(world, django_capture_on_commit_callbacks):
    # Arrange
    client = world.client_for(world.platform_admin)
    client.post("/platform/", NEW_ORG)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/platform/nordlys-brukerstyrt-senter/invite/",
                               {"email": "leder@nordlys.test", "role": Role.ORG_ADMIN})

    # Assert
    assert response.status_code == 302
    org = Organisation.objects.get(slug="nordlys-brukerstyrt-senter")
    with scopes_disabled():
        invitation = Invitation.objects.get(organisation=org)
        event = AuditEvent.objects.get(organisation=org, action=AuditAction.MEMBER_INVITED)
    assert (invitation.email, invitation.role) == ("leder@nordlys.test", Role.ORG_ADMIN)
    assert (event.actor_email, event.target) == ("pia@platform.test", "leder@nordlys.test")
    assert mail.outbox[0].to == ["leder@nordlys.test"]


def test_platform_invite_unknown_organisation_is_not_found(world):
    # Act
    response = world.client_for(world.platform_admin).get("/platform/no-such-org/invite/")

    # Assert
    assert response.status_code == 404
