"""Assessment rounds through the API, from opening a round to the benchmark."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from peerwork.accounts.services import create_api_token
from peerwork.assessments.questionnaires import get_questionnaire

from .conftest import respond

API = "/api/v1"


def as_json(client: Client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def test_api_round_lifecycle_with_a_key(world, django_capture_on_commit_callbacks):
    # Arrange
    key = create_api_token(user=world.manager, name="script").key
    client = Client(headers={"authorization": f"Bearer {key}"})
    base = f"{API}/organisations/{world.org.slug}/assessments"

    # Act: open, invite, read links.
    created = as_json(client, "post", base, {
        "title": "API round", "stage": "established", "role_form": "role_form.peer_support_worker",
        "closes_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat()})
    round_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        invited = as_json(client, "post", f"{base}/{round_id}/invitations",
                          {"position": "colleague", "emails": ["a@fjordvik.test", "b@fjordvik.test"]})
    links = client.get(f"{base}/{round_id}/links")

    # Assert
    assert created.status_code == 201
    assert created.json()["questionnaire_version"] == 1
    assert invited.json() == {"sent": 2}
    assert [link["position"] for link in links.json()] == ["colleague", "manager", "peer_worker"]


def test_api_respondent_answers_and_submits_through_the_api(world, round_):
    # Arrange
    key = create_api_token(user=world.manager, name="m").key
    manager = Client(headers={"authorization": f"Bearer {key}"})
    links = manager.get(f"{API}/organisations/{world.org.slug}/assessments/{round_.pk}/links").json()
    url = next(link["url"] for link in links if link["position"] == "peer_worker")
    token = url.rstrip("/").split("/")[-1]
    respondent = Client()
    item = get_questionnaire().items_for(round_.stage)[0].id

    # Act
    started = as_json(respondent, "post", f"{API}/answer/links/{token}/start")
    code = started.json()["code"]
    saved = as_json(respondent, "put", f"{API}/answer/{code}/items/{item}", {"value": 4, "comment": "ok"})
    off_scale = as_json(respondent, "put", f"{API}/answer/{code}/items/{item}", {"value": 11})
    submitted = as_json(respondent, "post", f"{API}/answer/{code}/submit")
    again = as_json(respondent, "post", f"{API}/answer/{code}/submit")

    # Assert
    assert started.status_code == 201
    assert started.json()["position"] == "peer_worker"
    assert saved.json() == {"item": item, "value": 4, "comment": "ok"}
    assert off_scale.status_code == 400
    assert submitted.json() == {"submitted": True}
    assert again.status_code == 409


def test_api_results_are_suppressed_like_the_page(world, round_):
    respond(round_, "manager", 5)
    for _ in range(5):
        respond(round_, "peer_worker", 2)
    client = world.client_for(world.colleague)

    results = client.get(f"{API}/organisations/{world.org.slug}/assessments/{round_.pk}/results").json()

    assert results["groups"] == []  # one manager cannot be told apart
    assert results["min_cell"] == 5
    job = next(e for e in results["elements"] if e["element_id"] == "precondition.job_description")
    assert job["total"]["n"] == 6


def test_api_outsider_and_peer_cannot_manage(world, round_):
    base = f"{API}/organisations/{world.org.slug}/assessments/{round_.pk}"
    assert world.client_for(world.charlie).get(f"{base}/results").status_code == 404
    assert as_json(world.client_for(world.peer), "post", f"{base}/close").status_code == 404
    assert world.client_for(world.peer).get(f"{base}/links").status_code == 404


def test_api_start_with_unknown_tokens_is_404(db):
    client = Client()
    assert as_json(client, "post", f"{API}/answer/links/nope/start").status_code == 404
    assert as_json(client, "post", f"{API}/answer/invitations/nope/start").status_code == 404
