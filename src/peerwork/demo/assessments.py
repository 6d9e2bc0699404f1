"""Demo assessment rounds: Fjordvik's round now and one closed a year ago (so the trend
has two points), an action plan with one action completed between them, and closed
rounds from other services so that the national benchmark has at least *k* services.

Rounds are opened, answered and closed through the services, which date everything
today; the rounds that stand for the past then get their dates moved back.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_scopes import scope

from peerwork.assessments import services
from peerwork.assessments.enums import ActionStatus, Position, RoleForm, Stage
from peerwork.assessments.models import Action, Response, Round
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.core.secrets import new_secret
from peerwork.demo.people import Cast, ensure_organisation, other_services
from peerwork.orgs.models import Organisation

# Makes one respondent's answers from the round's items and their position.
MakeAnswers = Callable[[list[Any], str], dict[str, services.AnswerInput]]

CURRENT_TITLE = "Første år med erfaringskonsulenter"
EARLIER_TITLE = "Tre måneder med erfaringskonsulenter"
# The sections where Fjordvik's peer workers see things less rosily than the others.
PEER_SORE_SECTIONS = {"job_description", "support", "onboarding"}
# (what, who owns it, area, recommendation, days from today it is due, status, days ago done)
EARLIER_ACTIONS = [
    ("Skrive stillingsbeskrivelsen på nytt sammen med erfaringskonsulentene", "Enhetsleder",
     "precondition.job_description", "job_description_from_competence_profile", -200,
     ActionStatus.DONE, 150),
    ("Avtale veiledning med en erfaren erfaringskonsulent fra nabokommunen", "Enhetsleder",
     "precondition.support", "supervision_by_senior_peer", 30, ActionStatus.IN_PROGRESS, None),
]
CURRENT_ACTIONS = [
    ("Lage en opplæringsplan med kontaktperson for nye erfaringskonsulenter", "Teamleder",
     "precondition.onboarding", "introduction_with_contact_person", 60, ActionStatus.PLANNED, None),
    ("Ansette en erfaringskonsulent til, så ingen står alene i rollen", "Enhetsleder",
     "precondition.hiring_policy", "two_peer_workers_per_team", 180, ActionStatus.PLANNED, None),
]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _answers(items: list[Any], position: str, rng: random.Random, *, level: float,
             sore: float) -> dict[str, services.AnswerInput]:
    """One respondent's answers around ``level``; peer workers ``sore`` lower where it hurts."""
    answers: dict[str, services.AnswerInput] = {}
    for item in items:
        mean = level - (sore if position == Position.PEER_WORKER
                        and item.section in PEER_SORE_SECTIONS else 0)
        value: int | None = None if rng.random() < 0.05 else _clamp(rng.gauss(mean, 0.85))
        answers[item.id] = (value, "")
    return answers


def _answering(rng: random.Random, *, level: float, sore: float) -> MakeAnswers:
    def make(items: list[Any], position: str) -> dict[str, services.AnswerInput]:
        return _answers(items, position, rng, level=level, sore=sore)

    return make


def _fjordvik_answers(items: list[Any], position: str, rng: random.Random
                      ) -> dict[str, services.AnswerInput]:
    """The current round's answers, as the first demo made them (the same seed and draws)."""
    answers: dict[str, services.AnswerInput] = {}
    for item in items:
        low = position == Position.PEER_WORKER and item.section in PEER_SORE_SECTIONS
        value: int | None = rng.choice([1, 2, 2, 3] if low else [3, 4, 4, 5])
        if rng.random() < 0.05:
            value = None  # "don't know"
        answers[item.id] = (value, "")
    return answers


def _answer_round(round_: Round, counts: list[tuple[str, int]], make: MakeAnswers) -> None:
    """Submit ``counts`` answers per position through the one-page form's service."""
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    items = questionnaire.items_for(round_.stage)
    with scope(organisation=round_.organisation):
        links = {link.position: link for link in round_.links.all()}
    for position, count in counts:
        for _ in range(count):
            services.answer_all_from_link(link=links[position], form_key=new_secret(),
                                          answers=make(items, position))


def _move_back(round_: Round, *, created: dt.date, closed: dt.date) -> None:
    """Date a closed round (and its answers) as if it had run in the past."""
    tz = timezone.get_current_timezone()
    with scope(organisation=round_.organisation):
        Round.objects.filter(pk=round_.pk).update(
            created=dt.datetime.combine(created, dt.time(9), tz),
            closed=dt.datetime.combine(closed, dt.time(15), tz), closes_on=closed)
        Response.objects.filter(round=round_).update(started_on=closed - dt.timedelta(days=5),
                                                     submitted_on=closed - dt.timedelta(days=5))
    round_.refresh_from_db()


def _closed_round(*, actor: Any, organisation: Organisation, title: str, stage: str,
                  counts: list[tuple[str, int]], make: MakeAnswers, created: dt.date,
                  closed: dt.date) -> Round:
    round_ = services.create_round(
        actor=actor, organisation=organisation, title=title, stage=stage,
        role_form=RoleForm.CARE_PROVIDER, anonymous=True, closes_on=timezone.localdate(),
        share_for_benchmark=True)
    _answer_round(round_, counts, make)
    services.close_round(actor=actor, round_=round_)
    _move_back(round_, created=created, closed=closed)
    return round_


def _find(organisation: Organisation, title: str) -> Round | None:
    with scope(organisation=organisation):
        return Round.objects.filter(organisation=organisation, title=title).first()


def _add_actions(actor: Any, round_: Round, plan: list[Any]) -> None:
    today = timezone.localdate()
    for title, owner, element, recommendation, due_in, status, done_ago in plan:
        action = services.add_action(actor=actor, round_=round_, title=title, owner=owner,
                                     due_on=today + dt.timedelta(days=due_in), element=element,
                                     recommendation=recommendation)
        if status != ActionStatus.PLANNED:
            services.set_action_status(actor=actor, action=action, status=status)
        if done_ago is not None:
            with scope(organisation=round_.organisation):
                Action.objects.filter(pk=action.pk).update(
                    done_on=today - dt.timedelta(days=done_ago))


def ensure_fjordvik_rounds(cast: Cast) -> None:
    """The round a year ago (closed, shared with the benchmark) and the one now (open)."""
    today = timezone.localdate()
    organisation, manager = cast.organisation, cast.manager
    if _find(organisation, EARLIER_TITLE) is None:
        rng = random.Random(11)  # noqa: S311 - made-up demo answers, the same every time
        earlier = _closed_round(
            actor=manager, organisation=organisation, title=EARLIER_TITLE, stage=Stage.FIRST_YEAR,
            counts=[(Position.MANAGER, 1), (Position.COLLEAGUE, 6), (Position.PEER_WORKER, 5)],
            make=_answering(rng, level=3.3, sore=1.6),
            created=today - dt.timedelta(days=380), closed=today - dt.timedelta(days=350))
        _add_actions(manager, earlier, EARLIER_ACTIONS)
    if _find(organisation, CURRENT_TITLE) is None:
        rng = random.Random(7)  # noqa: S311 - made-up demo answers, the same every time
        current = services.create_round(
            actor=manager, organisation=organisation, title=CURRENT_TITLE, stage=Stage.FIRST_YEAR,
            role_form=RoleForm.CARE_PROVIDER, anonymous=True,
            closes_on=today + dt.timedelta(days=21))
        _answer_round(current, [(Position.MANAGER, 1), (Position.COLLEAGUE, 6),
                                (Position.PEER_WORKER, 5)],
                      lambda items, position: _fjordvik_answers(items, position, rng))
        _add_actions(manager, current, CURRENT_ACTIONS)


def ensure_benchmark(cast: Cast) -> None:
    """One closed, shared round in each other demo service, each scoring differently."""
    today = timezone.localdate()
    k_people = max(5, settings.PEERWORK_MIN_CELL)
    for number, (slug, name, type_, region) in enumerate(other_services()):
        organisation = ensure_organisation(actor=cast.admin, slug=slug, name=name, type=type_,
                                           region=region)
        with scope(organisation=organisation):
            if Round.objects.filter(organisation=organisation).exists():
                continue
        rng = random.Random(100 + number)  # noqa: S311 - made-up demo answers
        level = 2.8 + (number * 0.37) % 1.3
        created = today - dt.timedelta(days=40 + 30 * number)
        _closed_round(
            actor=cast.admin, organisation=organisation, title=f"Kartlegging {created.year}",
            stage=Stage.ESTABLISHED,
            counts=[(Position.MANAGER, 1), (Position.COLLEAGUE, k_people),
                    (Position.PEER_WORKER, k_people - 1)],
            make=_answering(rng, level=level, sore=0.5),
            created=created, closed=today - dt.timedelta(days=10 + 30 * number))
