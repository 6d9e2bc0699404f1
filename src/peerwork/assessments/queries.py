"""Reads of assessment rounds: access funnels, participation and results."""

from __future__ import annotations

from collections.abc import Callable
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
from peerwork.core import cache_slots
from peerwork.framework.library import get_library
from peerwork.orgs.models import Organisation
from peerwork.reports import refresh

SCORES_CACHE_SECONDS = refresh.KEEP_SECONDS
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


def submitted_count(round_: Round) -> int:
    with scope(organisation=round_.organisation):
        return Response.objects.filter(round=round_, submitted=True).count()


def refresh_name(round_: Round) -> str:
    """Names the round's scores apart from their count (see reports.refresh)."""
    return (f"peerwork:round-scores:v3:{round_.pk}:{round_.questionnaire}-"
            f"{round_.questionnaire_version}:{round_.stage}:{settings.PEERWORK_MIN_CELL}")


def cached_scores(round_: Round, count: int) -> RoundScores | None:
    """The scores of ``count`` submitted answers if they are in the cache, else None.
    The cache keeps only a round's newest scores (``core.cache_slots``): scores before
    and after one answer side by side would tell that answer."""
    found: RoundScores | None = cache_slots.get(refresh_name(round_), str(count))
    return found


def latest_scores(round_: Round) -> RoundScores | None:
    """The newest scores computed for the round, whatever their count, or None."""
    count = refresh.latest(refresh_name(round_))
    return None if count is None else cached_scores(round_, count)


def round_scores(round_: Round) -> RoundScores:
    """The round's scores for its current submissions, computed now if not cached.

    A submitted answer never changes, so the count of submissions identifies the
    data; the shared cache lets every web process reuse the result. Pages read them
    through ``results_refresh.shown``, which leaves large rounds to a background task."""
    scores = cached_scores(round_, submitted_count(round_))
    if scores is None:
        questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
        element_items = questionnaire.element_items(get_library(), round_.stage)
        scores = score_round(submitted_responses(round_), element_items,
                             k=settings.PEERWORK_MIN_CELL)
        # Keyed by what was read, which may hold an answer submitted since the count.
        cache_slots.put(refresh_name(round_), str(scores.respondents), scores, SCORES_CACHE_SECONDS)
        refresh.computed(refresh_name(round_), scores.respondents)
    return scores


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


def trend(round_: Round, scores_of: Callable[[Round], RoundScores | None] = round_scores,
          ) -> Trend | None:
    """None when the round is the service's first with this questionnaire. A round that
    ``scores_of`` gives None for (not computed yet) is left out."""
    with scope(organisation=round_.organisation):
        rounds = list(Round.objects.filter(
            organisation=round_.organisation, questionnaire=round_.questionnaire,
            created__lte=round_.created).order_by("created"))
    if len(rounds) < 2:
        return None
    means: dict[int, dict[str, float | None]] = {}
    for earlier in rounds:
        scores = scores_of(earlier)
        if scores is not None:
            means[earlier.pk] = {e.element_id: (None if e.total.suppressed else e.total.mean)
                                 for e in scores.elements}
    rounds = [r for r in rounds if r.pk in means]
    if len(rounds) < 2 or round_.pk not in means:
        return None
    library = get_library()
    structure = library.structure(TREND_STRUCTURE)
    areas = [(element, [means[r.pk].get(element.id) for r in rounds])
             for element in (structure.elements if structure else [])]
    previous = rounds[-2]
    with scope(organisation=round_.organisation):
        completed = list(Action.objects.filter(
            organisation=round_.organisation, status="done",
            done_on__gte=previous.created.date(), done_on__lte=round_.created.date(),
        ).order_by("done_on"))
    return Trend(rounds=rounds, areas=areas, completed_between=completed)
