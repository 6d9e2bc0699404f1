"""Reads of survey data. Access funnels raise the same 404 for missing and forbidden."""

from __future__ import annotations

import random
from typing import Any

import pandas as pd
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


def _columns(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for q in definition.questions():
        value = answers.get(q.id)
        if q.type == "multiple":
            for c in q.choice_list:
                row[f"{q.id}__{c.value}"] = (c.value in value) if isinstance(value, list) else None
        elif q.type == "matrix":
            cells = value if isinstance(value, dict) else {}
            for r in q.rows:
                row[f"{q.id}__{r.id}"] = cells.get(r.id)
        elif q.type == "number":
            row[q.id] = float(value) if isinstance(value, int | float) else None
        else:
            row[q.id] = value if value not in (None, "") else None
    return row


def wave_frame(wave: Wave) -> pd.DataFrame:
    """One row per submitted response of ``wave`` (never drafts), in random order,
    with no identifying columns: one column per answer variable (SURVEYS_CONTRACT.md)."""
    version = wave.version
    definition = definition_of(version)
    with scope(organisation=wave.organisation):
        stored = list(Response.objects.filter(wave=wave, status=ResponseStatus.SUBMITTED)
                      .values_list("answers", flat=True).iterator(chunk_size=5000))
    random.SystemRandom().shuffle(stored)
    columns = definition.variables()
    frame = pd.DataFrame.from_records([_columns(definition, a) for a in stored], columns=columns)
    types: dict[str, str] = {}
    for q in definition.questions():
        if q.type == "number":
            types[q.id] = "Float64"
        elif q.type == "multiple":
            types.update({f"{q.id}__{c.value}": "boolean" for c in q.choice_list})
        elif q.type == "matrix":
            types.update({f"{q.id}__{r.id}": "string" for r in q.rows})
        else:
            types[q.id] = "string"
    return frame.astype(types) if len(columns) else frame
