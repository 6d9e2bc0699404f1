"""The document page: the "design changed" notice only when the design changed in what
the document is drafted from, and the document in its own language inside the reader's."""

from __future__ import annotations

import re

from django_scopes import scopes_disabled

from peerwork.roles.models import DocumentVersion

from .conftest import API, design_role, form_data, keyed, url

NOTICE = "The role design has changed since this version was saved"


def edit(client, world, role, version, **changes):
    data = form_data(version=str(version), peer_worker=str(world.peer.pk), **changes)
    for name in [k for k, v in changes.items() if v is None]:
        del data[name]  # an unticked box is not posted
    return client.post(url(world, role.pk, "edit"), data)


def drafted_page(world, client, role, kind, lang):
    """Draft ``kind`` in ``lang`` and read its page: (the document's article, the rest)."""
    doc = url(world, role.pk, "documents", kind, lang)
    client.post(doc + "save/", {"generate": "1"})
    text = client.get(doc).content.decode()
    article = re.search(rf'<article class="report" lang="{lang}">(.*?)</article>', text, re.S)
    return article.group(1), text.replace(article.group(1), "")


def test_design_notice_absent_when_the_role_is_saved_unchanged(world):
    # Arrange: a support plan drafted, then the design saved as it was.
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "support_plan", "en")
    manager.post(doc + "save/", {"generate": "1"})

    # Act
    saved = edit(manager, world, role, 1)
    page = manager.get(doc).content.decode()

    # Assert: the design's save time moved on, its content did not.
    assert saved.status_code == 302
    assert NOTICE not in page


def test_design_notice_absent_when_only_fields_the_document_ignores_changed(world):
    # Arrange: the support plan is drafted from the supervisor and senior supervision only.
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "support_plan", "en")
    manager.post(doc + "save/", {"generate": "1"})

    # Act
    edit(manager, world, role, 1, tasks="Outreach", peer_workers_in_team="3",
         absence_policy_agreed=None, team="Oppsøkende team")
    page = manager.get(doc).content.decode()

    # Assert
    assert NOTICE not in page


def test_design_notice_names_what_changed_and_goes_with_a_new_version(world):
    # Arrange
    role = design_role(world)
    manager = world.client_for(world.manager)
    support = url(world, role.pk, "documents", "support_plan", "en")
    job = url(world, role.pk, "documents", "job_description", "en")
    manager.post(support + "save/", {"generate": "1"})
    manager.post(job + "save/", {"generate": "1"})

    # Act
    edit(manager, world, role, 1, supervisor="Nina Dahl", senior_peer_supervision=None)
    support_page = manager.get(support).content.decode()
    job_page = manager.get(job).content.decode()
    manager.post(support + "save/", {"title": "Support", "body": "Edited by hand.", "based_on": "1"})
    after = manager.get(support).content.decode()

    # Assert
    assert NOTICE in support_page
    assert "Changed: external supervisor or coach, supervision by a senior peer worker." in support_page
    assert NOTICE not in job_page
    assert NOTICE not in after


def test_design_notice_api_lists_the_changed_fields_per_version(world):
    # Arrange
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "en")
    manager.post(doc + "save/", {"generate": "1"})
    edit(manager, world, role, 1, tasks="Outreach")
    edit(manager, world, role, 2, tasks="Outreach")  # saved again, unchanged

    # Act
    listed = keyed(world.manager).get(
        f"{API}/{world.org.slug}/roles/{role.pk}/documents/job_description/en").json()

    # Assert
    assert [v["design_changed"] for v in listed] == [["tasks"]]


def test_design_notice_absent_for_versions_saved_before_snapshots_were_kept(world):
    # Arrange: a version from before this release has no snapshot.
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "en")
    manager.post(doc + "save/", {"generate": "1"})
    with scopes_disabled():
        DocumentVersion.objects.update(design_snapshot={})
    edit(manager, world, role, 1)

    # Act
    page = manager.get(doc).content.decode()

    # Assert
    assert NOTICE not in page


def test_document_language_norwegian_document_in_the_english_interface(world, nb_catalogue):
    # Arrange
    role = design_role(world)

    # Act
    article, outside = drafted_page(world, world.client_for(world.manager), role,
                                    "job_description", "nb")

    # Assert: the document, its facts included, in Norwegian and marked so (WCAG 3.1.2) ...
    assert "Stillingsbeskrivelse: Erfaringskonsulent, ROP-teamet" in article
    assert '<th scope="row">Versjon</th>' in article
    assert '<th scope="row">Språk</th>' in article
    assert "Bekreftet av lederen" in article
    assert "Version" not in article
    assert "Confirmed" not in article
    # ... the page around it in English, saying which language the document is in.
    assert "This document is in Norwegian Bokmål." in outside
    assert "Download as PDF" in outside
    assert ">Versions</h2>" in outside
    assert re.search(r'<textarea name="body"[^>]* lang="nb"', outside)  # the text to edit
    assert "Draft it in English too" in outside


def test_document_language_draft_in_the_other_language_then_switch(world, nb_catalogue):
    # Arrange
    role = design_role(world)
    manager = world.client_for(world.manager)
    nb = url(world, role.pk, "documents", "job_description", "nb")
    en = url(world, role.pk, "documents", "job_description", "en")
    manager.post(nb + "save/", {"generate": "1"})

    # Act: the button on the Norwegian page drafts the English document.
    drafted = manager.post(en + "save/", {"generate": "1"})
    nb_page = manager.get(nb).content.decode()
    en_page = manager.get(en).content.decode()

    # Assert
    assert drafted["Location"] == en
    assert f'<a href="{en}">Show the English document</a>' in nb_page
    assert f'<a href="{nb}">Show the Norwegian Bokmål document</a>' in en_page
    assert "Draft it in" not in nb_page
    with scopes_disabled():
        english = DocumentVersion.objects.get(language="en")
    assert english.title == "Job description: Erfaringskonsulent, ROP-teamet"


def test_document_language_english_document_in_the_norwegian_interface(world, nb_catalogue):
    # Arrange: the manager reads Peerwork in Norwegian.
    role = design_role(world)
    world.manager.language = "nb"
    world.manager.save(update_fields=["language"])

    # Act
    article, outside = drafted_page(world, world.client_for(world.manager), role,
                                    "support_plan", "en")

    # Assert
    assert '<th scope="row">Version</th>' in article
    assert "Support plan: Erfaringskonsulent, ROP-teamet" in article
    assert "Dette dokumentet er på engelsk." in outside
    assert "Last ned som PDF" in outside
