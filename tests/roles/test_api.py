"""Roles through the API: design, classification and checks, documents, concurrency."""

from __future__ import annotations

from django_scopes import scopes_disabled

from peerwork.roles.models import DocumentVersion, RoleDesign

from .conftest import API, DESIGN, call, design_role, keyed


def test_roles_api_design_classify_check(world):
    # Arrange
    client = keyed(world.manager)
    body = {**DESIGN, "peer_worker_id": world.peer.pk,
            "involvement": {"service_cycle.design": ["involvement_level.service"],
                            "service_cycle.delivery": ["involvement_level.individual"]}}

    # Act
    created = call(client, "post", f"{API}/{world.org.slug}/roles", body)

    # Assert
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["classification"]["peer_role"] == "peer_role.co_creation_partner"
    assert data["classification"]["mode"] == "service_cycle.co_creation"
    assert data["classification"]["transformative_potential"] == 3
    assert [(f["code"], f["element_id"], f["source_document"], f["source_lines"])
            for f in data["findings"]] == [
        ("inexperienced_alone", "precondition.hiring_policy.seniority", "003", "319, 415")]


def test_roles_api_stale_version_is_409_and_nothing_lost(world):
    # Arrange
    role = design_role(world)
    manager, peer = keyed(world.manager), keyed(world.peer)
    url = f"{API}/{world.org.slug}/roles/{role.pk}"
    first = call(manager, "put", url, {**DESIGN, "title": "First", "version": 1,
                                       "peer_worker_id": world.peer.pk})

    # Act
    second = call(peer, "put", url, {**DESIGN, "title": "Second", "version": 1,
                                     "peer_worker_id": world.peer.pk})

    # Assert
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert "version 2" in second.json()["detail"]
    role.refresh_from_db()
    assert role.title == "First"


def test_roles_api_bad_input_is_4xx(world):
    # Arrange
    client = keyed(world.manager)
    url = f"{API}/{world.org.slug}/roles"

    # Act
    bad_form = call(client, "post", url, {**DESIGN, "form": "role_form.nonsense"})
    bad_phase = call(client, "post", url, {**DESIGN, "functions": ["barrier.stigma"]})
    oversized = call(client, "post", url, {**DESIGN, "tasks": "x" * 5000})
    other_peer = call(client, "post", url, {**DESIGN, "peer_worker_id": world.charlie.pk})
    wrong_type = call(client, "post", url, {**DESIGN, "peer_workers_in_team": "many"})

    # Assert
    assert [r.status_code for r in (bad_form, bad_phase, oversized, other_peer, wrong_type)] == [
        400, 400, 422, 400, 422]
    assert "Choose the form of the role." in bad_form.json()["detail"]
    with scopes_disabled():
        assert RoleDesign.objects.count() == 0


def test_roles_api_documents_draft_edit_confirm(world):
    # Arrange
    role = design_role(world)
    manager, peer = keyed(world.manager), keyed(world.peer)
    url = f"{API}/{world.org.slug}/roles/{role.pk}/documents/onboarding_plan/en"

    # Act
    drafted = call(manager, "post", url, {"based_on": None})
    stale = call(peer, "post", url, {"based_on": None, "title": "Mine", "body": "Text"})
    edited = call(peer, "post", url, {"based_on": 1, "title": "Onboarding", "body": "- [ ] Meet"})
    colleague = call(keyed(world.colleague), "post", url + "/confirm", {"number": 2, "side": "manager"})
    as_manager = call(manager, "post", url + "/confirm", {"number": 2, "side": "manager"})
    as_peer = call(peer, "post", url + "/confirm", {"number": 2, "side": "peer_worker"})
    listed = manager.get(url)

    # Assert
    assert drafted.status_code == 201
    assert "- [ ] Welcome meeting with the manager" in drafted.json()["body"]
    assert stale.status_code == 409
    assert edited.status_code == 201
    assert colleague.status_code == 404
    assert as_manager.status_code == 200
    assert as_peer.json()["final"] is True
    assert [(v["number"], v["final"]) for v in listed.json()] == [(2, True), (1, False)]
    pdf = manager.get(listed.json()[0]["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_roles_api_other_organisation_sees_nothing(world):
    # Arrange
    role = design_role(world)
    charlie = keyed(world.charlie)

    # Act
    own = charlie.get(f"{API}/{world.other_org.slug}/roles")
    theirs = charlie.get(f"{API}/{world.org.slug}/roles/{role.pk}")
    via_own_slug = charlie.get(f"{API}/{world.other_org.slug}/roles/{role.pk}")

    # Assert
    assert own.status_code == 200
    assert own.json() == []
    assert theirs.status_code == via_own_slug.status_code == 404
    with scopes_disabled():
        assert DocumentVersion.objects.count() == 0
