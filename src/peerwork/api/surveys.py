"""Surveys through the API: the same funnels, services and checks as the pages.

``router`` (mounted at /organisations) is for staff; ``answer_router`` (mounted at
/survey-answers, no authentication) is for respondents, who have only a link, an
emailed token or their private code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from peerwork.api.auth import AUTH
from peerwork.api.schemas import Message
from peerwork.orgs.models import Organisation
from peerwork.orgs.queries import get_organisation_for
from peerwork.surveys import importers, queries, ratelimit, services
from peerwork.surveys.definition import DefinitionError
from peerwork.surveys.models import Response, Survey, SurveyVersion, Wave
from peerwork.surveys.queries import definition_of

router = Router(tags=["surveys"], auth=AUTH)
answer_router = Router(tags=["survey answering"], auth=None)
VIEW = "surveys.view_surveys"
MANAGE = "surveys.manage_surveys"
MAX_INVITES = 500


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys(errors, Message)}


def _lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


class SurveyVersionOut(Schema):
    number: int
    status: str
    sha256: str
    published_on: dt.date | None


class SurveyVersionDetailOut(SurveyVersionOut):
    definition: dict[str, Any]


class SurveyOut(Schema):
    id: int
    key: str
    title: str
    versions: list[SurveyVersionOut]


class SurveyDefinitionIn(Schema):
    definition: dict[str, Any] = Field(description="A survey definition (see the definition JSON Schema)")


class SurveyWaveIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    closes_on: dt.date
    purpose: str = Field(min_length=1, max_length=2000)
    stored: str = Field(min_length=1, max_length=2000)
    retention: str = Field(min_length=1, max_length=1000)
    contact: str = Field(min_length=1, max_length=300)
    min_cell: int | None = Field(default=None, ge=1, le=1000)
    version: int | None = Field(default=None, description="The published version; default the newest")


class SurveyWaveOut(Schema):
    id: int
    survey: int
    version: int
    title: str
    status: str
    is_open: bool
    opens_on: dt.date
    closes_on: dt.date
    min_cell: int
    purpose: str
    stored: str
    retention: str
    contact: str
    link: str | None = Field(description="The open anonymous link (for those who run surveys)")
    submitted: int
    invited: int
    invitations_used: int


class SurveyInviteIn(Schema):
    emails: list[str] = Field(min_length=1, max_length=MAX_INVITES)


class SurveyCountOut(Schema):
    count: int


def _version_out(version: SurveyVersion) -> SurveyVersionOut:
    return SurveyVersionOut(number=version.number, status=version.status, sha256=version.sha256,
                      published_on=version.published_on)


def _survey_out(survey: Survey) -> SurveyOut:
    return SurveyOut(id=survey.pk, key=survey.key, title=survey.title,
                     versions=[_version_out(v) for v in queries.versions_of(survey)])


def _wave_out(request: HttpRequest, wave: Wave, can_manage: bool) -> SurveyWaveOut:
    counts = queries.participation(wave)
    link = request.build_absolute_uri(reverse("surveys:link", args=[wave.link_token])) if can_manage else None
    return SurveyWaveOut(id=wave.pk, survey=wave.survey_id, version=wave.version.number, title=wave.title,
                   status=wave.status, is_open=services.is_open(wave), opens_on=wave.opens_on,
                   closes_on=wave.closes_on, min_cell=wave.min_cell, purpose=wave.purpose,
                   stored=wave.stored, retention=wave.retention, contact=wave.contact, link=link,
                   submitted=counts["submitted"], invited=counts["invited"],
                   invitations_used=counts["used"])


def _survey(request: HttpRequest, slug: str, survey_id: int, perm: str = VIEW) -> tuple[Organisation, Survey]:
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return organisation, queries.get_survey_for(organisation, survey_id)


def _wave(request: HttpRequest, slug: str, wave_id: int, perm: str = VIEW) -> tuple[Organisation, Wave]:
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return organisation, queries.get_wave_for(organisation, wave_id)


def _bad(exc: ValidationError | DefinitionError | importers.ImportProblem) -> HttpError:
    messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
    return HttpError(400, "; ".join(messages))


@router.get("/{slug}/surveys", response=_responses({200: list[SurveyOut]}, 401, 403, 404),
            summary="The organisation's surveys and their versions")
def list_surveys(request: HttpRequest, slug: str) -> list[SurveyOut]:
    organisation = get_organisation_for(request.user, slug, perm=VIEW)
    return [_survey_out(s) for s in queries.surveys_of(organisation)]


@router.post("/{slug}/surveys", response=_responses({201: SurveyOut}, 400, 401, 403, 404, 422),
             summary="Create a survey from a definition; it becomes version 1, a draft")
def create_survey(request: HttpRequest, slug: str, payload: SurveyDefinitionIn) -> Status[SurveyOut]:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    try:
        survey = services.create_survey(actor=request.user, organisation=organisation,
                                        definition=payload.definition)
    except ValidationError as exc:
        raise _bad(exc) from exc
    return Status(201, _survey_out(survey))


@router.post("/{slug}/surveys/import", response=_responses({201: SurveyOut}, 400, 401, 403, 404, 413, 422),
             summary="Create a survey from a file: our JSON or YAML format, or an XLSForm (.xlsx)")
def import_survey(request: HttpRequest, slug: str,
                  file: UploadedFile | None = File(None),  # noqa: B008 - ninja's API
                  key: str = "") -> Status[SurveyOut]:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    if file is None:
        raise HttpError(400, "send the file as multipart/form-data in the field 'file'")
    if (file.size or 0) > importers.MAX_BYTES:
        raise HttpError(400, "the file is larger than 2 MB")
    try:
        definition = importers.import_file(file.name or "", file.read())
        if key:
            definition["key"] = key
        survey = services.create_survey(actor=request.user, organisation=organisation,
                                        definition=definition)
    except (importers.ImportProblem, ValidationError) as exc:
        raise _bad(exc) from exc
    return Status(201, _survey_out(survey))


@router.get("/{slug}/surveys/{survey_id}", response=_responses({200: SurveyOut}, 401, 403, 404),
            summary="One survey and its versions")
def get_survey(request: HttpRequest, slug: str, survey_id: int) -> SurveyOut:
    return _survey_out(_survey(request, slug, survey_id)[1])


@router.get("/{slug}/surveys/{survey_id}/versions/{number}",
            response=_responses({200: SurveyVersionDetailOut}, 401, 403, 404),
            summary="One version with its definition; results name the version they come from")
def get_version(request: HttpRequest, slug: str, survey_id: int, number: int) -> SurveyVersionDetailOut:
    version = queries.get_version_for(_survey(request, slug, survey_id)[1], number)
    return SurveyVersionDetailOut(**_version_out(version).dict(), definition=version.definition)


@router.put("/{slug}/surveys/{survey_id}/draft",
            response=_responses({200: SurveyVersionOut}, 400, 401, 403, 404, 422),
            summary="Replace the draft's definition (a draft is made from the newest version if none)")
def save_draft(request: HttpRequest, slug: str, survey_id: int,
               payload: SurveyDefinitionIn) -> SurveyVersionOut:
    _organisation, survey = _survey(request, slug, survey_id, MANAGE)
    with transaction.atomic():
        version = services.draft_of(survey) or services.new_draft(actor=request.user, survey=survey)
        try:
            services.save_draft(actor=request.user, version=version, definition=payload.definition)
        except ValidationError as exc:
            transaction.set_rollback(True)
            raise _bad(exc) from exc
    return _version_out(version)


@router.post("/{slug}/surveys/{survey_id}/versions/{number}/publish",
             response=_responses({200: SurveyVersionOut}, 400, 401, 403, 404),
             summary="Publish (freeze) a version; a published version never changes")
def publish(request: HttpRequest, slug: str, survey_id: int, number: int) -> SurveyVersionOut:
    version = queries.get_version_for(_survey(request, slug, survey_id, MANAGE)[1], number)
    try:
        services.publish_version(actor=request.user, version=version)
    except ValidationError as exc:
        raise _bad(exc) from exc
    return _version_out(version)


@router.get("/{slug}/surveys/{survey_id}/waves",
            response=_responses({200: list[SurveyWaveOut]}, 401, 403, 404),
            summary="The survey's waves")
def list_waves(request: HttpRequest, slug: str, survey_id: int) -> list[SurveyWaveOut]:
    organisation, survey = _survey(request, slug, survey_id)
    can_manage = request.user.has_perm(MANAGE, organisation)
    return [_wave_out(request, w, can_manage) for w in queries.waves_of(survey)]


@router.post("/{slug}/surveys/{survey_id}/waves",
             response=_responses({201: SurveyWaveOut}, 400, 401, 403, 404, 422),
             summary="Open a wave of a published version, with its privacy statement and k")
def open_wave(request: HttpRequest, slug: str, survey_id: int,
              payload: SurveyWaveIn) -> Status[SurveyWaveOut]:
    _organisation, survey = _survey(request, slug, survey_id, MANAGE)
    published = [v for v in queries.versions_of(survey) if v.is_published]
    chosen = [v for v in published if payload.version in (None, v.number)]
    if not chosen:
        raise HttpError(400, "Publish a version before you open a wave.")
    data = payload.dict(exclude={"version"})
    try:
        wave = services.open_wave(actor=request.user, version=chosen[-1], **data)
    except ValidationError as exc:
        raise _bad(exc) from exc
    return Status(201, _wave_out(request, wave, True))


@router.get("/{slug}/survey-waves/{wave_id}", response=_responses({200: SurveyWaveOut}, 401, 403, 404),
            summary="One wave: dates, k, privacy statement, counts (never who answered)")
def get_wave(request: HttpRequest, slug: str, wave_id: int) -> SurveyWaveOut:
    organisation, wave = _wave(request, slug, wave_id)
    return _wave_out(request, wave, request.user.has_perm(MANAGE, organisation))


@router.post("/{slug}/survey-waves/{wave_id}/close", response=_responses({200: SurveyWaveOut}, 401, 403, 404),
             summary="Close a wave now")
def close_wave(request: HttpRequest, slug: str, wave_id: int) -> SurveyWaveOut:
    _organisation, wave = _wave(request, slug, wave_id, MANAGE)
    services.close_wave(actor=request.user, wave=wave)
    return _wave_out(request, wave, True)


@router.post("/{slug}/survey-waves/{wave_id}/invitations",
             response=_responses({201: SurveyCountOut}, 400, 401, 403, 404, 410, 422),
             summary="Email single-use links; an answer can never be linked to its invitation")
def invite(request: HttpRequest, slug: str, wave_id: int, payload: SurveyInviteIn) -> Status[SurveyCountOut]:
    _organisation, wave = _wave(request, slug, wave_id, MANAGE)
    for email in payload.emails:
        try:
            validate_email(email.strip())
        except ValidationError as exc:
            raise HttpError(400, f"Not an email address: {email[:100]}") from exc
    try:
        count = services.invite(actor=request.user, wave=wave, emails=payload.emails, language=_lang())
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc
    return Status(201, SurveyCountOut(count=count))


@router.post("/{slug}/survey-waves/{wave_id}/reminders",
             response=_responses({200: SurveyCountOut}, 401, 403, 404, 410),
             summary="Send a fresh link to everyone who has not used theirs")
def remind(request: HttpRequest, slug: str, wave_id: int) -> SurveyCountOut:
    _organisation, wave = _wave(request, slug, wave_id, MANAGE)
    try:
        return SurveyCountOut(count=services.remind(actor=request.user, wave=wave, language=_lang()))
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc


# --- Respondents ------------------------------------------------------------------------


class SurveyPrivacyOut(Schema):
    purpose: str
    stored: str
    retention: str
    contact: str
    min_cell: int


class SurveyForRespondentOut(Schema):
    title: str
    closes_on: dt.date
    is_open: bool
    privacy: SurveyPrivacyOut
    definition: dict[str, Any]


class SurveyConsentIn(Schema):
    consent: Literal[True] = Field(description="The respondent has read the privacy statement and "
                                               "agrees; nothing is stored without it")


class SurveyStartedOut(Schema):
    code: str = Field(description="The respondent's private code: keep it to continue later")


class SurveyWholeIn(SurveyConsentIn):
    key: str = Field(min_length=20, max_length=64,
                     description="A random key chosen by the client; resending the same key is a replay")
    answers: dict[str, Any]


class SurveyAnswersIn(Schema):
    answers: dict[str, Any] = Field(description="Question id -> answer; null clears an answer")


class SurveyAnswersOut(Schema):
    answers: dict[str, Any]
    errors: dict[str, str]
    submitted: bool


class SurveySubmittedOut(Schema):
    submitted: bool


def _respondent_view(wave: Wave) -> SurveyForRespondentOut:
    definition = definition_of(wave.version)
    return SurveyForRespondentOut(
        title=definition.title(_lang()), closes_on=wave.closes_on, is_open=services.is_open(wave),
        privacy=SurveyPrivacyOut(purpose=wave.purpose, stored=wave.stored, retention=wave.retention,
                           contact=wave.contact, min_cell=wave.min_cell),
        definition=definition.raw)


def _link_wave(token: str) -> Wave:
    wave = services.find_wave_by_link(token)
    if wave is None or not wave.link_active:
        raise HttpError(404, "Not Found")
    return wave


def _response_for(code: str) -> Response:
    found = services.find_response(code)
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@answer_router.get("/links/{token}", response=_responses({200: SurveyForRespondentOut}, 404),
                   summary="The survey behind an open link, with its privacy statement")
def link_survey(request: HttpRequest, token: str) -> SurveyForRespondentOut:
    return _respondent_view(_link_wave(token))


@answer_router.post("/links/{token}/start",
                    response=_responses({201: SurveyStartedOut}, 400, 404, 410, 422, 429),
                    summary="Start answering through an open link, after consent")
def start_from_link(request: HttpRequest, token: str, payload: SurveyConsentIn) -> Status[SurveyStartedOut]:
    wave = _link_wave(token)
    try:
        with transaction.atomic():
            ratelimit.check(request, "open")
            started = services.start_from_link(wave=wave, consent=payload.consent)
    except ratelimit.Limited as exc:
        raise HttpError(429, "Too many answers were started from this network just now.") from exc
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, SurveyStartedOut(code=started.code))


@answer_router.post("/links/{token}/submit",
                    response=_responses({201: SurveySubmittedOut}, 400, 404, 409, 410, 422, 429),
                    summary="Send a complete answer in one request (idempotent by its key)")
def submit_whole(request: HttpRequest, token: str, payload: SurveyWholeIn) -> Status[SurveySubmittedOut]:
    wave = _link_wave(token)
    if not payload.consent:
        raise HttpError(400, "Consent is needed before answers can be stored.")
    definition = definition_of(wave.version)
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    from peerwork.surveys import answers as answer_rules  # noqa: PLC0415 - only this endpoint

    for qid, raw in payload.answers.items():
        question = definition.question(qid)
        if question is None:
            errors[qid] = "Unknown question."
            continue
        try:
            value = answer_rules.clean_answer(question, raw)
        except answer_rules.AnswerError as exc:
            errors[qid] = str(exc)
            continue
        if not answer_rules.is_empty(value):
            cleaned[qid] = value
    if errors:
        raise HttpError(400, "; ".join(f"{k}: {v}" for k, v in errors.items()))
    try:
        with transaction.atomic():
            ratelimit.check(request, "open")
            services.submit_whole(wave=wave, key=payload.key, answers=cleaned, lang=_lang())
    except ratelimit.Limited as exc:
        raise HttpError(429, "Too many answers were sent from this network just now.") from exc
    except services.AlreadySubmitted as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, SurveySubmittedOut(submitted=True))


@answer_router.post("/invitations/{token}/start",
                    response=_responses({201: SurveyStartedOut}, 400, 404, 409, 410, 422),
                    summary="Start answering from an emailed single-use link, after consent")
def start_from_invitation(request: HttpRequest, token: str,
                          payload: SurveyConsentIn) -> Status[SurveyStartedOut]:
    try:
        started = services.start_from_invitation(token=token, consent=payload.consent)
    except LookupError as exc:
        raise HttpError(404, "Not Found") from exc
    except services.AlreadySubmitted as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, SurveyStartedOut(code=started.code))


@answer_router.get("/{code}", response=_responses({200: SurveyAnswersOut}, 404),
                   summary="The answers saved so far under a private code")
def saved_answers(request: HttpRequest, code: str) -> SurveyAnswersOut:
    response = _response_for(code)
    return SurveyAnswersOut(answers=response.answers, errors={}, submitted=response.is_submitted)


@answer_router.put("/{code}/answers", response=_responses({200: SurveyAnswersOut}, 400, 404, 409, 410, 422),
                   summary="Save some answers; valid ones are kept even when others are refused")
def save_answers(request: HttpRequest, code: str, payload: SurveyAnswersIn) -> SurveyAnswersOut:
    response = _response_for(code)
    try:
        errors = services.save_answers(response=response, values=payload.answers)
    except services.AlreadySubmitted as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc
    if errors:
        raise HttpError(400, "; ".join(f"{k}: {v}" for k, v in errors.items()))
    return SurveyAnswersOut(answers=response.answers, errors={}, submitted=False)


@answer_router.post("/{code}/submit", response=_responses({200: SurveySubmittedOut}, 400, 404, 409, 410),
                    summary="Submit once; a replay gets 409 and changes nothing")
def submit(request: HttpRequest, code: str) -> SurveySubmittedOut:
    response = _response_for(code)
    try:
        services.submit(response=response, lang=_lang())
    except services.AlreadySubmitted as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except services.WaveClosed as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return SurveySubmittedOut(submitted=True)


