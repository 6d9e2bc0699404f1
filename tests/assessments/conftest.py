"""Helpers for assessment tests: open a round and answer it through HTTP, as people do."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.assessments import services
from peerwork.assessments.enums import RoleForm, Stage
from peerwork.assessments.models import Round, ShareLink
from peerwork.assessments.questionnaires import get_questionnaire


def open_round(world: Any, **overrides: Any) -> Round:
    values: dict[str, Any] = {
        "title": "Fjordvik readiness 2027", "stage": Stage.FIRST_YEAR,
        "role_form": RoleForm.CARE_PROVIDER, "anonymous": True,
        "closes_on": timezone.localdate() + dt.timedelta(days=14),
    }
    values.update(overrides)
    return services.create_round(actor=world.manager, organisation=world.org, **values)


def link_of(round_: Round, position: str) -> str:
    with scopes_disabled():
        return ShareLink.objects.get(round=round_, position=position).token


def start(client: Client, token: str) -> str:
    """Start through a share link; returns the private code from the redirect."""
    response = client.post(f"/a/{token}/")
    assert response.status_code == 302, response.content[:500]
    match = re.fullmatch(r"/answer/([^/]+)/", response["Location"])
    assert match is not None
    return match.group(1)


def answer_everything(client: Client, code: str, value: int | str, round_: Round) -> None:
    """Give ``value`` to every question, part by part, through the no-JavaScript form."""
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    sections = [s for s in questionnaire.sections if any(i.applies_to(round_.stage) for i in s.items)]
    for index, section in enumerate(sections):
        body = {f"value-{i.id}": str(value) for i in section.items if i.applies_to(round_.stage)}
        body["go"] = "next"
        response = client.post(f"/answer/{code}/?section={index}", body)
        assert response.status_code == 302, response.content[:500]


def respond(round_: Round, position: str, value: int | str) -> str:
    client = Client()
    code = start(client, link_of(round_, position))
    answer_everything(client, code, value, round_)
    submitted = client.post(f"/answer/{code}/submit/")
    assert submitted.status_code == 200
    return code


@pytest.fixture
def round_(world: Any) -> Round:
    return open_round(world)
