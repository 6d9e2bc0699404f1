"""Demo surveys from the shipped templates, each with two closed yearly waves and one
open wave, answered by made-up respondents (fixed seeds):

- Fjordvik runs the Model 4 impact survey among its managers, colleagues and peer
  workers; the few managers show small-cell suppression when split by position.
- The national organisation runs the national peer-worker survey; its latest closed
  wave publishes the median salary that every role's pay check reads.

Waves are opened and answered through the services, which date everything today;
the closed waves then get their dates moved back a year or two.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_scopes import scope

from peerwork.core.secrets import new_secret
from peerwork.demo.answers import Tilt, respondent
from peerwork.demo.people import Cast
from peerwork.orgs.models import Organisation
from peerwork.surveys import services
from peerwork.surveys.models import Response, Survey, SurveyVersion, Wave
from peerwork.surveys.queries import definition_of
from peerwork.surveys.shipped import shipped_templates


@dataclass(frozen=True)
class WavePlan:
    years_ago: int  # 0: the open wave
    responses: int
    tilt: Tilt


PURPOSE = ("Å se hvordan arbeidet med erfaringskonsulenter utvikler seg fra år til år, og hva "
           "som bør bli bedre.")
STORED = ("Svarene dine, uten navn, e-postadresse, IP-adresse eller klokkeslett. Resultater vises "
          "bare for grupper på minst fem.")
RETENTION = "Svarene slettes fem år etter at undersøkelsen er avsluttet."


def _wave_dates(today: dt.date, years_ago: int) -> tuple[dt.date, dt.date]:
    opens = today - dt.timedelta(days=14 + 365 * years_ago)
    return opens, opens + dt.timedelta(days=42)


def _run_wave(*, actor: Any, version: SurveyVersion, title: str, plan: WavePlan,
              rng: random.Random) -> Wave:
    today = timezone.localdate()
    opens, closes = _wave_dates(today, plan.years_ago)
    wave = services.open_wave(actor=actor, version=version, title=title, opens_on=opens,
                              closes_on=max(closes, today), purpose=PURPOSE, stored=STORED,
                              retention=RETENTION,
                              contact=f"{version.organisation.name}, personvernombudet")
    definition = definition_of(version)
    for _ in range(plan.responses):
        services.submit_whole(wave=wave, key=new_secret(),
                              answers=respondent(definition, plan.tilt, rng))
    if plan.years_ago:
        services.close_wave(actor=actor, wave=wave)
        answered = closes - dt.timedelta(days=20)
        with scope(organisation=wave.organisation):
            Wave.objects.filter(pk=wave.pk).update(closes_on=closes)
            Response.objects.filter(wave=wave).update(started_on=answered, submitted_on=answered)
    return wave


def _ensure_survey(*, actor: Any, organisation: Organisation, template: str, key: str,
                   title: str, plans: list[WavePlan], seed: int) -> None:
    """The survey ``key`` from a shipped template, published, with one wave per plan."""
    with scope(organisation=organisation):
        if Survey.objects.filter(organisation=organisation, key=key).exists():
            return
    definition = copy.deepcopy(shipped_templates()[template][0])
    definition["key"] = key
    survey = services.create_survey(actor=actor, organisation=organisation, definition=definition)
    draft = services.draft_of(survey)
    assert draft is not None  # a new survey has its first version as a draft
    version = services.publish_version(actor=actor, version=draft)
    first_opens, _closes = _wave_dates(timezone.localdate(), max(p.years_ago for p in plans))
    with scope(organisation=organisation):
        SurveyVersion.objects.filter(pk=version.pk).update(
            published_on=first_opens - dt.timedelta(days=7))
    rng = random.Random(seed)  # noqa: S311 - made-up respondents, the same every time
    for plan in sorted(plans, key=lambda p: -p.years_ago):
        year = _wave_dates(timezone.localdate(), plan.years_ago)[0].year
        _run_wave(actor=actor, version=version, title=f"{title} {year}", plan=plan, rng=rng)


# --- Fjordvik: the Model 4 impact survey ------------------------------------------------

IMPACT_TEXTS = {"example": (
    "Innkallingsbrevet til nye brukere ble skrevet om sammen med erfaringskonsulenten.",
    "Vi har fått en likepersonsgruppe som brukerne selv etterspurte.",
    "Teammøtet har fått et fast punkt om brukerperspektivet.",
    "Venterommet er gjort mindre klinisk etter innspill fra brukerne.",
    "Erfaringskonsulenten følger brukere til møter med NAV, og færre møter blir avlyst.",
    "We changed how we write about service users in the records: less about what they fail "
    "to do, more about what they need.",
    "The peer worker started an evening drop-in that reaches people we never saw before.",
    "Vi snakker annerledes om brukerne enn før.",
)}


def _impact_tilt(shift: float, co_creation: float) -> Tilt:
    return Tilt(
        shift=shift,
        weights={"informant": {"manager": 0.1, "professional": 0.73, "peer_worker": 0.17},
                 "sector": {"municipal": 1.0},
                 "peer_role": {"fixed_services": 0.25, "peer_support": 0.75 - co_creation,
                               "co_creation": co_creation}},
        means={"core_functions.delivery": 3.9, "core_functions.bridging": 3.6,
               "core_functions.translating": 3.4, "core_functions.planning": 2.4,
               "conditions.accepted_managers": 3.9, "conditions.accepted_colleagues": 3.3,
               "conditions.standing": 2.7, "outcomes.culture": 2.9, "outcomes.capacity": 3.0},
        groups={("informant", "manager"): 0.5, ("informant", "peer_worker"): -0.6},
        texts=IMPACT_TEXTS, text_share=0.3, skip=0.08, always=frozenset({"sector"}))


def _impact_plans() -> list[WavePlan]:
    return [WavePlan(2, 64, _impact_tilt(-0.45, 0.12)),
            WavePlan(1, 72, _impact_tilt(-0.15, 0.2)),
            WavePlan(0, 61, _impact_tilt(0.1, 0.3))]


# --- The national organisation: the national peer-worker survey ------------------------------

NATIONAL_TEXTS = {
    "works_well": (
        "Jeg får bruke erfaringen min hver dag, og brukerne merker forskjell.",
        "Kollegaene spør meg om råd når de står fast.",
        "Fast veiledning med en annen erfaringskonsulent.",
        "Vi er to i teamet, så jeg er ikke alene om rollen.",
        "Lederen min tar brukerperspektivet på alvor.",
        "I am trusted to plan my own days with the service users.",
        "Being part of the team's meetings from day one.",
    ),
    "improve": (
        "Lønnen bør ligge på samme nivå som for kollegaer med lik jobb.",
        "En skriftlig stillingsbeskrivelse som stemmer med det jeg faktisk gjør.",
        "Erfaringen min burde telle som ansiennitet.",
        "Jeg savner veiledning fra noen som har gjort den samme jobben.",
        "Fast stilling i stedet for prosjektmidler fra år til år.",
        "Mindre praktisk ærend, mer tid til brukerne.",
        "A permanent contract instead of project money every year.",
        "Access to the records on the same terms as my colleagues.",
    ),
}


def _national_tilt(shift: float, salary: int, job_description: float) -> Tilt:
    year = timezone.localdate().year

    def salary_draw(rng: random.Random) -> int | None:
        if rng.random() < 0.12:
            return None
        return max(300_000, min(900_000, int(round(rng.gauss(salary, 52_000), -3))))

    return Tilt(
        shift=shift,
        weights={
            "role_form": {"in_team": 0.55, "outside_team": 0.3, "both": 0.1, "other": 0.05},
            "sector": {"municipal": 0.52, "specialist": 0.28, "ngo": 0.13, "private": 0.05,
                       "state": 0.02},
            "region": {"east": 0.36, "west": 0.2, "central": 0.16, "north": 0.14, "south": 0.14},
            "municipality_size": {"small": 0.2, "medium": 0.35, "large": 0.4, "unknown": 0.05},
            "contract": {"permanent": 0.58, "temporary": 0.32, "hourly": 0.08,
                         "self_employed": 0.02},
            "pay_scale": {"assistant": 0.22, "skilled": 0.3, "consultant": 0.28, "adviser": 0.08,
                          "other": 0.05, "dk": 0.07},
            "seniority_credit": {"full": 0.18, "partly": 0.3, "no": 0.37, "dk": 0.15},
            "jd_exists": {"yes": job_description, "no": 0.9 - job_description, "dk": 0.1},
            "supervision": {"yes": 0.5, "sometimes": 0.3, "no": 0.2},
            "union": {"yes": 0.71, "no": 0.29},
            "user_rep": {"paid": 0.16, "voluntary": 0.33, "no": 0.51},
            "training": {"one_year": 0.45, "nav_course": 0.3, "workplace": 0.5,
                         "health_social": 0.2},
            "supervisor": {"peer": 0.3, "manager": 0.5, "colleague": 0.4, "external": 0.15,
                           "group": 0.25},
        },
        means={"jd_matches": 3.2, "own_role": 3.3, "equal_treatment": 3.6, "mastery": 4.0,
               "user_rep_conflict": 3.4, "phases.commissioning": 1.9, "phases.design": 2.4,
               "phases.delivery": 4.1, "phases.assessment": 2.6},
        groups={("sector", "ngo"): 0.3, ("contract", "temporary"): -0.3},
        numbers={
            "fte": lambda rng: rng.choices([20, 40, 50, 60, 80, 100],
                                           weights=[4, 8, 14, 12, 22, 40])[0],
            "started_year": lambda rng: max(1998, year - int(rng.expovariate(1 / 4))),
            "salary": salary_draw,
        },
        texts=NATIONAL_TEXTS, text_share=0.22)


def _national_plans() -> list[WavePlan]:
    return [WavePlan(2, 118, _national_tilt(-0.3, 498_000, 0.52)),
            WavePlan(1, 134, _national_tilt(-0.1, 521_000, 0.6)),
            WavePlan(0, 96, _national_tilt(0.05, 538_000, 0.66))]


def ensure_surveys(cast: Cast) -> None:
    _ensure_survey(actor=cast.manager, organisation=cast.organisation, template="model4-impact",
                   key="model4-impact", title="Erfaringskonsulentenes betydning",
                   plans=_impact_plans(), seed=28)
    _ensure_survey(actor=cast.analyst, organisation=cast.national,
                   template="national-peer-worker", key="national-peer-worker",
                   title="Erfaringskonsulentundersøkelsen", plans=_national_plans(), seed=22)
