"""An organisation administrator edits the organisation's profile."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from peerwork.orgs import services
from peerwork.orgs.enums import AuditAction
from peerwork.orgs.models import AuditEvent, Organisation

PROFILE = {"name": "Fjordvik psykisk helse og rus", "type": "specialist", "country": "no",
           "region": "Vestland", "size_band": "10-49"}


def main_part(content: bytes) -> str:
    """The page's <main> element: the frame around it repeats the path and a CSRF token."""
    match = re.search(r"<main.*</main>", content.decode(), re.S)
    assert match is not None
    return match.group(0)


def profile_events(organisation: Organisation) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organisation=organisation,
                                              action=AuditAction.ORG_UPDATED))


def test_profile_admin_sees_current_values(world):
    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/settings/")

    # Assert
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Fjordvik psykisk helse"' in body
    assert 'value="Vestland"' in body


def test_profile_admin_saves_changes_with_audit_event(world):
    # Arrange
    client = world.client_for(world.org_admin)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/", PROFILE)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == f"/o/{world.org.slug}/settings/"
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.name, org.type, org.country, org.region, org.size_band) == (
        "Fjordvik psykisk helse og rus", "specialist", "NO", "Vestland", "10-49")
    assert org.slug == world.org.slug  # links stay valid after a rename
    (event,) = profile_events(world.org)
    assert event.actor == world.org_admin
    assert event.actor_email == "org_admin@fjordvik.test"
    assert event.target == world.org.slug
    assert event.detail == {"changed": {
        "name": ["Fjordvik psykisk helse", "Fjordvik psykisk helse og rus"],
        "type": ["municipal", "specialist"],
        "size_band": ["", "10-49"],
    }}


def test_profile_unchanged_save_writes_no_audit_event(world):
    # Arrange
    client = world.client_for(world.org_admin)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/", {
        "name": "Fjordvik psykisk helse", "type": "municipal", "country": "NO",
        "region": "Vestland", "size_band": ""})

    # Assert
    assert response.status_code == 302
    assert profile_events(world.org) == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("country", "Norway", "Ensure this value has at most 2 characters (it has 6)."),
    ("country", "N1", "Use a two-letter country code, for example NO."),
    ("type", "church", "Select a valid choice. church is not one of the available choices."),
    ("size_band", "1000+", "Select a valid choice. 1000+ is not one of the available choices."),
    ("name", "", "This field is required."),
])
def test_profile_invalid_input_is_refused_and_nothing_saved(world, field, value, message):
    # Arrange
    client = world.client_for(world.org_admin)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/", {**PROFILE, field: value})

    # Assert
    assert response.status_code == 400
    assert message in response.content.decode()
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.name, org.type, org.region, org.size_band) == (
        "Fjordvik psykisk helse", "municipal", "Vestland", "")
    assert profile_events(world.org) == []


@pytest.mark.parametrize("persona", ["manager", "peer", "colleague", "analyst", "charlie"])
@pytest.mark.parametrize("page", ["settings", "members", "audit"])
def test_profile_admin_pages_are_not_found_for_others(world, persona, page):
    # Arrange
    client = world.client_for(getattr(world, persona))

    # Act
    got = client.get(f"/o/{world.org.slug}/{page}/")
    posted = client.post(f"/o/{world.org.slug}/{page}/", PROFILE)

    # Assert
    assert got.status_code == 404
    assert posted.status_code == 404
    assert "There is nothing here, or you do not have access to it." in got.content.decode()
    assert Organisation.objects.get(pk=world.org.pk).name == "Fjordvik psykisk helse"


def test_profile_unknown_slug_looks_like_forbidden_one(world):
    # Arrange
    client = world.client_for(world.charlie)

    # Act
    missing = client.get("/o/no-such-organisation/settings/")
    forbidden = client.get(f"/o/{world.org.slug}/settings/")

    # Assert
    assert missing.status_code == forbidden.status_code == 404
    assert main_part(missing.content) == main_part(forbidden.content)


@pytest.mark.parametrize("persona", ["manager", "peer", "colleague", "analyst"])
def test_profile_overview_is_open_to_every_member(world, persona):
    # Act
    response = world.client_for(getattr(world, persona)).get(f"/o/{world.org.slug}/")

    # Assert
    assert response.status_code == 200
    assert "<h1>Fjordvik psykisk helse</h1>" in response.content.decode()


def test_profile_overview_needs_login(world):
    # Act
    response = Client().get(f"/o/{world.org.slug}/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/o/{world.org.slug}/"


def test_profile_deactivated_member_loses_access(world):
    # Arrange
    with scopes_disabled():
        membership = world.org.memberships.get(user=world.peer)
    services.set_member_active(actor=world.org_admin, membership=membership, active=False)

    # Act
    response = world.client_for(world.peer).get(f"/o/{world.org.slug}/")

    # Assert
    assert response.status_code == 404
