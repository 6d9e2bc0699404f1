"""Anonymity by construction, checked in the database after submissions, and the data
frame handed to the results (never drafts, random order, no identifying column)."""

from __future__ import annotations

import io
import os
import tempfile
from typing import Any

import pandas as pd
import pyreadstat
from defusedcsv import csv
from django.core import mail
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from peerwork.surveys import results_queries, services
from peerwork.surveys.models import Response, Wave, WaveInvitation
from peerwork.surveys.queries import wave_frame
from surveys.conftest import submitted_against_id_order

COMPLETE = {"sector": "ngo", "fte": 50, "salary": 420000, "tasks": ["groups"], "jd_clear": "4",
            "started": "2024-03-01", "phases": {"design": "2", "delivery": "5"},
            "title_text": "Erfaringskonsulent", "comment": "Fine."}


STORED = 6  # responses stored for the order tests, one more than k


def _stored_against_id_order(wave: Wave) -> list[str]:
    """Six responses whose ids sort against the order they were stored in; returns their
    job titles in the order of their ids (the order every listing must use)."""
    ids = submitted_against_id_order(wave, [{"sector": "ngo", "fte": 50, "title_text": f"stored {i}"}
                                            for i in range(STORED)])
    assert sorted(ids) == ids[::-1]
    return [f"stored {i}" for i in reversed(range(STORED))]


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_column(data: bytes, name: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [row[rows[0].index(name)] for row in rows[1:]]


def _sav_column(data: bytes, name: str) -> list[str]:
    handle, path = tempfile.mkstemp(suffix=".sav")
    try:
        os.write(handle, data)
        os.close(handle)
        frame, _meta = pyreadstat.read_sav(path)
    finally:
        os.unlink(path)
    return list(frame[name])


def test_answer_exports_follow_the_random_ids_not_the_order_stored(world: Any, wave: Wave) -> None:
    # Arrange
    expected = _stored_against_id_order(wave)
    client = world.client_for(world.analyst)
    slug = world.org.slug

    def page(name: str) -> bytes:
        return _body(client.get(reverse("surveys:export", args=[slug, wave.pk, name])))

    # Act
    csv_titles = _csv_column(page("answers.csv"), "title_text")
    xlsx = load_workbook(io.BytesIO(page("answers.xlsx")), read_only=True)["answers"]
    rows = list(xlsx.values)
    xlsx_titles = [row[rows[0].index("title_text")] for row in rows[1:]]
    sav_titles = _sav_column(page("answers.sav"), "title_text")
    api_titles = _csv_column(_body(client.get(
        f"/api/v1/organisations/{slug}/surveys/waves/{wave.pk}/exports/answers.csv")), "title_text")
    frame_titles = list(wave_frame(wave)["title_text"])

    # Assert
    assert csv_titles == expected
    assert xlsx_titles == expected
    assert sav_titles == expected
    assert api_titles == expected
    assert frame_titles == expected


def _columns(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {c.name: c.type_code for c in description}


def test_response_table_has_no_token_ip_time_or_order_column(world: Any, wave: Wave) -> None:
    services.submit_whole(wave=wave, key="k1", answers=dict(COMPLETE))
    columns = _columns("surveys_response")
    assert set(columns) == {"id", "wave_id", "organisation_id", "key_hash", "status", "consented",
                            "started_on", "submitted_on", "answers"}
    with scopes_disabled():
        row = Response.objects.get(wave=wave)
    assert len(str(row.id)) == 36
    assert row.id.version == 4
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name='surveys_response'")
            assert cursor.fetchone()[0].rstrip().endswith("WITHOUT ROWID")


def test_invited_answer_cannot_be_linked_to_its_invitation(
        world: Any, wave: Wave, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(actor=world.analyst, wave=wave, emails=["a@x.test", "b@x.test"])
    token = mail.outbox[0].body.split("/s/i/")[1].split("/")[0]
    started = services.start_from_invitation(token=token, consent=True)
    services.save_answers(response=started.response, values={"sector": "ngo", "fte": "80"})
    services.submit(response=started.response)
    with scopes_disabled():
        invitations = list(WaveInvitation.objects.filter(wave=wave).values())
        response = Response.objects.filter(wave=wave).values().get()
    assert sorted(i["used"] for i in invitations) == [False, True]
    invitation_values = {str(v) for i in invitations for v in i.values()}
    shared = {str(wave.pk), str(world.org.pk), "True", "False"}
    assert not {str(v) for v in response.values()} & (invitation_values - shared)
    assert set(_columns("surveys_waveinvitation")) == {"id", "wave_id", "organisation_id", "email",
                                                       "token_hash", "used", "reminders"}


def test_wave_frame_holds_submitted_answers_only_in_contract_columns(world: Any, wave: Wave) -> None:
    services.submit_whole(wave=wave, key="k1", answers=dict(COMPLETE))
    services.submit_whole(wave=wave, key="k2", answers={"sector": "municipal", "fte": 0})
    draft = services.start_from_link(wave=wave, consent=True)
    services.save_answers(response=draft.response, values={"sector": "specialist", "fte": "20"})
    frame = wave_frame(wave)
    assert len(frame) == 2
    assert list(frame.columns) == ["sector", "fte", "salary", "tasks__groups", "tasks__one_to_one",
                                   "jd_clear", "started", "phases__design", "phases__delivery",
                                   "title_text", "comment"]
    full = frame[frame["sector"] == "ngo"].iloc[0]
    assert full["fte"] == 50.0
    assert full["salary"] == 420000.0
    assert bool(full["tasks__groups"]) is True
    assert bool(full["tasks__one_to_one"]) is False
    assert full["phases__delivery"] == "5"
    assert full["started"] == "2024-03-01"
    short = frame[frame["sector"] == "municipal"].iloc[0]
    assert pd.isna(short["salary"])
    assert pd.isna(short["tasks__groups"])
    assert pd.isna(short["comment"])
    assert str(frame["fte"].dtype) == "Float64"
    assert str(frame["tasks__groups"].dtype) == "boolean"


def _cache_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM peerwork_cache ORDER BY cache_key")
        return [row[0] for row in cursor.fetchall()]


def test_cache_keeps_only_the_latest_results_of_a_wave(world: Any, wave: Wave) -> None:
    # Arrange: results, a crosstab, trends and the report seen after six answers.
    for index in range(6):
        services.submit_whole(wave=wave, key=f"before-{index}", answers=dict(COMPLETE))
    client = world.client_for(world.analyst)
    pages = [reverse(f"surveys:{name}", args=[world.org.slug, wave.pk])
             for name in ("results", "trends", "report")]
    pages.append(pages[0] + "crosstab/?question=jd_clear&by=sector")

    def see_all() -> list[int]:
        return [client.get(page).status_code for page in pages]

    assert see_all() == [200, 200, 200, 200]
    before = _cache_keys()

    # Act: one more answer, and everything seen again.
    services.submit_whole(wave=wave, key="after", answers={**COMPLETE, "sector": "municipal"})
    see_all()

    # Assert: the same slots, now for seven answers; nothing of the six is left beside
    # them to subtract from.
    assert _cache_keys() == before
    prefix = f":1:{results_queries.refresh_name(wave)}:"
    slots = [key.removeprefix(prefix) for key in before]
    assert slots == ["blocks:charts-v2:en", "charts:charts-v2:en", "latest", "split:jd_clear:sector",
                     "tables", "tables-capped"]
