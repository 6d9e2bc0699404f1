"""The pay check reads the national benchmark from the latest closed wave of a national
organisation's survey: its suppressed median salary."""

from __future__ import annotations

from django_scopes import scopes_disabled

from peerwork.orgs import services as org_services
from peerwork.orgs.enums import OrganisationType
from peerwork.roles.pay import national_pay_benchmark
from peerwork.surveys import services as survey_services
from peerwork.surveys.tasks import refresh_wave_results
from surveys.conftest import open_wave

from .conftest import design_role


def _national_wave(world, salaries: list[int], *, close: bool = True):
    national = org_services.create_organisation(
        actor=world.platform_admin, name="Erfaringsorganisasjonen", type=OrganisationType.NATIONAL,
        region="Oslo")
    wave = open_wave(world, title="Peer worker survey 2027")
    # The survey helpers open waves in Fjordvik; move this one to the national organisation.
    with scopes_disabled():
        for obj in (wave.survey, wave.version, wave):
            type(obj).objects.filter(pk=obj.pk).update(organisation=national)
        wave.refresh_from_db()
    for index, salary in enumerate(salaries):
        survey_services.submit_whole(wave=wave, key=f"pay-{wave.pk}-{index}-{'x' * 20}",
                                     answers={"sector": "municipal", "fte": 100, "salary": salary})
    if close:
        survey_services.close_wave(actor=world.analyst, wave=wave)
    return wave


def test_pay_benchmark_is_the_median_of_the_latest_closed_national_wave(world):
    # A median is published only with at least k answers on each side of it.
    _national_wave(world, [480_000 + 10_000 * i for i in range(11)])

    benchmark = national_pay_benchmark()

    assert benchmark is not None
    assert benchmark.annual_nok == 530_000
    assert benchmark.source == "Erfaringsorganisasjonen: Peer worker survey 2027"


def test_pay_benchmark_needs_k_salaries_and_a_closed_wave(world, settings):
    settings.PEERWORK_PAY_BENCHMARK_NOK = None
    _national_wave(world, [500_000] * 8)  # fewer than k on each side of the median: none published
    too_few = national_pay_benchmark()
    _national_wave(world, [600_000] * 11, close=False)  # still open: nothing published yet
    still_open = national_pay_benchmark()

    assert too_few is None
    assert still_open is None


def test_role_page_checks_pay_against_the_survey_benchmark(world):
    # Arrange
    _national_wave(world, [520_000] * 5 + [530_000] + [540_000] * 5)
    role = design_role(world)  # NOK 480,000

    # Act
    text = world.client_for(world.manager).get(f"/o/{world.org.slug}/roles/{role.pk}/").content.decode()

    # Assert
    assert "is below the national benchmark (NOK 530 000)" in text
    assert "Erfaringsorganisasjonen: Peer worker survey 2027" in text


def test_pay_benchmark_of_a_large_wave_waits_for_the_background_task(world, settings):
    # Above PEERWORK_RESULTS_INLINE_MAX the wave's tables are never computed here.
    settings.PEERWORK_RESULTS_INLINE_MAX = 5
    settings.PEERWORK_PAY_BENCHMARK_NOK = None
    wave = _national_wave(world, [480_000 + 10_000 * i for i in range(11)])
    waiting = national_pay_benchmark()

    refresh_wave_results.call(wave_id=wave.pk)
    ready = national_pay_benchmark()

    assert waiting is None
    assert ready is not None
    assert ready.annual_nok == 530_000
