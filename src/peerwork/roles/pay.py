"""The national pay benchmark a role's salary is checked against.

The benchmark is the median annual salary that the latest closed wave of a national
organisation's survey published (the national peer-worker survey asks for it; the
question is matched across versions by its ``match`` key ``salary``). The median comes
from the wave's suppressed results, so it exists only when at least *k* people gave a
salary. Where no such wave has closed yet, the setting ``PEERWORK_PAY_BENCHMARK_NOK``
may give a figure; with neither, the pay check stays silent. The checks take the figure
as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_scopes import scopes_disabled

from peerwork.orgs.enums import OrganisationType
from peerwork.surveys import results_queries, results_refresh
from peerwork.surveys.enums import WaveStatus
from peerwork.surveys.models import Wave

WAVES_LOOKED_AT = 5  # the newest closed national waves, newest first


@dataclass(frozen=True)
class PayBenchmark:
    annual_nok: int
    source: str  # where the figure was published, e.g. "Peer worker survey 2027"


def national_pay_benchmark() -> PayBenchmark | None:
    """The latest published national benchmark for annual pay, or None."""
    return _from_national_survey() or _from_settings()


def _from_national_survey() -> PayBenchmark | None:
    with scopes_disabled():
        waves = list(Wave.objects.filter(status=WaveStatus.CLOSED,
                                         organisation__type=OrganisationType.NATIONAL)
                     .select_related("organisation", "version").order_by("-closes_on", "-id")
                     [:WAVES_LOOKED_AT])
    for wave in waves:
        # A large wave's tables come from the background task; until they are computed
        # the wave is passed over rather than computed here.
        tables = results_refresh.shown(wave).results
        if tables is None:
            continue
        salary = tables.by_match(results_queries.SALARY_MATCH)
        if salary is not None and salary.number is not None and salary.number.median is not None:
            return PayBenchmark(annual_nok=round(salary.number.median),
                                source=f"{wave.organisation.name}: {wave.title}")
    return None


def _from_settings() -> PayBenchmark | None:
    figure = getattr(settings, "PEERWORK_PAY_BENCHMARK_NOK", None)
    if not figure:
        return None
    return PayBenchmark(annual_nok=int(figure),
                        source=str(getattr(settings, "PEERWORK_PAY_BENCHMARK_SOURCE", "")))
