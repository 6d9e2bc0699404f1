"""The national benchmark and the trend across a service's rounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_user
from peerwork.assessments import services
from peerwork.assessments.benchmark import national_benchmark, quartiles
from peerwork.orgs import services as org_services
from peerwork.orgs.enums import OrganisationType, Role

from .conftest import open_round, respond

AREA = "precondition.job_description"


def sharing_service(world, index: int, value: int) -> None:
    """Another service that shares one closed round where five peer workers answer ``value``."""
    organisation = org_services.create_organisation(
        actor=world.platform_admin, name=f"Service {index}", type=OrganisationType.MUNICIPAL)
    manager = make_user(f"manager{index}@service.test")
    org_services.add_member(actor=world.platform_admin, organisation=organisation, user=manager,
                            role=Role.MANAGER)
    round_ = services.create_round(
        actor=manager, organisation=organisation, title=f"Round {index}", stage="first_year",
        role_form="role_form.care_provider", anonymous=True, share_for_benchmark=True,
        closes_on=timezone.localdate() + dt.timedelta(days=7))
    for _ in range(5):
        respond(round_, "peer_worker", value)
    services.close_round(actor=manager, round_=round_)


def test_benchmark_quartiles_inclusive():
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0)


def test_benchmark_hidden_below_k_services(world):
    for index in range(4):
        sharing_service(world, index, 3)
    area = national_benchmark()[AREA]
    assert area.suppressed is True
    assert area.services is None


def test_benchmark_median_and_quartiles_over_k_services(world):
    for index, value in enumerate([1, 2, 3, 4, 5]):
        sharing_service(world, index, value)
    area = national_benchmark()[AREA]
    assert (area.services, area.q1, area.median, area.q3) == (5, 2.0, 3.0, 4.0)


def test_benchmark_ignores_services_that_do_not_share(world):
    for index, value in enumerate([1, 2, 3, 4, 5]):
        sharing_service(world, index, value)
    private = open_round(world)  # Fjordvik's round is not shared
    for _ in range(5):
        respond(private, "peer_worker", 5)
    services.close_round(actor=world.manager, round_=private)
    assert national_benchmark()[AREA].services == 5


def test_benchmark_page_for_analysts_only(world):
    for index, value in enumerate([2, 2, 3, 4, 4]):
        sharing_service(world, index, value)
    analyst = world.client_for(world.analyst).get("/benchmark/")
    manager = world.client_for(world.manager).get("/benchmark/")
    api = world.client_for(world.analyst).get("/api/v1/benchmark/assessments")
    assert analyst.status_code == 200
    assert manager.status_code == 404
    row = next(r for r in api.json() if r["element"] == AREA)
    assert row == {"element": AREA, "services": 5, "q1": 2.0, "median": 3.0, "q3": 4.0,
                   "suppressed": False}


@pytest.mark.usefixtures("world")
def test_benchmark_manager_sees_where_the_service_stands(world):
    for index, value in enumerate([3, 3, 4, 4, 4]):
        sharing_service(world, index, value)
    round_ = open_round(world)
    for _ in range(5):
        respond(round_, "peer_worker", 1)
    page = world.client_for(world.manager).get(
        f"/o/{world.org.slug}/assessments/{round_.pk}/results/")
    body = page.content.decode()
    assert "National median (middle half)" in body
    assert "below most services" in body


def test_benchmark_trend_shows_change_and_actions_in_between(world):
    first = open_round(world, title="Spring")
    for _ in range(5):
        respond(first, "peer_worker", 2)
    action = services.add_action(actor=world.manager, round_=first, title="Agree an absence policy",
                                 owner="Mona", due_on=timezone.localdate())
    services.set_action_status(actor=world.manager, action=action, status="done")
    services.close_round(actor=world.manager, round_=first)
    second = open_round(world, title="Autumn")
    for _ in range(5):
        respond(second, "peer_worker", 4)

    page = world.client_for(world.peer).get(f"/o/{world.org.slug}/assessments/{second.pk}/results/")

    trend = page.context["trend"]
    assert [r.title for r in trend.rounds] == ["Spring", "Autumn"]
    job = next(values for element, values in trend.areas if element.id == AREA)
    assert job == [2.0, 4.0]
    assert [a.title for a in trend.completed_between] == ["Agree an absence policy"]
    body = page.content.decode()
    assert "Change since earlier rounds" in body
    assert 'alt="Average score per precondition in each round, oldest first."' in body
