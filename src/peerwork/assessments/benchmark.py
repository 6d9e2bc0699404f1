"""The national benchmark: how services that chose to share score per area.

Each sharing service counts once, with its latest closed round. An area's figures
appear only when at least *k* services stand behind them, and only quartiles and
the median are shown, never a service's own score.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django_scopes import scopes_disabled

from peerwork.assessments.enums import RoundStatus
from peerwork.assessments.models import Round, RoundSummary


@dataclass(frozen=True)
class AreaBenchmark:
    element: str
    services: int | None  # None when suppressed
    q1: float | None
    median: float | None
    q3: float | None

    @property
    def suppressed(self) -> bool:
        return self.median is None


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """Q1, median and Q3, by the inclusive method (as spreadsheets compute them)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def benchmark_key(*, questionnaire: str = "readiness", k: int | None = None) -> str:
    """Names the current state of the benchmark: closing a shared round is the only thing
    that changes it. Whatever is built from the benchmark can be cached under this."""
    k = k or settings.PEERWORK_MIN_CELL
    with scopes_disabled():
        shared = Round.objects.filter(share_for_benchmark=True, status=RoundStatus.CLOSED,
                                      questionnaire=questionnaire)
        state = shared.aggregate(count=Count("pk"), last=Max("closed"))
    last = state["last"].timestamp() if state["last"] else 0
    return f"peerwork:benchmark:v1:{questionnaire}:{state['count']}:{last:.6f}:{k}"


def national_benchmark(*, questionnaire: str = "readiness", k: int | None = None
                       ) -> dict[str, AreaBenchmark]:
    """Area → benchmark over the latest closed, shared round of each service."""
    k = k or settings.PEERWORK_MIN_CELL
    key = benchmark_key(questionnaire=questionnaire, k=k)
    cached: dict[str, AreaBenchmark] | None = cache.get(key)
    if cached is None:
        cached = _compute(questionnaire, k)
        cache.set(key, cached, timeout=60 * 60 * 24)
    return cached


def _compute(questionnaire: str, k: int) -> dict[str, AreaBenchmark]:
    with scopes_disabled():
        latest = (Round.objects.filter(share_for_benchmark=True, status=RoundStatus.CLOSED,
                                       questionnaire=questionnaire)
                  .values("organisation_id").annotate(last=Max("closed")))
        last_of = {row["organisation_id"]: row["last"] for row in latest}
        rounds = [pk for pk, org, closed in Round.objects.filter(
            organisation_id__in=list(last_of), share_for_benchmark=True,
            status=RoundStatus.CLOSED, questionnaire=questionnaire,
        ).values_list("pk", "organisation_id", "closed") if closed == last_of[org]]
        values: dict[str, list[float]] = {}
        for element, mean in RoundSummary.objects.filter(round_id__in=rounds).values_list(
                "element", "mean"):
            values.setdefault(element, []).append(mean)
    result = {}
    for element, scores in values.items():
        if len(scores) < k:
            result[element] = AreaBenchmark(element, None, None, None, None)
        else:
            q1, median, q3 = quartiles(sorted(scores))
            result[element] = AreaBenchmark(element, len(scores), q1, median, q3)
    return result
