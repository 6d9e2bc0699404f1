"""Surveys through the API: create, import, draft, publish, waves, invitations, and
answering without an account (start, save, submit once, one-request submission)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import openpyxl
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from tests.surveys.conftest import open_wave, small_definition

from peerwork.accounts.services import create_api_token
from peerwork.surveys.models import Response, Wave

API = "/api/v1"


def as_json(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def staff(world: Any) -> Client:
    key = create_api_token(user=world.analyst, name="script").key
    return Client(headers={"authorization": f"Bearer {key}"})


WAVE = {
    "title": "API wave",
    "purpose": "Statistics.",
    "stored": "Answers only.",
    "retention": "Two years.",
    "contact": "survey@fjordvik.test",
}


def test_api_survey_lifecycle(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = staff(world)
    base = f"{API}/organisations/{world.org.slug}/surveys"
    created = as_json(client, "post", base, {"definition": small_definition()})
    assert created.status_code == 201, created.content
    survey_id = created.json()["id"]
    assert created.json()["versions"][0]["status"] == "draft"
    changed = small_definition()
    changed["title"]["en"] = "Working as a peer worker, 2027"
    saved = as_json(client, "put", f"{base}/{survey_id}/draft", {"definition": changed})
    assert saved.status_code == 200
    early = as_json(
        client,
        "post",
        f"{base}/{survey_id}/waves",
        {**WAVE, "closes_on": (timezone.localdate() + dt.timedelta(days=9)).isoformat()},
    )
    assert early.status_code == 400
    published = client.post(f"{base}/{survey_id}/versions/1/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    frozen = as_json(client, "put", f"{base}/{survey_id}/draft", {"definition": small_definition()})
    assert frozen.status_code == 200
    assert frozen.json()["number"] == 2  # the published version stays as it was
    version = client.get(f"{base}/{survey_id}/versions/1").json()
    assert version["definition"]["title"]["en"] == "Working as a peer worker, 2027"
    opened = as_json(
        client,
        "post",
        f"{base}/{survey_id}/waves",
        {**WAVE, "closes_on": (timezone.localdate() + dt.timedelta(days=9)).isoformat(), "min_cell": 8},
    )
    assert opened.status_code == 201, opened.content
    wave = opened.json()
    assert (wave["version"], wave["min_cell"], wave["status"]) == (1, 8, "open")
    assert wave["link"].startswith("http://testserver/s/")
    with django_capture_on_commit_callbacks(execute=True):
        invited = as_json(
            client,
            "post",
            f"{API}/organisations/{world.org.slug}/survey-waves/{wave['id']}/invitations",
            {"emails": ["a@x.test", "b@x.test"]},
        )
    assert invited.json() == {"count": 2}
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        reminded = client.post(f"{API}/organisations/{world.org.slug}/survey-waves/{wave['id']}/reminders")
    assert reminded.json() == {"count": 2}
    assert len(mail.outbox) == 4
    closed = client.post(f"{API}/organisations/{world.org.slug}/survey-waves/{wave['id']}/close")
    assert closed.json()["is_open"] is False


def test_api_refuses_bad_definitions_and_files_with_400(world: Any) -> None:
    client = staff(world)
    base = f"{API}/organisations/{world.org.slug}/surveys"
    broken = small_definition()
    broken["sections"][0]["questions"][1]["min"] = 500
    refused = as_json(client, "post", base, {"definition": broken})
    assert refused.status_code == 400
    assert ("Question “fte”: the smallest value (500) is greater than the largest (100)."
            in refused.json()["detail"])
    wrong_type = as_json(client, "post", base, {"definition": "not a mapping"})
    assert wrong_type.status_code == 422
    not_json = client.post(f"{base}/import", {"file": SimpleUploadedFile("a.json", b"{ nope")})
    assert not_json.status_code == 400
    assert "The JSON is malformed" in not_json.json()["detail"]
    fake_xlsx = client.post(f"{base}/import", {"file": SimpleUploadedFile("a.xlsx", b"plain text")})
    assert fake_xlsx.status_code == 400
    assert fake_xlsx.json()["detail"] == "The file is named .xlsx but is not an Excel workbook."
    huge = client.post(f"{base}/import", {"file": SimpleUploadedFile("a.json", b" " * (2 * 1024 * 1024 + 1))})
    assert huge.status_code in (400, 413)


def test_api_imports_an_xlsform(world: Any) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [
        ["type", "name", "label::English (en)", "label::Norwegian (nb)", "relevant"],
        ["select_one yn", "paid", "Are you paid?", "Får du lønn?", ""],
        ["integer", "hours", "Hours a week", "Timer i uka", "${paid} = 'yes'"],
    ]:
        sheet.append(row)
    choices = book.create_sheet("choices")
    for row in [
        ["list_name", "name", "label::English (en)", "label::Norwegian (nb)"],
        ["yn", "yes", "Yes", "Ja"],
        ["yn", "no", "No", "Nei"],
    ]:
        choices.append(row)
    data = io.BytesIO()
    book.save(data)
    client = staff(world)
    imported = client.post(
        f"{API}/organisations/{world.org.slug}/surveys/import?key=hours",
        {"file": SimpleUploadedFile("form.xlsx", data.getvalue())},
    )
    assert imported.status_code == 201, imported.content
    survey_id = imported.json()["id"]
    definition = client.get(f"{API}/organisations/{world.org.slug}/surveys/{survey_id}/versions/1").json()
    questions = definition["definition"]["sections"][0]["questions"]
    assert [q["id"] for q in questions] == ["paid", "hours"]
    assert questions[1]["relevant"] == "${paid} = 'yes'"
    assert questions[0]["label"] == {"en": "Are you paid?", "nb": "Får du lønn?"}


def test_api_outsider_sees_nothing(world: Any) -> None:
    wave = open_wave(world)
    key = create_api_token(user=world.charlie, name="nosy").key
    client = Client(headers={"authorization": f"Bearer {key}"})
    assert client.get(f"{API}/organisations/{world.org.slug}/surveys").status_code == 404
    assert client.get(f"{API}/organisations/{world.org.slug}/survey-waves/{wave.pk}").status_code == 404
    own = f"{API}/organisations/{world.other_org.slug}/survey-waves/{wave.pk}"
    assert client.get(own).status_code == 404


def test_api_peer_worker_sees_wave_without_its_link(world: Any, wave: Wave) -> None:
    key = create_api_token(user=world.peer, name="peer").key
    client = Client(headers={"authorization": f"Bearer {key}"})
    seen = client.get(f"{API}/organisations/{world.org.slug}/survey-waves/{wave.pk}")
    assert seen.status_code == 200
    assert seen.json()["link"] is None
    closing = client.post(f"{API}/organisations/{world.org.slug}/survey-waves/{wave.pk}/close")
    assert closing.status_code == 404


def test_api_answering_start_save_submit_and_replay(world: Any, wave: Wave) -> None:
    client = Client()
    base = f"{API}/survey-answers"
    shown = client.get(f"{base}/links/{wave.link_token}").json()
    assert shown["privacy"]["contact"] == "survey@fjordvik.test"
    assert shown["definition"]["key"] == "small"
    refused = as_json(client, "post", f"{base}/links/{wave.link_token}/start", {"consent": False})
    assert refused.status_code == 422
    started = as_json(client, "post", f"{base}/links/{wave.link_token}/start", {"consent": True})
    assert started.status_code == 201
    code = started.json()["code"]
    bad = as_json(client, "put", f"{base}/{code}/answers", {"answers": {"fte": 250, "sector": "ngo"}})
    assert bad.status_code == 400
    assert bad.json()["detail"] == "fte: The largest answer allowed is 100."
    saved = as_json(client, "put", f"{base}/{code}/answers", {"answers": {"fte": 40}})
    assert saved.json()["answers"] == {"sector": "ngo", "fte": 40}
    assert client.post(f"{base}/{code}/submit").status_code == 200
    assert client.post(f"{base}/{code}/submit").status_code == 409
    assert as_json(client, "put", f"{base}/{code}/answers", {"answers": {"fte": 1}}).status_code == 409


def test_api_one_request_submission_is_idempotent(world: Any, wave: Wave) -> None:
    client = Client()
    url = f"{API}/survey-answers/links/{wave.link_token}/submit"
    body = {
        "key": "k" * 32,
        "consent": True,
        "answers": {"sector": "municipal", "fte": 100, "tasks": ["groups"], "phases": {"design": "4"}},
    }
    assert as_json(client, "post", url, body).status_code == 201
    assert as_json(client, "post", url, body).status_code == 409
    with scopes_disabled():
        rows = list(Response.objects.filter(wave=wave).values_list("answers", flat=True))
    assert rows == [{"sector": "municipal", "fte": 100, "tasks": ["groups"], "phases": {"design": "4"}}]
    wrong = as_json(client, "post", url, {**body, "key": "z" * 32, "answers": {"fte": "many"}})
    assert wrong.status_code == 400
    assert "fte: Write a number" in wrong.json()["detail"]
