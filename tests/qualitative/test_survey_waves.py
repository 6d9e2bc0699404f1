"""A survey wave's free-text answers imported as documents, with background answers as
case attributes only where suppression allows."""

from __future__ import annotations

import json

from django_scopes import scopes_disabled

from peerwork.accounts.services import create_api_token
from peerwork.qualitative import services
from peerwork.qualitative.models import Document
from surveys.conftest import open_wave, submitted_against_id_order
from surveys.results_seed import submit_many


def _project(world):
    return services.create_project(actor=world.manager, organisation=world.org, title="Free text")


def _documents(project):
    with scopes_disabled():
        return list(Document.objects.filter(project=project).order_by("pk"))


def test_survey_wave_answers_become_documents_with_safe_attributes(world):
    # Arrange
    project = _project(world)
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 6 + ["ngo"] * 5, comment="The rota leaves no time for groups.")
    client = world.client_for(world.manager)
    page = client.get(f"/o/{world.org.slug}/analysis/{project.pk}/").content.decode()

    # Act
    posted = client.post(f"/o/{world.org.slug}/analysis/{project.pk}/import-survey/",
                         {"source": f"{wave.pk}:comment"})

    # Assert
    assert f'value="{wave.pk}:comment"' in page
    assert posted.status_code == 302
    documents = _documents(project)
    assert len(documents) == 11
    assert {d.text for d in documents} == {"The rota leaves no time for groups."}
    attributes = [d.attributes for d in documents]
    assert attributes.count({"Sector": "Municipal"}) == 6
    assert attributes.count({"Sector": "Voluntary"}) == 5


def test_survey_wave_documents_follow_the_random_ids_not_the_order_stored(world):
    # Arrange: each response's id sorts before those stored earlier.
    project = _project(world)
    wave = open_wave(world)
    submitted_against_id_order(wave, [{"sector": "ngo", "fte": 50, "comment": f"Stored {i}."}
                                      for i in range(6)])

    # Act
    world.client_for(world.manager).post(f"/o/{world.org.slug}/analysis/{project.pk}/import-survey/",
                                         {"source": f"{wave.pk}:comment"})

    # Assert
    assert [d.text for d in _documents(project)] == [f"Stored {i}." for i in reversed(range(6))]


def test_survey_wave_lone_background_answer_is_not_attached(world):
    project = _project(world)
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 6 + ["ngo"])  # one voluntary-sector answer

    world.client_for(world.manager).post(f"/o/{world.org.slug}/analysis/{project.pk}/import-survey/",
                                         {"source": f"{wave.pk}:comment"})

    # Showing the sector for the six would single out the seventh: it is shown for no one.
    assert [d.attributes for d in _documents(project)] == [{}] * 7


def test_survey_wave_with_fewer_than_k_answers_is_not_offered(world):
    project = _project(world)
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 4)
    client = world.client_for(world.manager)

    page = client.get(f"/o/{world.org.slug}/analysis/{project.pk}/").content.decode()
    posted = client.post(f"/o/{world.org.slug}/analysis/{project.pk}/import-survey/",
                         {"source": f"{wave.pk}:comment"})

    assert f'value="{wave.pk}:comment"' not in page
    assert posted.status_code == 400
    assert _documents(project) == []


def test_survey_wave_of_another_organisation_or_bad_source_is_refused(world):
    project = _project(world)
    theirs = open_wave(world)
    submit_many(theirs, ["municipal"] * 6)
    with scopes_disabled():
        for obj in (theirs.survey, theirs.version, theirs):
            type(obj).objects.filter(pk=obj.pk).update(organisation=world.other_org)
    client = world.client_for(world.manager)
    url = f"/o/{world.org.slug}/analysis/{project.pk}/import-survey/"

    statuses = [client.post(url, {"source": source}).status_code
                for source in (f"{theirs.pk}:comment", "x:comment", "", f"{theirs.pk}:sector")]

    assert statuses == [400] * 4
    assert _documents(project) == []


def test_survey_wave_import_through_the_api(world):
    # Arrange
    project = _project(world)
    wave = open_wave(world)
    submit_many(wave, ["municipal"] * 5)
    key = create_api_token(user=world.manager, name="k").key
    client = world.client_for(None)
    base = f"/api/v1/organisations/{world.org.slug}/analysis/projects/{project.pk}/survey-waves/{wave.pk}"
    headers = {"authorization": f"Bearer {key}"}

    # Act
    created = client.post(f"{base}/questions/comment", data=json.dumps({}),
                          content_type="application/json", headers=headers)
    unknown = client.post(f"{base}/questions/fte", content_type="application/json", headers=headers)

    # Assert
    assert created.status_code == 201
    assert len(created.json()) == 5
    assert unknown.status_code == 404
