"""No log line holds a respondent's token or private code: Django logs the path of every
4xx response, and on the answering pages the path is the respondent's key."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from assessments.conftest import answer_everything, link_of, open_round, start
from peerwork.core.logs import redact
from surveys.conftest import open_wave


@pytest.mark.parametrize(("line", "expected"), [
    ("/s/r/Kko-u1IJ_afg/save/q1/", "/s/r/…/save/q1/"),
    ("/s/i/abc/", "/s/i/…/"),
    ("/s/ixyz/", "/s/…/"),
    ("/a/tok_en/all/", "/a/…/all/"),
    ("/i/tok/", "/i/…/"),
    ("/answer/c0de/item/pre.1/", "/answer/…/item/pre.1/"),
    ('"POST /answer/c0de/submit/ HTTP/1.1"', '"POST /answer/…/submit/ HTTP/1.1"'),
    ("/api/v1/answer/c0de/items", "/api/v1/answer/…/items"),
    ("/api/v1/answer/links/tok/answers", "/api/v1/answer/links/…/answers"),
    ("/api/v1/survey-answers/invitations/tok/start", "/api/v1/survey-answers/invitations/…/start"),
    ("/o/fjordvik/surveys/3/", "/o/fjordvik/surveys/3/"),
    ("/o/fjordvik/assessments/2/results/", "/o/fjordvik/assessments/2/results/"),
    ("/api/v1/organisations/fjordvik/surveys", "/api/v1/organisations/fjordvik/surveys"),
    ("/library/element/a/", "/library/element/a/"),
])
def test_logs_redact_respondent_secrets_only(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_logs_of_refused_answering_requests_hold_no_code(world: Any, caplog: Any) -> None:
    # Arrange: a survey respondent and an assessment respondent with private codes.
    caplog.set_level(logging.INFO)
    wave = open_wave(world)
    client = Client()
    survey_code = client.post(f"/s/{wave.link_token}/", {"consent": "yes"})["Location"].split("/")[3]
    round_ = open_round(world)
    code = start(client, link_of(round_, "colleague"))
    answer_everything(client, code, 3, round_)
    client.post(f"/answer/{code}/submit/")

    # Act: requests that end in 400, 404 and 409.
    statuses = [
        client.post(f"/s/r/{survey_code}/save/nonsense/", {"x": "1"}).status_code,
        client.get("/s/r/not-a-code/").status_code,
        client.post(f"/answer/{code}/submit/").status_code,
        client.post(f"/api/v1/answer/{code}/submit").status_code,
    ]

    # Assert
    logged = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert statuses == [400, 404, 409, 409]
    assert logged == ["Bad Request: /s/r/…/save/nonsense/", "Not Found: /s/r/…/",
                      "Conflict: /answer/…/submit/", "Conflict: /api/v1/answer/…/submit"]
    assert all(getattr(r, "request", None) is None for r in caplog.records if r.name == "django.request")
