"""Role design through the pages: design, classification and checks, documents, PDF."""

from __future__ import annotations

import io
import re

from django_scopes import scopes_disabled
from pypdf import PdfReader

from peerwork.orgs.models import AuditEvent
from peerwork.roles.models import DocumentVersion, RoleDesign

from .conftest import design_role, form_data, url


def test_role_page_design_shows_classification_and_findings(world):
    # Arrange
    client = world.client_for(world.manager)

    # Act
    created = client.post(url(world, "new"), form_data(peer_worker=str(world.peer.pk)))
    with scopes_disabled():
        role = RoleDesign.objects.get()
    page = client.get(url(world, role.pk))

    # Assert
    assert created.status_code == 302
    assert role.involvement == {"service_cycle.delivery": ["involvement_level.individual"]}
    assert role.peer_worker == world.peer
    text = page.content.decode()
    assert "Provider of peer support" in text
    assert "Co-production: the peer worker takes part in delivery" in text
    assert "An inexperienced peer worker would be the only one in the team." in text
    assert "Seniority: not alone when inexperienced" in text
    assert "lines 319, 415" in text  # the finding's source
    assert "See also:" in text


def test_role_page_colleague_reads_but_cannot_design(world):
    # Arrange
    role = design_role(world)
    client = world.client_for(world.colleague)

    # Act
    read = client.get(url(world, role.pk))
    new = client.get(url(world, "new"))
    edit = client.post(url(world, role.pk, "edit"), form_data(title="Taken over", version="1"))

    # Assert
    assert read.status_code == 200
    assert new.status_code == 404
    assert edit.status_code == 404
    role.refresh_from_db()
    assert role.title == "Erfaringskonsulent, ROP-teamet"


def test_role_page_peer_worker_in_the_role_edits_it(world):
    # Arrange
    role = design_role(world)

    # Act
    response = world.client_for(world.peer).post(
        url(world, role.pk, "edit"),
        form_data(title="Erfaringskonsulent", peer_worker=str(world.peer.pk), version="1"))

    # Assert
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.title, role.version) == ("Erfaringskonsulent", 2)


def test_role_page_stale_version_is_refused_and_the_input_kept(world):
    # Arrange
    role = design_role(world)
    manager, peer = world.client_for(world.manager), world.client_for(world.peer)
    manager.post(url(world, role.pk, "edit"), form_data(title="Manager's title", version="1",
                                                        peer_worker=str(world.peer.pk)))

    # Act: the peer worker saves on top of version 1, which is no longer current.
    stale = peer.post(url(world, role.pk, "edit"),
                      form_data(title="Peer's title", version="1", peer_worker=str(world.peer.pk)))

    # Assert
    assert stale.status_code == 409
    assert "Someone else saved this in the meantime." in stale.content.decode()
    assert 'value="Peer&#x27;s title"' in stale.content.decode()
    role.refresh_from_db()
    assert (role.title, role.version) == ("Manager's title", 2)


def test_role_page_oversized_text_is_refused(world):
    # Arrange
    client = world.client_for(world.manager)

    # Act
    response = client.post(url(world, "new"), form_data(target_group="x" * 5000))

    # Assert
    assert response.status_code == 400
    with scopes_disabled():
        assert RoleDesign.objects.count() == 0


def test_role_page_other_organisations_peer_worker_is_refused(world):
    # Arrange
    client = world.client_for(world.manager)

    # Act: Charlie is not a choice, so the form refuses him.
    response = client.post(url(world, "new"), form_data(peer_worker=str(world.charlie.pk)))

    # Assert
    assert response.status_code == 400
    with scopes_disabled():
        assert RoleDesign.objects.count() == 0


def test_role_document_drafted_edited_confirmed_and_final(world, nb_catalogue):
    # Arrange
    role = design_role(world)
    manager, peer = world.client_for(world.manager), world.client_for(world.peer)
    doc = url(world, role.pk, "documents", "job_description", "nb")

    # Act
    manager.post(doc + "save/", {"generate": "1"})
    manager.post(doc + "save/", {"title": "Stillingsbeskrivelse", "body": "# Stillingen\nTekst.",
                                 "based_on": "1"})
    stale_confirm = peer.post(doc + "confirm/", {"number": "1", "side": "peer_worker"})
    manager.post(doc + "confirm/", {"number": "2", "side": "manager"})
    peer.post(doc + "confirm/", {"number": "2", "side": "peer_worker"})
    after_final = manager.post(doc + "save/", {"title": "Endret", "body": "Mer", "based_on": "2"})
    page = manager.get(doc)

    # Assert
    with scopes_disabled():
        versions = list(DocumentVersion.objects.order_by("number"))
        assert AuditEvent.objects.filter(action="role.document_confirmed").count() == 2
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].body.startswith("# Stillingen\n")  # drafted in Norwegian
    assert stale_confirm.status_code == 302
    assert versions[0].peer_confirmed is None
    assert versions[1].is_final
    assert after_final.status_code == 409
    assert "<h2>Stillingen</h2>" in page.content.decode()


def test_role_document_colleague_cannot_confirm_or_edit(world):
    # Arrange
    role = design_role(world)
    doc = url(world, role.pk, "documents", "support_plan", "en")
    world.client_for(world.manager).post(doc + "save/", {"generate": "1"})
    colleague = world.client_for(world.colleague)

    # Act
    confirm = colleague.post(doc + "confirm/", {"number": "1", "side": "manager"})
    save = colleague.post(doc + "save/", {"title": "X", "body": "Y", "based_on": "1"})
    read = colleague.get(doc)

    # Assert
    assert (confirm.status_code, save.status_code, read.status_code) == (404, 404, 200)
    with scopes_disabled():
        assert DocumentVersion.objects.get().manager_confirmed is None


def test_role_document_unknown_kind_is_404(world):
    # Arrange
    role = design_role(world)

    # Act
    response = world.client_for(world.manager).get(url(world, role.pk, "documents", "memo", "en"))

    # Assert
    assert response.status_code == 404


def test_role_document_pdf_is_a_real_pdf_with_the_text(world):
    # Arrange
    role = design_role(world)
    client = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "en")
    client.post(doc + "save/", {"generate": "1"})

    # Act
    response = client.get(doc + "pdf/")

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
                    .split())
    assert "Job description: Erfaringskonsulent, ROP-teamet" in text
    assert "Co-producing service delivery" in text


def test_role_page_other_organisations_role_is_404_even_under_own_slug(world):
    # Arrange: Secretdal designs a role; Fjordvik's manager asks for it by id.
    from peerwork.roles import services  # noqa: PLC0415 - only this test makes a foreign role

    theirs = services.create_role(actor=world.charlie, organisation=world.other_org, data={
        "title": "Secretdal role", "form": "role_form.peer_support_worker", "team": "Rus",
        "target_group": "Adults", "lived_experience": "Substance use"})
    client = world.client_for(world.manager)

    # Act
    page = client.get(url(world, theirs.pk))
    edit = client.post(url(world, theirs.pk, "edit"), form_data(version="1"))

    # Assert
    assert (page.status_code, edit.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.title, theirs.version) == ("Secretdal role", 1)


def test_role_page_pay_below_a_published_benchmark_is_a_finding(world, settings):
    # Arrange
    settings.PEERWORK_PAY_BENCHMARK_NOK = 500_000
    role = design_role(world)  # NOK 480,000

    # Act
    text = world.client_for(world.colleague).get(url(world, role.pk)).content.decode()

    # Assert
    assert "The salary (NOK 480 000) is below the national benchmark (NOK 500 000)." in text
    assert "Equal pay scale" in text
    assert "Pay is not checked" not in text


def test_role_page_replayed_submission_makes_one_role(world):
    # Arrange
    client = world.client_for(world.manager)
    page = client.get(url(world, "new")).content.decode()
    key = re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)

    # Act
    first = client.post(url(world, "new"), form_data(submission=key))
    second = client.post(url(world, "new"), form_data(submission=key))

    # Assert
    assert first["Location"] == second["Location"]
    with scopes_disabled():
        assert RoleDesign.objects.count() == 1


def test_role_document_stale_save_is_409_and_keeps_the_text(world):
    # Arrange
    role = design_role(world)
    manager, peer = world.client_for(world.manager), world.client_for(world.peer)
    doc = url(world, role.pk, "documents", "support_plan", "en")
    manager.post(doc + "save/", {"generate": "1"})
    manager.post(doc + "save/", {"title": "Support", "body": "Manager's text", "based_on": "1"})

    # Act: the peer worker edited version 1 and saves after the manager.
    stale = peer.post(doc + "save/", {"title": "Support", "body": "Peer's text", "based_on": "1"})
    replayed_confirm = [manager.post(doc + "confirm/", {"number": "2", "side": "manager"})
                        for _ in range(2)]

    # Assert
    assert stale.status_code == 409
    assert "Peer&#x27;s text" in stale.content.decode()
    with scopes_disabled():
        versions = list(DocumentVersion.objects.order_by("number"))
        confirmations = AuditEvent.objects.filter(action="role.document_confirmed").count()
    assert [v.body for v in versions][1:] == ["Manager's text"]
    assert [r.status_code for r in replayed_confirm] == [302, 302]
    assert confirmations == 1


def test_role_page_peer_worker_cannot_hand_the_role_to_someone_else(world):
    # Arrange: a second peer worker in Fjordvik.
    from conftest import make_user  # noqa: PLC0415
    from peerwork.orgs import services as org_services  # noqa: PLC0415

    other = make_user("other-peer@fjordvik.test", "Other")
    org_services.add_member(actor=world.platform_admin, organisation=world.org, user=other,
                            role="peer_worker")
    role = design_role(world)

    # Act
    response = world.client_for(world.peer).post(
        url(world, role.pk, "edit"), form_data(peer_worker=str(other.pk), version="1"))

    # Assert: the edit is saved, the holder of the role is not changed.
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.peer_worker, role.version) == (world.peer, 2)


def test_role_document_redrafted_after_the_design_changed_keeps_the_edited_version(world):
    # Arrange: a job description drafted and edited, then the team changes in the design.
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "en")
    manager.post(doc + "save/", {"generate": "1"})
    manager.post(doc + "save/", {"title": "Job description", "body": "# Hours\nDaytime.",
                                 "based_on": "1"})
    manager.post(url(world, role.pk, "edit"), form_data(team="Oppsøkende team", version="1",
                                                        peer_worker=str(world.peer.pk)))

    # Act
    page = manager.get(doc)
    redrafted = manager.post(doc + "save/", {"generate": "1", "based_on": "2"})

    # Assert: the page says the design moved on and offers a fresh draft as version 3.
    assert "The role design has changed since this version was saved" in page.content.decode()
    assert "Draft a new version from the role design" in page.content.decode()
    assert redrafted.status_code == 302
    with scopes_disabled():
        versions = {v.number: v.body for v in DocumentVersion.objects.filter(role=role)}
    assert sorted(versions) == [1, 2, 3]
    assert "Oppsøkende team" in versions[3]
    assert versions[2] == "# Hours\nDaytime."
    assert "has changed since" not in manager.get(doc).content.decode()


def test_role_list_shows_each_roles_classification_and_how_many_points_to_look_at(world):
    # Arrange: one role with a single finding (inexperienced and alone), one with none.
    design_role(world)
    design_role(world, title="Erfaringskonsulent, oppsøkende team", experienced=True)

    # Act
    page = world.client_for(world.colleague).get(url(world))

    # Assert
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("Provider of peer support. Transformative potential: step 2 of 3.") == 2
    assert "1 point in the design to look at." in text
    assert "The checks found nothing in the design to look at." in text


def test_role_document_names_the_team_once_when_the_title_already_does(world):
    # Arrange: "Erfaringskonsulent, ROP-teamet" in the team "ROP-teamet"; and a role whose
    # title does not name its team.
    named = design_role(world)
    plain = design_role(world, title="Erfaringskonsulent")
    manager = world.client_for(world.manager)

    # Act
    for role in (named, plain):
        manager.post(url(world, role.pk, "documents", "job_description", "en", "save"),
                     {"generate": "1"})

    # Assert
    with scopes_disabled():
        bodies = {v.role_id: v.body for v in DocumentVersion.objects.all()}
    assert f"Erfaringskonsulent, ROP-teamet, {world.org.name}." in bodies[named.pk]
    assert "in ROP-teamet" not in bodies[named.pk]
    assert f"Erfaringskonsulent in ROP-teamet, {world.org.name}." in bodies[plain.pk]


def test_role_document_text_carries_its_own_language_for_screen_readers(world, nb_catalogue):
    # Arrange: a Norwegian job description, read in the English interface.
    role = design_role(world)
    manager = world.client_for(world.manager)
    doc = url(world, role.pk, "documents", "job_description", "nb")
    manager.post(doc + "save/", {"generate": "1"})

    # Act
    page = manager.get(doc)

    # Assert: WCAG 3.1.2, language of parts.
    text = page.content.decode()
    assert re.search(r'<h1 lang="nb">Stillingsbeskrivelse: ', text)
    assert '<div class="document-body" lang="nb">' in text
