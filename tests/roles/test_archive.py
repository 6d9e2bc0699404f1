"""Archiving, restoring and deleting roles: pages and API, for managers only, and never
deleting a role whose documents someone confirmed."""

from __future__ import annotations

from django_scopes import scopes_disabled

from peerwork.orgs.models import AuditEvent
from peerwork.roles.models import DocumentVersion, RoleDesign

from .conftest import API, call, design_role, form_data, keyed, url


def audit_actions(world):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organisation=world.org, action__startswith="role.")
                    .order_by("created", "id").values_list("action", flat=True))


def test_archive_page_hides_the_role_keeps_it_read_only_and_restores_it(world):
    # Arrange
    role = design_role(world)
    design_role(world, title="Erfaringskonsulent, oppsøkende team")
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "en")
    manager.post(doc + "save/", {"generate": "1"})

    # Act
    archived = manager.post(url(world, role.pk, "archive"))
    in_use = manager.get(url(world)).content.decode()
    archive_list = manager.get(url(world) + "?archived=1").content.decode()
    detail = manager.get(url(world, role.pk)).content.decode()
    edit = manager.post(url(world, role.pk, "edit"),
                        form_data(title="Changed", version="2", peer_worker=str(world.peer.pk)))
    save = manager.post(doc + "save/", {"title": "T", "body": "B", "based_on": "1"})
    confirm = manager.post(doc + "confirm/", {"number": "1", "side": "manager"})
    document_page = manager.get(doc).content.decode()
    restored = manager.post(url(world, role.pk, "restore"))
    after = manager.get(url(world)).content.decode()

    # Assert
    assert (archived.status_code, restored.status_code) == (302, 302)
    assert "Erfaringskonsulent, ROP-teamet" not in in_use
    assert "Show the archived role (1)" in in_use
    assert "Erfaringskonsulent, ROP-teamet" in archive_list
    assert "Erfaringskonsulent, oppsøkende team" not in archive_list
    assert "This role was archived on" in detail
    assert "Restore the role" in detail
    assert "Edit the role" not in detail
    assert (edit.status_code, save.status_code, confirm.status_code) == (409, 409, 409)
    assert "This role is archived. Restore it to change it." in edit.content.decode()
    assert "Confirm as the manager" not in document_page
    assert "Save as a new version" not in document_page
    assert "Erfaringskonsulent, ROP-teamet" in after
    role.refresh_from_db()
    assert (role.title, role.archived) == ("Erfaringskonsulent, ROP-teamet", None)
    with scopes_disabled():
        assert DocumentVersion.objects.get(role=role).manager_confirmed is None
    assert audit_actions(world)[-2:] == ["role.archived", "role.restored"]


def test_archive_page_an_edit_begun_before_archiving_is_refused_as_stale(world):
    # Arrange: the peer worker opened the edit form at version 1.
    role = design_role(world)
    world.client_for(world.manager).post(url(world, role.pk, "archive"))
    world.client_for(world.manager).post(url(world, role.pk, "restore"))

    # Act
    response = world.client_for(world.peer).post(
        url(world, role.pk, "edit"), form_data(title="Late edit", version="1",
                                               peer_worker=str(world.peer.pk)))

    # Assert
    assert response.status_code == 409
    role.refresh_from_db()
    assert (role.title, role.version) == ("Erfaringskonsulent, ROP-teamet", 3)


def test_archive_page_only_managers_archive_or_delete(world):
    # Arrange
    role = design_role(world)

    for user in (world.peer, world.colleague, world.analyst):
        client = world.client_for(user)

        # Act
        archive = client.post(url(world, role.pk, "archive"))
        delete_page = client.get(url(world, role.pk, "delete"))
        delete = client.post(url(world, role.pk, "delete"))
        detail = client.get(url(world, role.pk)).content.decode()

        # Assert
        assert (archive.status_code, delete_page.status_code, delete.status_code) == (404, 404, 404)
        assert "Archive the role" not in detail
        assert "Delete the role" not in detail
    role.refresh_from_db()
    assert role.archived is None


def test_delete_page_asks_then_deletes_a_role_made_by_mistake(world):
    # Arrange: a role with two unconfirmed document versions.
    role = design_role(world, title="Typo role")
    manager = world.client_for(world.manager)
    for kind in ("job_description", "support_plan"):
        manager.post(url(world, role.pk, "documents", kind, "en", "save"), {"generate": "1"})

    # Act
    asked = manager.get(url(world, role.pk, "delete"))
    deleted = manager.post(url(world, role.pk, "delete"))
    listed = manager.get(url(world)).content.decode()

    # Assert
    text = asked.content.decode()
    assert asked.status_code == 200
    assert "Delete “Typo role”?" in text
    assert "The role design and its 2 document versions will be deleted." in text
    assert deleted.status_code == 302
    assert deleted["Location"] == url(world)
    assert "The role “Typo role” is deleted." in listed
    with scopes_disabled():
        assert not RoleDesign.objects.filter(pk=role.pk).exists()
        assert not DocumentVersion.objects.filter(organisation=world.org).exists()
        event = AuditEvent.objects.get(action="role.deleted")
    assert (event.target, event.detail) == ("Typo role", {"role": role.pk, "documents": 2})


def test_delete_page_refuses_a_role_with_a_confirmed_document_and_offers_archiving(world):
    # Arrange: the manager alone confirmed the job description.
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "nb")
    manager.post(doc + "save/", {"generate": "1"})
    manager.post(doc + "confirm/", {"number": "1", "side": "manager"})

    # Act
    asked = manager.get(url(world, role.pk, "delete"))
    refused = manager.post(url(world, role.pk, "delete"))

    # Assert
    text = asked.content.decode()
    assert asked.status_code == 200
    assert "This role cannot be deleted: documents made from it were confirmed" in text
    assert "Job description, Norsk bokmål, version 1</a>: confirmed by the manager" in text
    assert f'action="{url(world, role.pk, "archive")}"' in text
    assert refused.status_code == 409
    assert "cannot be deleted" in refused.content.decode()
    with scopes_disabled():
        assert RoleDesign.objects.filter(pk=role.pk).exists()
        assert not AuditEvent.objects.filter(action="role.deleted").exists()


def test_archive_api_lists_archives_restores_and_deletes(world):
    # Arrange
    kept = design_role(world)
    mistake = design_role(world, title="Mistake")
    manager = keyed(world.manager)
    base = f"{API}/{world.org.slug}/roles"
    doc = f"{base}/{kept.pk}/documents/job_description/en"
    call(manager, "post", doc, {"based_on": None})
    call(manager, "post", doc + "/confirm", {"number": 1, "side": "manager"})

    # Act
    archived = call(manager, "post", f"{base}/{kept.pk}/archive")
    in_use = manager.get(base).json()
    archive_list = manager.get(base + "?archived=true").json()
    refused_edit = call(manager, "post", doc, {"based_on": 1, "title": "T", "body": "B"})
    refused_delete = call(manager, "delete", f"{base}/{kept.pk}")
    restored = call(manager, "post", f"{base}/{kept.pk}/restore")
    colleague_delete = call(keyed(world.colleague), "delete", f"{base}/{mistake.pk}")
    peer_archive = call(keyed(world.peer), "post", f"{base}/{mistake.pk}/archive")
    deleted = call(manager, "delete", f"{base}/{mistake.pk}")

    # Assert
    assert archived.status_code == 200
    assert archived.json()["archived"] is not None
    assert [r["title"] for r in in_use] == ["Mistake"]
    assert [r["title"] for r in archive_list] == ["Erfaringskonsulent, ROP-teamet"]
    assert refused_edit.status_code == 409
    assert refused_delete.status_code == 409
    assert "Archive it instead." in refused_delete.json()["detail"]
    assert (restored.status_code, restored.json()["archived"]) == (200, None)
    assert (colleague_delete.status_code, peer_archive.status_code) == (404, 404)
    assert deleted.status_code == 204
    with scopes_disabled():
        assert list(RoleDesign.objects.values_list("title", flat=True)) == [
            "Erfaringskonsulent, ROP-teamet"]


def test_archive_api_other_organisation_cannot_archive_or_delete(world):
    # Arrange
    role = design_role(world)
    charlie = keyed(world.charlie)

    # Act
    archive = call(charlie, "post", f"{API}/{world.other_org.slug}/roles/{role.pk}/archive")
    delete = call(charlie, "delete", f"{API}/{world.org.slug}/roles/{role.pk}")
    page = world.client_for(world.charlie).post(
        f"/o/{world.other_org.slug}/roles/{role.pk}/delete/")

    # Assert
    assert (archive.status_code, delete.status_code, page.status_code) == (404, 404, 404)
    role.refresh_from_db()
    assert role.archived is None
