"""A final document revised: a new version from its text, confirmed again by both, while
the final one stays as it was, in force, in the version history. Pages and API."""

from __future__ import annotations

from django_scopes import scopes_disabled

from peerwork.orgs.models import AuditEvent
from peerwork.roles.models import DocumentVersion

from .conftest import API, call, design_role, keyed, url


def make_final(world, role, kind="job_description", lang="en"):
    """Draft version 1 and have the manager and the peer worker confirm it."""
    doc = url(world, role.pk, "documents", kind, lang)
    manager, peer = world.client_for(world.manager), world.client_for(world.peer)
    manager.post(doc + "save/", {"generate": "1"})
    manager.post(doc + "confirm/", {"number": "1", "side": "manager"})
    peer.post(doc + "confirm/", {"number": "1", "side": "peer_worker"})
    return doc


def versions(role):
    with scopes_disabled():
        return list(DocumentVersion.objects.filter(role=role).order_by("number"))


def test_revision_page_starts_a_new_version_and_keeps_the_final_one(world):
    # Arrange
    role = design_role(world)
    doc = make_final(world, role)
    manager, peer = world.client_for(world.manager), world.client_for(world.peer)
    final_page = manager.get(doc).content.decode()
    with scopes_disabled():
        final_before = DocumentVersion.objects.values().get(number=1)

    # Act: a new version from the final text, edited, then confirmed by both.
    revised = manager.post(doc + "revise/", {"based_on": "1"})
    draft_page = manager.get(doc).content.decode()
    manager.post(doc + "save/", {"title": "Job description 2027", "body": "# Hours\nEvenings.",
                                 "based_on": "2"})
    manager.post(doc + "confirm/", {"number": "3", "side": "manager"})
    peer.post(doc + "confirm/", {"number": "3", "side": "peer_worker"})
    detail = manager.get(url(world, role.pk)).content.decode()

    # Assert
    assert "Start a new version" in final_page
    assert revised.status_code == 302
    assert "Version 1 stays in force until the manager and the peer worker both confirm" in draft_page
    assert "Edit and save a new version" in draft_page
    one, two, three = versions(role)
    with scopes_disabled():
        assert DocumentVersion.objects.values().get(number=1) == final_before  # untouched
        revision_events = list(AuditEvent.objects.filter(action="role.document_revised")
                               .values_list("detail", flat=True))
    assert (two.title, two.body) == (one.title, one.body)
    assert (two.manager_confirmed, two.peer_confirmed) == (None, None)
    assert (one.is_final, two.is_final, three.is_final) == (True, False, True)
    assert revision_events == [{"role": role.pk, "kind": "job_description", "language": "en",
                                "number": 2}]
    assert "Version 3 · final" in detail


def test_revision_page_in_progress_shows_the_version_in_force_on_the_role(world):
    # Arrange
    role = design_role(world)
    doc = make_final(world, role)
    manager = world.client_for(world.manager)

    # Act
    manager.post(doc + "revise/", {"based_on": "1"})
    detail = manager.get(url(world, role.pk)).content.decode()

    # Assert
    assert "Version 2<span" in detail
    assert "Version 1 in force" in detail


def test_revision_page_replayed_start_makes_one_version(world):
    # Arrange
    role = design_role(world)
    doc = make_final(world, role)
    manager = world.client_for(world.manager)

    # Act: a double click sends the same form twice.
    first = manager.post(doc + "revise/", {"based_on": "1"})
    second = manager.post(doc + "revise/", {"based_on": "1"}, follow=True)

    # Assert
    assert first.status_code == 302
    assert second.status_code == 200
    assert "A newer version was started in the meantime." in second.content.decode()
    assert [v.number for v in versions(role)] == [1, 2]


def test_revision_page_refused_for_a_document_that_is_not_final(world):
    # Arrange
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "support_plan", "en")
    manager.post(doc + "save/", {"generate": "1"})

    # Act
    response = manager.post(doc + "revise/", {"based_on": "1"})

    # Assert
    assert response.status_code == 409
    assert "Only a final document is revised" in response.content.decode()
    assert [v.number for v in versions(role)] == [1]


def test_revision_page_colleague_cannot_revise(world):
    # Arrange
    role = design_role(world)
    doc = make_final(world, role)

    # Act
    response = world.client_for(world.colleague).post(doc + "revise/", {"based_on": "1"})
    page = world.client_for(world.colleague).get(doc).content.decode()

    # Assert
    assert response.status_code == 404
    assert "Start a new version" not in page
    assert [v.number for v in versions(role)] == [1]


def test_revision_api_starts_a_new_version_to_confirm_again(world):
    # Arrange
    role = design_role(world)
    make_final(world, role, "onboarding_plan", "nb")
    manager, peer = keyed(world.manager), keyed(world.peer)
    address = f"{API}/{world.org.slug}/roles/{role.pk}/documents/onboarding_plan/nb"

    # Act
    edit_final = call(manager, "post", address, {"based_on": 1, "title": "X", "body": "Y"})
    revised = call(peer, "post", address + "/revise", {"based_on": 1})
    replayed = call(peer, "post", address + "/revise", {"based_on": 1})
    not_final = call(manager, "post", address + "/revise", {"based_on": 2})
    colleague = call(keyed(world.colleague), "post", address + "/revise", {"based_on": 2})
    listed = manager.get(address).json()

    # Assert
    assert edit_final.status_code == 409
    assert "Start a new version to change it." in edit_final.json()["detail"]
    assert revised.status_code == 201, revised.content
    assert (revised.json()["number"], revised.json()["final"]) == (2, False)
    assert (replayed.status_code, not_final.status_code, colleague.status_code) == (409, 409, 404)
    assert [(v["number"], v["final"]) for v in listed] == [(2, False), (1, True)]
    assert listed[0]["body"] == listed[1]["body"]
