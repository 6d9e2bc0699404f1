"""Answering through HTTP as respondents do: consent first, section by section, saving as
they go, resuming with the private code, submitting once; the one-page form; errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled
from tests.surveys.conftest import open_wave, small_definition

from peerwork.surveys import ratelimit, services
from peerwork.surveys.enums import ResponseStatus
from peerwork.surveys.models import Response, Wave


def start(client: Client, wave: Wave) -> str:
    response = client.post(f"/s/{wave.link_token}/", {"consent": "yes"})
    assert response.status_code == 302, response.content[:300]
    match = re.fullmatch(r"/s/r/([^/]+)/", response["Location"])
    assert match is not None
    return match.group(1)


def stored(wave: Wave) -> list[Response]:
    with scopes_disabled():
        return list(Response.objects.filter(wave=wave))


def test_open_link_shows_privacy_statement_and_needs_consent(world: Any, wave: Wave) -> None:
    client = Client()
    page = client.get(f"/s/{wave.link_token}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "To learn how peer workers are employed." in text
    assert "Until the report is published, at most two years." in text
    assert "survey@fjordvik.test" in text
    refused = client.post(f"/s/{wave.link_token}/", {})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert stored(wave) == []


def test_answer_section_by_section_resume_and_submit_once(world: Any, wave: Wave) -> None:
    client = Client()
    code = start(client, wave)
    first = client.post(f"/s/r/{code}/?section=work",
                        {"q-sector": "ngo", "q-fte": "80", "q-salary": "450 000",
                         "q-tasks": ["groups"], "q-tasks-shown": "1", "go": "next"})
    assert first.status_code == 302
    assert first["Location"] == f"/s/r/{code}/?section=views"
    # A new browser with only the private code comes back to the first open section.
    other = Client()
    resumed = other.get(f"/s/r/{code}/")
    assert resumed.status_code == 200
    assert "My job description is clear" in resumed.content.decode()
    second = other.post(f"/s/r/{code}/?section=views",
                        {"q-jd_clear": "4", "q-started": "2023-08-14", "q-phases-design": "3",
                         "q-title_text": "Erfaringskonsulent", "q-comment": "", "go": "submit"})
    assert second.status_code == 302
    assert second["Location"] == f"/s/r/{code}/submit/"
    done = other.post(f"/s/r/{code}/submit/")
    assert done.status_code == 200
    assert "Your answers have been saved" in done.content.decode()
    replay = other.post(f"/s/r/{code}/submit/")
    assert replay.status_code == 409
    assert "already submitted" in replay.content.decode()
    [row] = stored(wave)
    assert row.status == ResponseStatus.SUBMITTED
    assert row.answers == {"sector": "ngo", "fte": 80, "salary": 450000, "tasks": ["groups"],
                           "jd_clear": "4", "started": "2023-08-14", "phases": {"design": "3"},
                           "title_text": "Erfaringskonsulent"}
    late = other.post(f"/s/r/{code}/save/fte/", {"q-fte": "10"})
    assert late.status_code == 409


def test_invalid_answers_get_clear_messages_and_valid_ones_are_kept(world: Any, wave: Wave) -> None:
    client = Client()
    code = start(client, wave)
    page = client.post(f"/s/r/{code}/?section=work",
                       {"q-sector": "ngo", "q-fte": "150", "q-salary": "lots", "go": "next"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "The largest answer allowed is 100." in text
    assert "Write a number, for example 42." in text
    [row] = stored(wave)
    assert row.answers == {"sector": "ngo"}
    bad_date = client.post(f"/s/r/{code}/save/started/", {"q-started": "31.12.2023"})
    assert bad_date.status_code == 400
    assert bad_date.content.decode() == "Write the date as YYYY-MM-DD, for example 2024-03-01."
    wrong_choice = client.post(f"/s/r/{code}/save/sector/", {"q-sector": "<script>"})
    assert wrong_choice.status_code == 400
    unknown = client.post(f"/s/r/{code}/save/nope/", {"q-nope": "1"})
    assert unknown.status_code == 400


def test_htmx_save_stores_each_answer_and_skip_logic_drops_hidden_ones(world: Any, wave: Wave) -> None:
    client = Client()
    code = start(client, wave)
    assert client.post(f"/s/r/{code}/save/fte/", {"q-fte": "60"}).content.decode() == "Saved."
    assert client.post(f"/s/r/{code}/save/salary/", {"q-salary": "400000"}).status_code == 200
    assert stored(wave)[0].answers == {"fte": 60, "salary": 400000}
    # Salary is asked only when fte > 0; at 0 the earlier salary answer must go.
    client.post(f"/s/r/{code}/save/fte/", {"q-fte": "0"})
    assert stored(wave)[0].answers == {"fte": 0}


def test_submit_refuses_missing_required_answers(world: Any, wave: Wave) -> None:
    client = Client()
    code = start(client, wave)
    client.post(f"/s/r/{code}/save/sector/", {"q-sector": "ngo"})
    review = client.get(f"/s/r/{code}/submit/")
    assert "Percentage of full time" in review.content.decode()
    # Each open required question links to itself, not just to the top of its part.
    assert f'href="/s/r/{code}/?section=work#item-fte"' in review.content.decode()
    refused = client.post(f"/s/r/{code}/submit/")
    assert refused.status_code == 400
    assert "Answer the required questions first: «Percentage of full time»" in refused.content.decode()
    assert stored(wave)[0].status == ResponseStatus.DRAFT


def test_closed_wave_answers_410_everywhere(world: Any, wave: Wave) -> None:
    client = Client()
    code = start(client, wave)
    services.close_wave(actor=world.analyst, wave=wave)
    assert client.get(f"/s/{wave.link_token}/").status_code == 410
    assert client.get(f"/s/r/{code}/").status_code == 410
    assert client.post(f"/s/r/{code}/save/fte/", {"q-fte": "1"}).status_code == 410
    assert client.post(f"/s/r/{code}/submit/").status_code == 410


def test_unknown_codes_and_links_are_404(world: Any, wave: Wave) -> None:
    client = Client()
    assert client.get("/s/not-a-link/").status_code == 404
    assert client.get("/s/r/not-a-code/").status_code == 404
    assert client.get("/s/i/not-a-token/").status_code == 404


def one_page_definition() -> dict[str, Any]:
    data = small_definition(key="short")
    data["sections"] = [data["sections"][0]]
    return data


def test_one_page_survey_is_stored_in_one_submission_and_replay_is_409(world: Any) -> None:
    wave = open_wave(world, one_page_definition())
    client = Client()
    form = client.get(f"/s/{wave.link_token}/")
    assert form.status_code == 200
    key = re.search(r'name="key" value="([^"]+)"', form.content.decode())
    assert key is not None
    body = {"key": key.group(1), "consent": "yes", "q-sector": "specialist", "q-fte": "100",
            "q-salary": "520000", "q-tasks": ["groups", "one_to_one"], "q-tasks-shown": "1"}
    done = client.post(f"/s/{wave.link_token}/", body)
    assert done.status_code == 200
    assert "Your answers have been saved" in done.content.decode()
    again = client.post(f"/s/{wave.link_token}/", body)
    assert again.status_code == 409
    [row] = stored(wave)
    assert row.answers == {"sector": "specialist", "fte": 100, "salary": 520000,
                           "tasks": ["groups", "one_to_one"]}
    assert row.submitted_on == row.started_on
    assert isinstance(row.submitted_on, dt.date)


def test_one_page_survey_refuses_incomplete_answers_without_saving(world: Any) -> None:
    wave = open_wave(world, one_page_definition())
    client = Client()
    page = client.post(f"/s/{wave.link_token}/", {"key": "k" * 40, "q-fte": "abc"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Tick the box" in text
    assert "This question must be answered." in text
    assert "Write a number, for example 42." in text
    assert stored(wave) == []


def test_open_link_is_rate_limited_without_storing_the_address(world: Any, settings: Any) -> None:
    settings.PEERWORK_SURVEY_RATE = "2/m"
    wave = open_wave(world)
    client = Client(REMOTE_ADDR="192.0.2.44")
    statuses = [client.post(f"/s/{wave.link_token}/", {"consent": "yes"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]

    with connection.cursor() as cursor:
        cursor.execute("SELECT key, minute, count FROM surveys_ratebucket")
        rows = cursor.fetchall()
    assert rows
    assert [row[2] for row in rows] == [2]  # the refused third request left nothing behind
    assert not any("192.0.2.44" in str(row) for row in rows)


def test_open_link_rate_buckets_of_an_earlier_minute_go_with_the_next_count(
        world: Any, settings: Any, monkeypatch: Any) -> None:
    # Arrange: one answer started in one minute, from one address.
    settings.PEERWORK_SURVEY_RATE = "5/m"
    wave = open_wave(world)
    minute = [29_000_000]
    monkeypatch.setattr(ratelimit, "current_window", lambda seconds: minute[0])
    Client(REMOTE_ADDR="192.0.2.44").post(f"/s/{wave.link_token}/", {"consent": "yes"})

    # Act: the next count comes a minute later, from another address.
    minute[0] += 1
    later = Client(REMOTE_ADDR="198.51.100.7").post(f"/s/{wave.link_token}/", {"consent": "yes"})

    # Assert: nothing of the first minute is left to tie an address to an answer.
    with connection.cursor() as cursor:
        cursor.execute("SELECT minute, count FROM surveys_ratebucket")
        rows = cursor.fetchall()
    assert later.status_code == 302
    assert rows == [(29_000_001, 1)]
