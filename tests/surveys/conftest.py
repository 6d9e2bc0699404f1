"""Helpers for survey tests: a small definition of every question type, a published
version and an open wave in Fjordvik."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.surveys import services
from peerwork.surveys.enums import ResponseStatus
from peerwork.surveys.models import Response, Survey, SurveyVersion, Wave


def t(en: str, nb: str) -> dict[str, str]:
    return {"en": en, "nb": nb}


SMALL: dict[str, Any] = {
    "key": "small", "version": 1,
    "title": t("Working as a peer worker", "Å jobbe som erfaringskonsulent"),
    "intro": t("A short test survey.", "En kort testundersøkelse."),
    "sources": [{"document": "001_642dc213d8f87e3e.txt", "lines": "1-10"}],
    "sections": [
        {"id": "work", "title": t("Your work", "Arbeidet ditt"), "questions": [
            {"id": "sector", "type": "single", "label": t("Sector", "Sektor"), "required": True,
             "background": True, "choices": [
                 {"value": "municipal", "label": t("Municipal", "Kommunal")},
                 {"value": "specialist", "label": t("Specialist", "Spesialist")},
                 {"value": "ngo", "label": t("Voluntary", "Frivillig")}]},
            {"id": "fte", "type": "number", "label": t("Percentage of full time", "Stillingsprosent"),
             "unit": "%", "min": 0, "max": 100, "required": True},
            {"id": "salary", "type": "number", "label": t("Annual salary", "Årslønn"), "unit": "NOK",
             "min": 0, "max": 2000000, "relevant": "${fte} > 0"},
            {"id": "tasks", "type": "multiple", "label": t("Tasks", "Oppgaver"), "choices": [
                {"value": "groups", "label": t("Groups", "Grupper")},
                {"value": "one_to_one", "label": t("One to one", "En til en")}]},
        ]},
        {"id": "views", "title": t("Your views", "Dine synspunkter"), "questions": [
            {"id": "jd_clear", "type": "likert", "scale": "agree5",
             "label": t("My job description is clear", "Stillingsbeskrivelsen min er tydelig")},
            {"id": "started", "type": "date", "label": t("When did you start?", "Når begynte du?")},
            {"id": "phases", "type": "matrix", "scale": "extent5",
             "label": t("Involvement", "Involvering"),
             "rows": [{"id": "design", "label": t("Design", "Utforming")},
                      {"id": "delivery", "label": t("Delivery", "Gjennomføring")}]},
            {"id": "title_text", "type": "text", "label": t("Your job title", "Stillingstittelen din")},
            {"id": "comment", "type": "longtext", "label": t("Anything else?", "Noe mer?")},
        ]},
    ],
}


def small_definition(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL)
    data.update(changes)
    return data


def make_survey(world: Any, definition: dict[str, Any] | None = None) -> Survey:
    return services.create_survey(actor=world.analyst, organisation=world.org,
                                  definition=definition or small_definition())


def published(world: Any, definition: dict[str, Any] | None = None) -> SurveyVersion:
    survey = make_survey(world, definition)
    version = services.draft_of(survey)
    assert version is not None
    return services.publish_version(actor=world.analyst, version=version)


def open_wave(world: Any, definition: dict[str, Any] | None = None, **overrides: Any) -> Wave:
    values: dict[str, Any] = {
        "title": "Wave 2027", "closes_on": timezone.localdate() + dt.timedelta(days=14),
        "purpose": "To learn how peer workers are employed.",
        "stored": "Your answers only; no name, no IP address.",
        "retention": "Until the report is published, at most two years.",
        "contact": "survey@fjordvik.test",
    }
    values.update(overrides)
    return services.open_wave(actor=world.analyst, version=published(world, definition), **values)


@pytest.fixture
def wave(world: Any) -> Wave:
    return open_wave(world)


def reverse_id(index: int, count: int) -> uuid.UUID:
    """A random-looking key that sorts before those of every response stored earlier."""
    return uuid.UUID(f"{count - index:08x}-0000-4000-8000-{index:012x}")


def submitted_against_id_order(wave: Wave, answers: list[dict[str, Any]]) -> list[uuid.UUID]:
    """Store submitted responses one by one so that each one's id sorts before the ids of
    all stored before it: on PostgreSQL a read without ORDER BY returns them in the
    order stored, the opposite of the ids'. Returns the ids in the order stored."""
    ids = [reverse_id(index, len(answers)) for index in range(len(answers))]
    today = timezone.localdate()
    with scopes_disabled():
        for response_id, values in zip(ids, answers, strict=True):
            Response.objects.create(id=response_id, wave=wave, organisation=wave.organisation,
                                    key_hash=response_id.hex * 2, status=ResponseStatus.SUBMITTED,
                                    consented=True, started_on=today, submitted_on=today,
                                    answers=values)
    return ids
