"""Anonymity by construction, checked in the database after submissions, and the data
frame handed to the results (never drafts, random order, no identifying column)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.core import mail
from django.db import connection
from django_scopes import scopes_disabled

from peerwork.surveys import services
from peerwork.surveys.models import Response, Wave, WaveInvitation
from peerwork.surveys.queries import wave_frame

COMPLETE = {"sector": "ngo", "fte": 50, "salary": 420000, "tasks": ["groups"], "jd_clear": "4",
            "started": "2024-03-01", "phases": {"design": "2", "delivery": "5"},
            "title_text": "Erfaringskonsulent", "comment": "Fine."}


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
