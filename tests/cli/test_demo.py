"""``demo``: every capability has data to show, a second run changes nothing, and each
demo login's main pages answer and show that data.

The demo is made once for this module (it takes seconds) inside a transaction that is
rolled back afterwards; each test runs in a savepoint of its own within it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from conftest import give_totp
from peerwork.accounts.models import User
from peerwork.assessments.benchmark import national_benchmark
from peerwork.assessments.enums import ActionStatus, RoundStatus
from peerwork.assessments.models import Action, Round
from peerwork.assessments.queries import trend
from peerwork.demo import people
from peerwork.demo.people import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SLUG, NATIONAL_SLUG, PLATFORM_ADMIN
from peerwork.framework.library import get_library
from peerwork.impact import stages
from peerwork.impact.models import Improvement
from peerwork.orgs.enums import OrganisationType
from peerwork.orgs.models import Organisation
from peerwork.qualitative import queries as analysis
from peerwork.qualitative.models import (
    CodeGroup,
    Comment,
    Condensate,
    Document,
    Impression,
    MeaningUnit,
    Project,
    Statement,
    Theme,
)
from peerwork.roles.checks import check_role
from peerwork.roles.models import DocumentVersion, RoleDesign
from peerwork.roles.pay import national_pay_benchmark
from peerwork.roles.queries import facts_of
from peerwork.surveys import results_queries
from peerwork.surveys.enums import ResponseStatus, WaveStatus
from peerwork.surveys.models import Survey, Wave

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Demo:
    output: str
    organisation: Organisation
    national: Organisation


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            cache.clear()
            output = run_demo()
            yield Demo(output=output, organisation=Organisation.objects.get(slug=DEMO_SLUG),
                       national=Organisation.objects.get(slug=NATIONAL_SLUG))
            transaction.set_rollback(True)
        cache.clear()  # nothing the pages cached from the demo may outlive it


def user(key: str) -> User:
    return User.objects.get(email=f"{key}@demo.peerwork.test")


def client_for(key: str) -> Client:
    person = user(key)
    if key in {"analyst", "orgadmin"}:
        give_totp(person)  # they must have two-factor authentication to see anything
    client = Client()
    client.force_login(person, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def snapshot() -> dict[str, int]:
    """How many rows every Peerwork table and the accounts hold."""
    with scopes_disabled():
        return {model._meta.label: model._base_manager.count() for model in apps.get_models()
                if model._meta.app_label in {"accounts", "orgs", "assessments", "surveys", "roles",
                                             "impact", "qualitative"}}


# --- What the command prints ------------------------------------------------------------------


def test_demo_prints_the_address_the_password_and_every_login(demo: Demo, db: None) -> None:
    assert f"Open {settings.SITE_URL}/ and log in." in demo.output
    assert f"Every demo login has the password: {DEMO_PASSWORD}" in demo.output
    for email in [PLATFORM_ADMIN[0], *(email for email, _name, _role in DEMO_PEOPLE)]:
        assert email in demo.output
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


# --- Assessments ----------------------------------------------------------------------------------


def test_demo_rounds_make_a_trend_with_an_action_done_between_them(demo: Demo, db: None) -> None:
    with scope(organisation=demo.organisation):
        earlier, current = Round.objects.filter(organisation=demo.organisation).order_by("created")
        done = list(Action.objects.filter(organisation=demo.organisation, status=ActionStatus.DONE))

    history = trend(current)

    assert (earlier.status, earlier.share_for_benchmark, current.status) == (
        RoundStatus.CLOSED, True, RoundStatus.OPEN)
    assert earlier.created.date() < timezone.localdate() - dt.timedelta(days=300)
    assert history is not None
    assert history.rounds == [earlier, current]
    assert all(None not in means and means[0] < means[1] for _area, means in history.areas)
    assert history.completed_between == done
    assert len(done) == 1
    with scope(organisation=demo.organisation):
        assert Action.objects.filter(round=current).count() == 2


def test_demo_benchmark_shows_every_precondition_over_at_least_k_services(demo: Demo,
                                                                         db: None) -> None:
    benchmark = national_benchmark()

    preconditions = get_library().structure("precondition").elements
    for element in preconditions:
        area = benchmark[element.id]
        assert not area.suppressed
        assert area.services == len(people.other_services()) + 1


@override_settings(PEERWORK_MIN_CELL=8)
def test_demo_adds_services_to_the_benchmark_when_k_is_raised() -> None:
    assert len(people.other_services()) == 8


# --- Surveys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "key"), [(DEMO_SLUG, "model4-impact"),
                                           (NATIONAL_SLUG, "national-peer-worker")])
def test_demo_survey_has_two_closed_waves_and_one_open_with_enough_answers(
        demo: Demo, db: None, slug: str, key: str) -> None:
    organisation = Organisation.objects.get(slug=slug)
    with scope(organisation=organisation):
        survey = Survey.objects.get(organisation=organisation, key=key)
        waves = list(Wave.objects.filter(survey=survey).order_by("opens_on"))
        counts = [w.responses.filter(status=ResponseStatus.SUBMITTED).count() for w in waves]

    assert [w.status for w in waves] == [WaveStatus.CLOSED, WaveStatus.CLOSED, WaveStatus.OPEN]
    assert [w.opens_on.year for w in waves] == [waves[2].opens_on.year - 2,
                                                waves[2].opens_on.year - 1, waves[2].opens_on.year]
    assert all(60 <= n <= 150 for n in counts), counts
    tables = [results_queries.results(w) for w in waves]
    assert all(t.shown for t in tables)
    # Small cells are hidden somewhere in every wave: suppression has something to show.
    assert all(any(c.count is None for q in t.questions for table in q.tables
                   for c in table.categories) for t in tables)
    assert len(results_queries.trend_waves(waves[2])) == 3


@override_settings(PEERWORK_PAY_BENCHMARK_NOK=None)
def test_demo_pay_benchmark_is_the_national_survey_median(demo: Demo, db: None) -> None:
    with scope(organisation=demo.national):
        latest_closed = Wave.objects.filter(organisation=demo.national,
                                            status=WaveStatus.CLOSED).order_by("-closes_on").first()
    salary = results_queries.results(latest_closed).by_match("salary")

    benchmark = national_pay_benchmark()

    assert demo.national.type == OrganisationType.NATIONAL
    assert benchmark is not None
    assert benchmark.annual_nok == 528_500
    assert benchmark.annual_nok == round(salary.number.median)
    assert benchmark.source == f"{demo.national.name}: {latest_closed.title}"
    assert all(value is not None for _p, value in salary.number.percentiles)  # where do I stand


# --- Roles and the impact log ---------------------------------------------------------------------


def test_demo_role_has_its_checks_a_job_description_and_an_onboarding_plan(demo: Demo,
                                                                          db: None) -> None:
    with scope(organisation=demo.organisation):
        role = RoleDesign.objects.get(organisation=demo.organisation)
        versions = {(d.kind, d.language, d.number): d
                    for d in DocumentVersion.objects.filter(role=role)}

    findings = {f.code for f in check_role(facts_of(role),
                                           pay_benchmark_nok=national_pay_benchmark().annual_nok)}

    assert role.peer_worker == user("peer")
    assert findings == {"inexperienced_alone", "no_senior_supervision", "pay_below_benchmark"}
    assert sorted(versions) == [("job_description", "en", 1), ("job_description", "nb", 1),
                                ("onboarding_plan", "en", 1), ("onboarding_plan", "nb", 1),
                                ("onboarding_plan", "nb", 2)]
    assert versions["job_description", "nb", 1].is_final
    assert "Adults with long-term" in versions["job_description", "en", 1].body
    filled = versions["onboarding_plan", "nb", 2]
    assert "en sykepleier i oppfølgingsteamet" in filled.body
    assert filled.body != versions["onboarding_plan", "nb", 1].body
    assert filled.manager_confirmed is not None
    assert filled.peer_confirmed is None


def test_demo_impact_log_reaches_every_stage_over_two_years(demo: Demo, db: None) -> None:
    with scope(organisation=demo.organisation):
        entries = list(Improvement.objects.filter(organisation=demo.organisation))
    today = timezone.localdate()

    assert {e.stage for e in entries} == set(stages.ORDER)
    assert all(stages.is_consistent(e.dates(), e.stage) for e in entries)
    oldest = min(e.identified_on for e in entries)
    assert today - dt.timedelta(days=730) <= oldest <= today - dt.timedelta(days=600)
    assert {e.recorded_by for e in entries} == {user("peer"), user("manager"), user("colleague")}


# --- Qualitative analysis -------------------------------------------------------------------------


def test_demo_project_has_data_in_every_step_and_a_role_for_each_login(demo: Demo,
                                                                      db: None) -> None:
    with scope(organisation=demo.organisation):
        project = Project.objects.get(organisation=demo.organisation)
        documents = list(Document.objects.filter(project=project))
        units = list(MeaningUnit.objects.filter(project=project).prefetch_related("codes"))
        groups = list(CodeGroup.objects.filter(project=project))
        counts = [model.objects.filter(project=project).count()
                  for model in (Impression, Theme, Comment)]
        condensates = list(Condensate.objects.filter(project=project))
        statements = Statement.objects.filter(synthesis__project=project).count()
    tree, _loose = analysis.codebook(project)

    assert [d.title for d in documents] == ["Intervju 1: ny i rollen", "Intervju 2: tre år i jobben"]
    assert all(d.text.startswith("Fiktivt intervju") for d in documents)
    assert {u.author for u in units} == {user("analyst"), user("peer")}
    assert all(u.codes.exists() and u.text == u.document.text[u.start:u.end] for u in units)
    assert len(groups) == 5
    assert any(g.parent_id for g in groups)
    assert sum(len(node.codes) for node in tree) >= 8
    assert counts == [2, 3, 1]
    assert statements == 1
    assert len(condensates) == 2
    assert all(c.golden_quote_id for c in condensates)
    assert {key: analysis.role_in(user(key), project) for key in
            ("analyst", "peer", "colleague", "manager", "orgadmin")} == {
        "analyst": "lead", "peer": "analyst", "colleague": "validator", "manager": "viewer",
        "orgadmin": None}


# --- Running it again ----------------------------------------------------------------------------


def test_demo_second_run_changes_nothing(demo: Demo, db: None) -> None:
    before = snapshot()

    output = run_demo()

    assert snapshot() == before  # audit events included: nothing was even attempted
    assert before["orgs.AuditEvent"] > 0
    assert output == demo.output


# --- The pages each login sees --------------------------------------------------------------------


def _ids(demo: Demo) -> dict[str, Any]:
    with scopes_disabled():
        rounds = Round.objects.filter(organisation=demo.organisation).order_by("created")
        local = Wave.objects.filter(organisation=demo.organisation).order_by("opens_on")
        national = Wave.objects.filter(organisation=demo.national).order_by("opens_on")
        project = Project.objects.get(organisation=demo.organisation)
        return {"org": DEMO_SLUG, "nat": NATIONAL_SLUG, "round": rounds[1].pk,
                "earlier": rounds[0].pk, "wave": local[1].pk, "open_wave": local[2].pk,
                "nat_wave": national[1].pk, "role": RoleDesign.objects.get().pk,
                "project": project.pk, "group": CodeGroup.objects.get(name="Å finne rollen").pk,
                "document": Document.objects.filter(project=project).order_by("id")[0].pk}


# (login, page, what it must show)
PAGES = [
    ("manager", "/o/{org}/assessments/{round}/results/", "Change since earlier rounds"),
    ("manager", "/o/{org}/assessments/{round}/results/", "Actions completed between the last two"),
    ("manager", "/o/{org}/assessments/{earlier}/actions/", "Skrive stillingsbeskrivelsen"),
    ("manager", "/o/{org}/roles/{role}/", "is below the national benchmark (NOK 528 500)"),
    ("manager", "/o/{org}/roles/{role}/documents/onboarding_plan/nb/", "fast møte hver tirsdag"),
    ("manager", "/o/{org}/impact/", "Nytt innkallingsbrev til nye brukere"),
    ("manager", "/o/{org}/surveys/waves/{wave}/results/", '<figure class="chart">'),
    ("manager", "/o/{org}/surveys/waves/{wave}/results/", "hidden"),
    ("manager", "/o/{org}/surveys/waves/{open_wave}/results/trends/",
     "Per wave, with the number of respondents"),
    ("peer", "/o/{nat}/surveys/waves/{nat_wave}/results/standing/", "528,500"),
    ("peer", "/o/{org}/roles/{role}/documents/job_description/nb/", "Bekreftet av erfaringskonsulenten"),
    ("peer", "/o/{org}/analysis/{project}/documents/{document}/", "Uklar stillingsbeskrivelse"),
    ("colleague", "/o/{org}/analysis/{project}/steps/3/", "Kondensatet for «Å finne rollen»"),
    ("colleague", "/o/{org}/impact/", "Kveldsåpent lavterskeltilbud"),
    ("analyst", "/benchmark/", "Job description"),
    ("analyst", "/o/{nat}/surveys/waves/{nat_wave}/results/", "Answers for SPSS"),
    ("analyst", "/o/{org}/analysis/{project}/codebook/", "Veiledning fra en som har gjort jobben"),
    ("analyst", "/o/{org}/analysis/{project}/groups/{group}/", "Golden quote"),
    ("analyst", "/o/{org}/analysis/{project}/steps/1/", "Støtte fra likemenn"),
    ("orgadmin", "/o/{org}/audit/", "Improvement moved to another stage"),
]


@pytest.mark.parametrize(("login", "path", "shown"), PAGES)
def test_demo_login_page_shows_the_demo_data(demo: Demo, db: None, nb_catalogue: None, login: str,
                                             path: str, shown: str) -> None:
    page = client_for(login).get(path.format(**_ids(demo)))

    assert page.status_code == 200
    assert shown in page.content.decode()


def test_demo_organisation_administrator_cannot_open_the_analysis_project(demo: Demo,
                                                                          db: None) -> None:
    ids = _ids(demo)
    client = client_for("orgadmin")

    listing = client.get(reverse("qualitative:list", args=[DEMO_SLUG]))
    project = client.get(reverse("qualitative:project", args=[DEMO_SLUG, ids["project"]]))

    assert listing.status_code == 200
    assert "Erfaringskonsulenter om det første året" not in (
        listing.content.decode())
    assert project.status_code == 404
