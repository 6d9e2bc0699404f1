"""Assessment rounds through the API, from opening a round to the benchmark."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.accounts.services import create_api_token
from peerwork.assessments.models import Answer, Response
from peerwork.assessments.questionnaires import get_questionnaire

from .conftest import link_of, respond, start

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


def test_api_complete_answer_in_one_request_counts_once(world, round_):
    # Arrange
    token = link_of(round_, "colleague")
    items = [i.id for i in get_questionnaire().items_for(round_.stage)]
    body = {"key": "k" * 30, "answers": [{"item": i, "value": 3} for i in items]}
    body["answers"][0] = {"item": items[0], "value": None, "comment": "Not sure yet."}

    # Act
    created = as_json(Client(), "post", f"{API}/answer/links/{token}/answers", body)
    replayed = as_json(Client(), "post", f"{API}/answer/links/{token}/answers", body)
    tampered = as_json(Client(), "post", f"{API}/answer/links/{token}/answers",
                       {"key": "t" * 30, "answers": [{"item": "no.such.item", "value": 3}]})
    twice = as_json(Client(), "post", f"{API}/answer/links/{token}/answers",
                    {"key": "d" * 30, "answers": [{"item": items[0], "value": 3}] * 2})
    short_key = as_json(Client(), "post", f"{API}/answer/links/{token}/answers",
                        {"key": "short", "answers": [{"item": items[0], "value": 3}]})
    unknown = as_json(Client(), "post", f"{API}/answer/links/nope/answers", body)

    # Assert
    assert created.status_code == 201
    assert replayed.status_code == 409
    assert tampered.status_code == 400
    assert twice.status_code == 400
    assert short_key.status_code == 422
    assert unknown.status_code == 404
    with scopes_disabled():
        assert Response.objects.filter(round=round_, submitted=True).count() == 1
        answers = Answer.objects.filter(response__round=round_)
        assert answers.count() == len(items)
        assert answers.get(item=items[0]).comment == "Not sure yet."


def test_api_several_answers_saved_at_once_and_replaced(world, round_):
    # Arrange
    respondent = Client()
    code = start(respondent, link_of(round_, "manager"))
    items = [i.id for i in get_questionnaire().items_for(round_.stage)][:5]

    # Act
    first = as_json(respondent, "put", f"{API}/answer/{code}/items", [{"item": i, "value": 2} for i in items])
    second = as_json(respondent, "put", f"{API}/answer/{code}/items", [{"item": items[0], "value": 5}])
    bad = as_json(respondent, "put", f"{API}/answer/{code}/items", [{"item": items[1], "value": 9}])
    page = respondent.get(f"/answer/{code}/?section=all")

    # Assert
    assert first.json() == {"saved": 5}
    assert second.json() == {"saved": 1}
    assert bad.status_code == 400
    assert f'name="value-{items[0]}" value="5" checked' in page.content.decode()
    assert f'name="value-{items[1]}" value="2" checked' in page.content.decode()
