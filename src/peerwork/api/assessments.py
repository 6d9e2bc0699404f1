"""Assessment rounds through the API: the same funnels and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django_scopes import scope
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from peerwork.api.auth import AUTH
from peerwork.api.schemas import UPDATING_NOTE, Message, ResultsComputing, results_computing
from peerwork.assessments import queries, results_refresh, services
from peerwork.assessments.benchmark import national_benchmark
from peerwork.assessments.enums import ActionStatus, Position, RoleForm, Stage
from peerwork.assessments.models import Action, Response, Round
from peerwork.assessments.scoring import Cell
from peerwork.framework.library import get_library
from peerwork.orgs.queries import get_organisation_for

router = Router(tags=["assessments"], auth=AUTH)
MANAGE = "assessments.manage_rounds"
VIEW = "assessments.view_round"


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys(errors, Message)}


class RoundIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    stage: str
    role_form: str
    anonymous: bool = True
    closes_on: dt.date
    share_for_benchmark: bool = False


class ParticipationOut(Schema):
    position: str
    started: int
    submitted: int


class RoundOut(Schema):
    id: int
    title: str
    stage: str
    role_form: str
    anonymous: bool
    closes_on: dt.date
    status: str
    questionnaire: str
    questionnaire_version: int
    participation: list[ParticipationOut]


class CellOut(Schema):
    group: str
    n: int | None
    mean: float | None
    sd: float | None
    suppressed: bool


class ElementScoreOut(Schema):
    element_id: str
    total: CellOut
    groups: list[CellOut]
    gap: float | None
    differs: bool


class ResultsOut(Schema):
    round: int
    questionnaire: str
    questionnaire_version: int
    min_cell: int
    respondents: int  # submissions these scores include
    submitted: int  # submissions now
    updating: bool  # newer scores are being computed
    groups: list[str]
    elements: list[ElementScoreOut]


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=150)
    due_on: dt.date
    element: str = Field(default="", max_length=120)
    recommendation: str = Field(default="", max_length=60)


class ActionPatch(Schema):
    status: str


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_on: dt.date
    element: str
    recommendation: str
    status: str
    done_on: dt.date | None


def _round_out(round_: Round) -> RoundOut:
    return RoundOut(
        id=round_.pk, title=round_.title, stage=round_.stage, role_form=round_.role_form,
        anonymous=round_.anonymous, closes_on=round_.closes_on, status=round_.status,
        questionnaire=round_.questionnaire, questionnaire_version=round_.questionnaire_version,
        participation=[ParticipationOut(position=p.position, started=p.started, submitted=p.submitted)
                       for p in queries.participation(round_)],
    )


def _cell(cell: Cell) -> CellOut:
    return CellOut(group=cell.group, n=cell.n, mean=cell.mean, sd=cell.sd, suppressed=cell.suppressed)


def _action_out(action: Action) -> ActionOut:
    return ActionOut(id=action.pk, title=action.title, owner=action.owner, due_on=action.due_on,
                     element=action.element, recommendation=action.recommendation,
                     status=action.status, done_on=action.done_on)


def _round(request: HttpRequest, slug: str, round_id: int, perm: str = VIEW) -> Round:
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return queries.get_round_for(request.user, organisation, round_id, perm=perm)


@router.get("/{slug}/assessments", response=_responses({200: list[RoundOut]}, 401, 403, 404),
            summary="The organisation's assessment rounds")
def list_rounds(request: HttpRequest, slug: str) -> list[RoundOut]:
    organisation = get_organisation_for(request.user, slug, perm=VIEW)
    return [_round_out(r) for r in queries.rounds_of(organisation)]


@router.post("/{slug}/assessments", response=_responses({201: RoundOut}, 400, 401, 403, 404, 422),
             summary="Open an assessment round (managers)")
def create_round(request: HttpRequest, slug: str, payload: RoundIn) -> Status[RoundOut]:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    if payload.stage not in Stage.values or payload.role_form not in RoleForm.values:
        raise HttpError(422, f"stage must be one of {Stage.values}; role_form one of {RoleForm.values}")
    try:
        round_ = services.create_round(actor=request.user, organisation=organisation, **payload.dict())
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return Status(201, _round_out(round_))


@router.get("/{slug}/assessments/{round_id}", response=_responses({200: RoundOut}, 401, 403, 404),
            summary="One round with counts of who has answered")
def get_round(request: HttpRequest, slug: str, round_id: int) -> RoundOut:
    return _round_out(_round(request, slug, round_id))


@router.post("/{slug}/assessments/{round_id}/close",
             response=_responses({200: RoundOut}, 401, 403, 404), summary="Close a round now")
def close_round(request: HttpRequest, slug: str, round_id: int) -> RoundOut:
    round_ = _round(request, slug, round_id, MANAGE)
    return _round_out(services.close_round(actor=request.user, round_=round_))


@router.get("/{slug}/assessments/{round_id}/results",
            response=_responses({200: ResultsOut, 202: ResultsComputing}, 401, 403, 404),
            summary="Scores per framework element and group, with small cells suppressed; the "
                    "newest computed (`respondents` of `submitted` answers), or 202 while none are",
            description="Every cell the round's suppression withholds is null." + UPDATING_NOTE)
def results(request: HttpRequest, response: HttpResponse, slug: str,
            round_id: int) -> ResultsOut | Status[ResultsComputing]:
    round_ = _round(request, slug, round_id)
    state = results_refresh.shown(round_)
    scores = state.results
    if scores is None:
        return results_computing(response, state.submitted)
    return ResultsOut(
        round=round_.pk, questionnaire=round_.questionnaire,
        questionnaire_version=round_.questionnaire_version, min_cell=scores.k,
        respondents=scores.respondents, submitted=state.submitted, updating=not state.current,
        groups=list(scores.group_keys),
        elements=[ElementScoreOut(element_id=e.element_id, total=_cell(e.total),
                                  groups=[_cell(c) for c in e.groups], gap=e.gap, differs=e.has_gap)
                  for e in scores.elements],
    )


@router.get("/{slug}/assessments/{round_id}/actions",
            response=_responses({200: list[ActionOut]}, 401, 403, 404), summary="The action plan")
def list_actions(request: HttpRequest, slug: str, round_id: int) -> list[ActionOut]:
    return [_action_out(a) for a in queries.actions_of(_round(request, slug, round_id))]


@router.post("/{slug}/assessments/{round_id}/actions",
             response=_responses({201: ActionOut}, 401, 403, 404, 422), summary="Add an action")
def add_action(request: HttpRequest, slug: str, round_id: int, payload: ActionIn) -> Status[ActionOut]:
    round_ = _round(request, slug, round_id, MANAGE)
    if payload.element and get_library().element(payload.element) is None:
        raise HttpError(422, "element is not a framework-library id")
    return Status(201, _action_out(services.add_action(actor=request.user, round_=round_,
                                                       **payload.dict())))


@router.patch("/{slug}/assessments/{round_id}/actions/{action_id}",
              response=_responses({200: ActionOut}, 401, 403, 404, 422),
              summary="Change an action's status")
def update_action(request: HttpRequest, slug: str, round_id: int, action_id: int,
                  payload: ActionPatch) -> ActionOut:
    round_ = _round(request, slug, round_id, MANAGE)
    if payload.status not in ActionStatus.values:
        raise HttpError(422, f"status must be one of {ActionStatus.values}")
    with scope(organisation=round_.organisation):
        action = Action.objects.filter(round=round_, pk=action_id).first()
    if action is None:
        raise HttpError(404, "Not Found")
    return _action_out(services.set_action_status(actor=request.user, action=action,
                                                  status=payload.status))


benchmark_router = Router(tags=["benchmark"], auth=AUTH)


class AreaBenchmarkOut(Schema):
    element: str
    services: int | None
    q1: float | None
    median: float | None
    q3: float | None
    suppressed: bool


@benchmark_router.get("/assessments", response=_responses({200: list[AreaBenchmarkOut]}, 401, 403, 404),
                      summary="National benchmark per area (national analysts)")
def national(request: HttpRequest) -> list[AreaBenchmarkOut]:
    if not request.user.has_perm("assessments.view_benchmark"):
        raise HttpError(404, "Not Found")
    return [AreaBenchmarkOut(element=a.element, services=a.services, q1=a.q1, median=a.median,
                             q3=a.q3, suppressed=a.suppressed)
            for a in sorted(national_benchmark().values(), key=lambda a: a.element)]


class InviteIn(Schema):
    position: str
    emails: list[str] = Field(min_length=1, max_length=200)


class InvitedOut(Schema):
    sent: int


class ShareLinkOut(Schema):
    position: str
    url: str


@router.get("/{slug}/assessments/{round_id}/links",
            response=_responses({200: list[ShareLinkOut]}, 401, 403, 404),
            summary="The round's open links, one per position (managers)")
def share_links(request: HttpRequest, slug: str, round_id: int) -> list[ShareLinkOut]:
    round_ = _round(request, slug, round_id, MANAGE)
    with scope(organisation=round_.organisation):
        links = list(round_.links.order_by("position"))
    return [ShareLinkOut(position=link.position,
                         url=request.build_absolute_uri(reverse("assessments:link", args=[link.token])))
            for link in links]


@router.post("/{slug}/assessments/{round_id}/invitations",
             response=_responses({201: InvitedOut}, 401, 403, 404, 409, 422),
             summary="Email single-use links to respondents (managers)")
def invite(request: HttpRequest, slug: str, round_id: int, payload: InviteIn) -> Status[InvitedOut]:
    round_ = _round(request, slug, round_id, MANAGE)
    if payload.position not in Position.values:
        raise HttpError(422, f"position must be one of {Position.values}")
    for email in payload.emails:
        try:
            validate_email(email.strip())
        except ValidationError as exc:
            raise HttpError(422, f"{email}: " + " ".join(exc.messages)) from exc
    try:
        sent = services.invite_respondents(actor=request.user, round_=round_, emails=payload.emails,
                                           position=payload.position,
                                           language=translation.get_language() or "en")
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, InvitedOut(sent=sent))


answer_router = Router(tags=["answering"], auth=None)


class AnswerIn(Schema):
    value: int | None = Field(description="A value on the scale, or null for \"don't know\"")
    comment: str = Field(default="", max_length=2000)


class SavedOut(Schema):
    item: str
    value: int | None
    comment: str


class SubmittedOut(Schema):
    submitted: bool


def _response_for(code: str) -> Response:
    found = services.find_response(code)
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@answer_router.put("/{code}/items/{item_id}", response=_responses({200: SavedOut}, 400, 404, 409, 422),
                   summary="Save one answer with the respondent's private code; saving again replaces it")
def save_answer(request: HttpRequest, code: str, item_id: str, payload: AnswerIn) -> SavedOut:
    response = _response_for(code)
    try:
        answer = services.save_answer(response=response, item_id=item_id, value=payload.value,
                                      comment=payload.comment)
    except ValidationError as exc:
        raise HttpError(409 if response.submitted else 400, " ".join(exc.messages)) from exc
    return SavedOut(item=answer.item, value=answer.value, comment=answer.comment)


@answer_router.post("/{code}/submit", response=_responses({200: SubmittedOut}, 400, 404, 409),
                    summary="Submit the answers once")
def submit(request: HttpRequest, code: str) -> SubmittedOut:
    response = _response_for(code)
    try:
        services.submit(response=response)
    except ValidationError as exc:
        raise HttpError(409 if response.submitted else 400, " ".join(exc.messages)) from exc
    return SubmittedOut(submitted=True)


class StartedOut(Schema):
    code: str = Field(description="The respondent's private code: keep it to continue later")
    position: str
    questionnaire: str
    questionnaire_version: int


def _started(started: services.Started) -> Status[StartedOut]:
    round_ = started.response.round
    return Status(201, StartedOut(code=started.code, position=started.response.position,
                                  questionnaire=round_.questionnaire,
                                  questionnaire_version=round_.questionnaire_version))


@answer_router.post("/links/{token}/start", response=_responses({201: StartedOut}, 404, 410),
                    summary="Start answering from a share link (the token at the end of its URL)")
def start_from_link(request: HttpRequest, token: str) -> Status[StartedOut]:
    link = services.find_share_link(token)
    if link is None:
        raise HttpError(404, "Not Found")
    try:
        return _started(services.start_from_link(link=link))
    except ValidationError as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc


@answer_router.post("/invitations/{token}/start", response=_responses({201: StartedOut}, 404, 410),
                    summary="Start answering from an emailed single-use link")
def start_from_invitation(request: HttpRequest, token: str) -> Status[StartedOut]:
    try:
        return _started(services.start_from_invitation(token=token))
    except LookupError as exc:
        raise HttpError(404, "Not Found") from exc
    except ValidationError as exc:
        raise HttpError(410, " ".join(exc.messages)) from exc


class ItemAnswerIn(AnswerIn):
    item: str = Field(max_length=60)


class SavedManyOut(Schema):
    saved: int


def _answer_map(answers: list[ItemAnswerIn]) -> dict[str, services.AnswerInput]:
    found: dict[str, services.AnswerInput] = {}
    for answer in answers:
        if answer.item in found:
            raise HttpError(400, f"Question {answer.item!r} is answered twice.")
        found[answer.item] = (answer.value, answer.comment)
    return found


@answer_router.put("/{code}/items", response=_responses({200: SavedManyOut}, 400, 404, 409, 422),
                   summary="Save several answers at once with the respondent's private code; "
                           "saving again replaces them")
def save_answers(request: HttpRequest, code: str, payload: list[ItemAnswerIn]) -> SavedManyOut:
    response = _response_for(code)
    try:
        saved = services.save_answers(response=response, answers=_answer_map(payload))
    except ValidationError as exc:
        raise HttpError(409 if response.submitted else 400, " ".join(exc.messages)) from exc
    return SavedManyOut(saved=saved)


class CompleteAnswerIn(Schema):
    key: str = Field(pattern=r"^[A-Za-z0-9_-]{20,100}$",
                     description="A random key of your own (20-100 URL-safe characters). Sending the "
                                 "same key again is refused with 409, so a retry never counts twice.")
    answers: list[ItemAnswerIn] = Field(max_length=500)


@answer_router.post("/links/{token}/answers",
                    response=_responses({201: SubmittedOut}, 400, 404, 409, 410, 422),
                    summary="Answer and submit in one request from a share link: the one-page form")
def answer_from_link(request: HttpRequest, token: str, payload: CompleteAnswerIn) -> Status[SubmittedOut]:
    link = services.find_share_link(token)
    if link is None:
        raise HttpError(404, "Not Found")
    try:
        services.answer_all_from_link(link=link, form_key=payload.key, answers=_answer_map(payload.answers))
    except services.AlreadySubmittedError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        raise HttpError(410 if not services.is_open(link.round) or not link.active else 400,
                        " ".join(exc.messages)) from exc
    return Status(201, SubmittedOut(submitted=True))
