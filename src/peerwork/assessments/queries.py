"""Reads of assessment rounds: access funnels, participation and results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404
from django_scopes import scope

from peerwork.assessments import recommendations
from peerwork.assessments.enums import Position
from peerwork.assessments.models import Action, Answer, Response, Round
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.assessments.recommendations import Recommendation
from peerwork.assessments.scoring import ElementScore, ResponseData, RoundScores, score_round
from peerwork.core.cache_slots import latest
from peerwork.framework.library import get_library
from peerwork.orgs.models import Organisation

SCORES_CACHE_SECONDS = 60 * 60 * 24 * 7
WEAK_BELOW = 3.5  # a mean under this (on 1–5) counts as a weak area


def get_round_for(user: Any, organisation: Organisation, round_id: int, *,
                  perm: str = "assessments.view_round") -> Round:
    """The round if ``user`` holds ``perm`` in its organisation; 404 alike otherwise."""
    if not user.has_perm(perm, organisation):
        raise Http404
    with scope(organisation=organisation):
        found = Round.objects.filter(organisation=organisation, pk=round_id).first()
    if found is None:
        raise Http404
    return found


def rounds_of(organisation: Organisation) -> list[Round]:
    with scope(organisation=organisation):
        return list(Round.objects.filter(organisation=organisation))


@dataclass(frozen=True)
class Participation:
    position: str
    label: str
    started: int
    submitted: int


def participation(round_: Round) -> list[Participation]:
    """How many have started and submitted, per position. Counts only, never who."""
    with scope(organisation=round_.organisation):
        rows = list(Response.objects.filter(round=round_).values_list("position", "submitted"))
    return [Participation(position=p.value, label=str(p.label),
                          started=sum(1 for pos, _ in rows if pos == p.value),
                          submitted=sum(1 for pos, sub in rows if pos == p.value and sub))
            for p in Position]


def submitted_responses(round_: Round) -> list[ResponseData]:
    """Submitted answers as plain data, in no meaningful order."""
    by_response: dict[Any, dict[str, int | None]] = {}
    positions: dict[Any, str] = {}
    with scope(organisation=round_.organisation):
        for response_id, position in Response.objects.filter(
                round=round_, submitted=True).values_list("id", "position"):
            positions[response_id] = position
            by_response[response_id] = {}
    for response_id, item, value in Answer.objects.filter(
            response__round=round_, response__submitted=True).values_list("response_id", "item", "value"):
        by_response[response_id][item] = value
    return [ResponseData(position=positions[r], answers=a)
            for r, a in sorted(by_response.items(), key=lambda kv: str(kv[0]))]


def round_scores(round_: Round) -> RoundScores:
    """The round's scores, computed once per number of submitted answers.

    A submitted answer never changes, so the count of submissions identifies the
    data; the shared cache lets every web process reuse the result. It keeps only the
    latest scores of a round (``core.cache_slots``)."""
    with scope(organisation=round_.organisation):
        submitted = Response.objects.filter(round=round_, submitted=True).count()
    version = (f"{round_.questionnaire}-{round_.questionnaire_version}:{round_.stage}:"
               f"{submitted}:{settings.PEERWORK_MIN_CELL}")

    def compute() -> RoundScores:
        questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
        element_items = questionnaire.element_items(get_library(), round_.stage)
        return score_round(submitted_responses(round_), element_items, k=settings.PEERWORK_MIN_CELL)

    return latest(f"peerwork:round-scores:v2:{round_.pk}", version, compute, SCORES_CACHE_SECONDS)


def area_rows(scores: RoundScores) -> list[tuple[Any, ElementScore]]:
    """(library element, score) for the top-level areas, in library order."""
    elements = get_library().elements
    return [(elements[e.element_id], e) for e in scores.elements
            if elements[e.element_id].parent is None]


@dataclass(frozen=True)
class Finding:
    """A weak or divergent area with what Peerwork recommends for it."""

    score: ElementScore
    weak: bool
    recommendations: list[Recommendation]


def findings(round_: Round, scores: RoundScores) -> list[Finding]:
    """Top-level areas that are weak or where the groups disagree, weakest first."""
    library = get_library()
    result = []
    for score in scores.weakest_first():
        element = library.element(score.element_id)
        if element is None or element.parent is not None:
            continue
        weak = score.total.mean is not None and score.total.mean < WEAK_BELOW
        if weak or score.has_gap:
            result.append(Finding(score=score, weak=weak, recommendations=recommendations.for_element(
                score.element_id, stage=round_.stage, role_form=round_.role_form)))
    return result


def actions_of(round_: Round) -> list[Action]:
    with scope(organisation=round_.organisation):
        return list(Action.objects.filter(round=round_))


@dataclass(frozen=True)
class Trend:
    """Scores per precondition across a service's rounds, oldest first, and the
    actions completed between the previous round and this one."""

    rounds: list[Round]
    areas: list[tuple[Any, list[float | None]]]  # (library element, mean per round)
    completed_between: list[Action]


TREND_STRUCTURE = "precondition"


def trend(round_: Round) -> Trend | None:
    """None when the round is the service's first with this questionnaire."""
    with scope(organisation=round_.organisation):
        rounds = list(Round.objects.filter(
            organisation=round_.organisation, questionnaire=round_.questionnaire,
            created__lte=round_.created).order_by("created"))
    if len(rounds) < 2:
        return None
    library = get_library()
    structure = library.structure(TREND_STRUCTURE)
    means: dict[int, dict[str, float | None]] = {}
    for earlier in rounds:
        scores = round_scores(earlier)
        means[earlier.pk] = {e.element_id: (None if e.total.suppressed else e.total.mean)
                             for e in scores.elements}
    areas = [(element, [means[r.pk].get(element.id) for r in rounds])
             for element in (structure.elements if structure else [])]
    previous = rounds[-2]
    with scope(organisation=round_.organisation):
        completed = list(Action.objects.filter(
            organisation=round_.organisation, status="done",
            done_on__gte=previous.created.date(), done_on__lte=round_.created.date(),
        ).order_by("done_on"))
    return Trend(rounds=rounds, areas=areas, completed_between=completed)
