"""Reads of survey data. Access funnels raise the same 404 for missing and forbidden."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from django.db import connection
from django.http import Http404
from django_scopes import scope

from peerwork.orgs.models import Organisation
from peerwork.surveys.definition import Definition, DefinitionError, definition_hash, load_definition
from peerwork.surveys.enums import ResponseStatus
from peerwork.surveys.models import Response, Survey, SurveyVersion, Wave

_DEFINITIONS: dict[tuple[int, str], Definition] = {}


class TamperedVersion(RuntimeError):
    """A published version's stored definition no longer matches its hash."""


def definition_of(version: SurveyVersion) -> Definition:
    """The version's checked definition, kept per process by id and hash.

    A published version whose JSON no longer matches its SHA-256 is refused."""
    key = (version.pk or 0, version.sha256)
    found = _DEFINITIONS.get(key)
    if found is not None and version.pk:
        return found
    if version.is_published and definition_hash(version.definition) != version.sha256:
        raise TamperedVersion(f"survey version {version.pk} does not match its hash")
    try:
        loaded = load_definition(version.definition)
    except DefinitionError:
        raise
    if version.pk and version.is_published:
        _DEFINITIONS[key] = loaded
    return loaded


def surveys_of(organisation: Organisation) -> list[Survey]:
    with scope(organisation=organisation):
        return list(Survey.objects.filter(organisation=organisation))


def get_survey_for(organisation: Organisation, survey_id: int) -> Survey:
    with scope(organisation=organisation):
        survey = Survey.objects.filter(organisation=organisation, pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


def get_version_for(survey: Survey, number: int) -> SurveyVersion:
    with scope(organisation=survey.organisation):
        version = SurveyVersion.objects.filter(survey=survey, number=number).first()
    if version is None:
        raise Http404
    return version


def get_wave_for(organisation: Organisation, wave_id: int) -> Wave:
    with scope(organisation=organisation):
        wave = (Wave.objects.filter(organisation=organisation, pk=wave_id)
                .select_related("survey", "version").first())
    if wave is None:
        raise Http404
    return wave


def versions_of(survey: Survey) -> list[SurveyVersion]:
    with scope(organisation=survey.organisation):
        return list(SurveyVersion.objects.filter(survey=survey).order_by("number"))


def waves_of(survey: Survey) -> list[Wave]:
    with scope(organisation=survey.organisation):
        return list(Wave.objects.filter(survey=survey).select_related("version"))


def participation(wave: Wave) -> dict[str, int]:
    """Counts only: started and submitted responses, invitations sent and used."""
    with scope(organisation=wave.organisation):
        submitted = Response.objects.filter(wave=wave, status=ResponseStatus.SUBMITTED).count()
        started = Response.objects.filter(wave=wave).count()
        invited = wave.invitations.count()
        used = wave.invitations.filter(used=True).count()
    return {"submitted": submitted, "started": started, "invited": invited, "used": used}


def _extract(question_id: str, vendor: str) -> str:
    # Ids match ^[a-z][a-z0-9_]{0,39}$ (the definition schema), so they are safe in SQL.
    if vendor == "postgresql":
        return f"answers ->> '{question_id}'"
    return f"json_extract(answers, '$.{question_id}')"


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def wave_frame(wave: Wave) -> pd.DataFrame:
    """One row per submitted response of ``wave`` (never drafts), in the order of the
    responses' random ids (never the order they were stored in, which PostgreSQL returns
    rows in when asked for no order), with no identifying columns: one column per answer
    variable (SURVEYS_CONTRACT.md).

    The database pulls each answer out of the JSON (SQLite's json_extract, PostgreSQL's
    ->>), so Python never parses whole answer objects: about 10x less work for a wave
    of long free-text answers."""
    definition = definition_of(wave.version)
    questions = definition.questions()
    select = ", ".join(_extract(q.id, connection.vendor) for q in questions)
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {table} WHERE wave_id = %s AND status = %s "  # noqa: S608
                       "ORDER BY id", [wave.pk, ResponseStatus.SUBMITTED.value])
        rows = cursor.fetchall()
    by_question = list(zip(*rows, strict=True)) if rows else [() for _ in questions]
    columns: dict[str, pd.Series] = {}
    for q, values in zip(questions, by_question, strict=True):
        if q.type == "multiple":
            chosen = [_decoded(v) for v in values]
            for c in q.choice_list:
                columns[f"{q.id}__{c.value}"] = pd.Series(
                    [(c.value in v) if isinstance(v, list) else None for v in chosen], dtype="boolean")
        elif q.type == "matrix":
            cells = [_decoded(v) for v in values]
            for r in q.rows:
                columns[f"{q.id}__{r.id}"] = pd.Series(
                    [v.get(r.id) if isinstance(v, dict) else None for v in cells], dtype="string")
        elif q.type == "number":
            columns[q.id] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("Float64")
        else:
            columns[q.id] = pd.Series([None if v in (None, "") else str(v) for v in values], dtype="string")
    return pd.DataFrame(columns, columns=definition.variables())
