"""Reads of the impact log: the access funnel, filters, counts over time and the year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django_scopes import scope

from peerwork.impact.enums import Function, ImpactLevel, Stage
from peerwork.impact.models import Improvement
from peerwork.orgs.models import Organisation

VIEW = "impact.view_log"
LOG = "impact.log_improvement"


def get_improvement_for(user: Any, organisation: Organisation, entry_id: int, *,
                        write: bool = False) -> Improvement:
    """The entry if ``user`` may read it (or with ``write``, change it); 404 alike otherwise."""
    if not user.has_perm(LOG if write else VIEW, organisation):
        raise Http404
    with scope(organisation=organisation):
        found = (Improvement.objects.filter(organisation=organisation, pk=entry_id)
                 .select_related("organisation").first())
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class LogFilter:
    stage: str = ""
    level: str = ""
    function: str = ""
    year: int | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params: Any) -> LogFilter:
        """Known values only: anything else is ignored, never an error."""
        year_text = str(params.get("year") or "")
        year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2200 else None
        return cls(
            stage=v if (v := params.get("stage", "")) in Stage.values else "",
            level=v if (v := params.get("level", "")) in ImpactLevel.values else "",
            function=v if (v := params.get("function", "")) in Function.values else "",
            year=year, q=str(params.get("q") or "").strip()[:100])

    def is_active(self) -> bool:
        return bool(self.stage or self.level or self.function or self.year or self.q)


def improvements(organisation: Organisation, filters: LogFilter) -> QuerySet[Improvement]:
    """The organisation's entries matching ``filters``, newest first. Use inside a scope
    or pass through ``list``: it is built inside one here."""
    with scope(organisation=organisation):
        rows = Improvement.objects.filter(organisation=organisation)
        if filters.stage:
            rows = rows.filter(stage=filters.stage)
        if filters.level:
            rows = rows.filter(level=filters.level)
        if filters.function:
            rows = rows.filter(function=filters.function)
        if filters.year:
            rows = rows.filter(identified_on__year=filters.year)
        if filters.q:
            rows = rows.filter(Q(title__icontains=filters.q) | Q(problem__icontains=filters.q))
        return rows.order_by("-identified_on", "-id")


def monthly_counts(rows: QuerySet[Improvement]) -> list[tuple[dt.date, int, int]]:
    """(month, identified that month, implemented that month) for every month between
    the first and the last with any, oldest first."""
    identified = Counter({r["month"]: r["n"] for r in rows.order_by().annotate(
        month=TruncMonth("identified_on")).values("month").annotate(n=Count("id"))})
    implemented = Counter({r["month"]: r["n"] for r in rows.order_by().filter(
        implemented_on__isnull=False).annotate(month=TruncMonth("implemented_on"))
        .values("month").annotate(n=Count("id"))})
    months = sorted(m for m in {*identified, *implemented} if m is not None)
    if not months:
        return []
    result = []
    month = months[0].replace(day=1)
    last = months[-1]
    while month <= last:
        result.append((month, identified.get(month, 0), implemented.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result


def counts_by(rows: QuerySet[Improvement], field: str) -> dict[str, int]:
    return {r[field]: r["n"] for r in rows.order_by().values(field).annotate(n=Count("id"))}


def years_of(organisation: Organisation) -> list[int]:
    """Every year from the first entry's to the last's, newest first. Read from the
    index's two ends rather than from every row."""
    with scope(organisation=organisation):
        span = Improvement.objects.filter(organisation=organisation).aggregate(
            first=Min("identified_on"), last=Max("identified_on"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


IMPLEMENTED_SHOWN = 200  # the summary lists at most this many; exports give them all


@dataclass
class YearSummary:
    year: int
    logged: int
    by_stage: list[tuple[str, str, int]]
    by_level: list[tuple[str, str, int]]
    by_function: list[tuple[str, str, int]]
    implemented: list[Improvement]  # the first IMPLEMENTED_SHOWN of them
    implemented_count: int
    months: list[tuple[dt.date, int, int]]


def year_summary(organisation: Organisation, year: int) -> YearSummary:
    """What was logged in ``year`` and what came of it, for leadership."""
    with scope(organisation=organisation):
        rows = Improvement.objects.filter(organisation=organisation, identified_on__year=year)
        done = Improvement.objects.filter(organisation=organisation,
                                          implemented_on__year=year).order_by("implemented_on", "id")
        stage_counts = counts_by(rows, "stage")
        level_counts = counts_by(rows, "level")
        function_counts = counts_by(rows, "function")
        return YearSummary(
            year=year, logged=sum(stage_counts.values()),
            by_stage=[(s.value, str(s.label), stage_counts.get(s.value, 0)) for s in Stage],
            by_level=[(s.value, str(s.label), level_counts.get(s.value, 0)) for s in ImpactLevel],
            by_function=[(s.value, str(s.label), function_counts.get(s.value, 0))
                         for s in Function],
            implemented=list(done[:IMPLEMENTED_SHOWN]), implemented_count=done.count(),
            months=monthly_counts(rows))


def log_state(organisation: Organisation) -> str:
    """A token that changes whenever any entry of the organisation is added or changed
    (every write bumps ``updated``), so derived figures can be cached against it."""
    with scope(organisation=organisation):
        state = Improvement.objects.filter(organisation=organisation).aggregate(
            n=Count("id"), last=Max("updated"))
    last = state["last"].isoformat() if state["last"] else "-"
    return f"{state['n']}:{last}"
