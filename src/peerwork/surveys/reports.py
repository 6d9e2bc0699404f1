"""A wave's results as a report: charts, the HTML page and the PDF, in either language.

Everything here reads the suppressed tables of ``results_tables``; a hidden figure
is never drawn (a chart's text alternative and data table say it is hidden).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_scopes import scope

from peerwork.reports.models import ReportJob
from peerwork.reports.tasks import Built, register
from peerwork.surveys import results_queries
from peerwork.surveys.models import Wave
from peerwork.surveys.results_charts import (
    Figure,
    battery_chart,
    category_label,
    choices_chart,
    frequency_chart,
    lang,
    matrix_chart,
    number_chart,
    number_text,
    percent_text,
    trend_chart,
)
from peerwork.surveys.results_tables import Category, FrequencyTable, QuestionResult, WaveResults

if TYPE_CHECKING:
    from peerwork.reports.charts import Chart

__all__ = ["KIND", "TEMPLATE", "Battery", "Figure", "Trend", "lang", "question_figures",
           "report_context", "text_limit", "trends"]

KIND = "survey_wave"
PAGE_TEXTS = results_queries.PAGE_TEXTS
REPORT_TEXTS = 40  # and in the report; the aggregate export lists them all
TEMPLATE = "surveys/results/report.html"
# Part of the cache keys of drawn charts: raised whenever their drawing changes, so a
# chart cached by the previous release is not served after it.
CHARTS_VERSION = "charts-v2"


def question_figures(wave: Wave, tables: WaveResults, *, draw: bool = True,
                     ) -> dict[str, list[Figure]] | None:
    """Every question's charts, drawn once per wave, count and language (drawing is slow);
    None if they are not drawn yet and ``draw`` is False."""
    language = lang()
    found: dict[str, list[Figure]] | None = results_queries.kept(
        wave, tables.respondents, "charts", CHARTS_VERSION, language)
    if found is not None or not draw:
        return found
    found = {}
    for q in tables.questions:
        title = q.label.get(language, "")
        if q.number is not None and q.type == "number":
            found[q.id] = [number_chart(q.number, title)]
        elif q.type == "multiple":
            found[q.id] = [choices_chart(q.tables, title)]
        elif q.type in ("single", "likert"):
            found[q.id] = [frequency_chart(t, title) for t in q.tables]
        elif q.type == "matrix":
            found[q.id] = [matrix_chart(q.tables, title)]
        else:
            found[q.id] = []
    results_queries.keep(wave, tables.respondents, found, "charts", CHARTS_VERSION, language)
    return found


def text_limit(n: int) -> dict[str, Any]:
    """Template context for how many free-text answers to list."""
    return {"text_limit": f":{n}", "text_limit_n": n}


@dataclass(frozen=True)
class TrendRow:
    wave: str
    respondents: int
    shown: bool
    values: tuple[str, ...]  # one per column; "" when hidden or absent
    numbers: tuple[float | None, ...]


@dataclass(frozen=True)
class Trend:
    match: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[TrendRow, ...]
    chart: Chart | None
    numeric: bool = False  # a number question: the columns are statistics, not answers

    @property
    def lines(self) -> tuple[tuple[str, tuple[TrendCell, ...]], ...]:
        """The table turned: one line per column (answer or statistic), one cell per
        wave, so that a phone scrolls through answers rather than sideways."""
        return tuple((header, tuple(TrendCell(row.values[i], row.shown) for row in self.rows))
                     for i, header in enumerate(self.columns))


@dataclass(frozen=True)
class TrendCell:
    value: str  # "" when hidden, not asked, or the wave has too few answers
    wave_shown: bool


def _trend_values(result: QuestionResult | None,
                  columns: list[str]) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
    if result is None:
        return tuple("" for _ in columns), tuple(None for _ in columns)
    if result.number is not None:
        n = result.number
        return ((number_text(n.median), number_text(n.mean), "" if n.n is None else str(n.n)),
                (n.median, n.mean, None if n.n is None else float(n.n)))
    table = result.tables[0] if result.tables else None
    if table is None:
        return tuple("" for _ in columns), tuple(None for _ in columns)
    by_value = {c.value: c for c in table.shown}
    numbers = tuple(None if (c := by_value.get(v)) is None else c.percent for v in columns)
    return tuple(percent_text(p) for p in numbers), numbers


def trends(wave: Wave, waves: list[tuple[Wave, WaveResults]], *, draw: bool = True,
           ) -> list[Trend] | None:
    """Each question of this wave matched across ``waves`` (``trend_waves``), with n per
    wave, drawn once per language and set of tables; None if not drawn yet and ``draw``
    is False."""
    language = lang()
    current = next((tables for w, tables in waves if w.pk == wave.pk), None)
    if len(waves) < 2 or current is None:
        return []
    # Every wave's count, hashed: a survey of many waves would outgrow the cache's keys.
    counts = "-".join(f"{w.pk}.{r.respondents}" for w, r in waves)
    also = hashlib.sha256(counts.encode()).hexdigest()[:32]
    cached: list[Trend] | None = results_queries.kept(wave, current.respondents, "trends",
                                                      CHARTS_VERSION, language, also=also)
    if cached is not None or not draw:
        return cached
    out: list[Trend] = []
    for q in current.questions:
        if q.type in ("text", "longtext", "date") or (q.tables and q.type == "multiple"):
            continue
        if q.number is not None:
            columns = ["median", "mean", "n"]
            headers = [_("Median"), _("Mean"), pgettext("sample size", "n answered")]
        else:
            columns = [c.value for c in q.tables[0].shown] if q.tables else []
            headers = [category_label(c, language) for c in q.tables[0].shown] if q.tables else []
        rows = []
        for w, res in waves:
            result = res.by_match(q.match) if res.shown else None
            values, numbers = _trend_values(result, columns)
            rows.append(TrendRow(w.title, res.respondents, res.shown, values, numbers))
        title = q.label.get(language, "")
        drawn = range(2) if q.number is not None else range(len(columns))
        chart = trend_chart(title=title, waves=[(r.wave, r.respondents) for r in rows],
                            headers=[headers[i] for i in drawn],
                            lines=[[r.numbers[i] for r in rows] for i in drawn],
                            values=[[r.values[i] for r in rows] for i in drawn],
                            percent=q.number is None)
        out.append(Trend(q.match, title, tuple(headers), tuple(rows), chart,
                         numeric=q.number is not None))
    results_queries.keep(wave, current.respondents, out, "trends", CHARTS_VERSION, language,
                         also=also)
    return out


@dataclass(frozen=True)
class Battery:
    """Consecutive Likert questions on one scale, shown as one table and one chart."""

    categories: tuple[Category, ...]  # the scale's categories (the first question's)
    questions: tuple[QuestionResult, ...]
    chart: Chart | None

    @property
    def tables(self) -> tuple[FrequencyTable, ...]:
        return tuple(q.tables[0] for q in self.questions)


def _scale_of(q: QuestionResult) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None:
    """A Likert question's scale as its values and their labels: scales that share the
    values 1–5 (agreement, extent, frequency) still differ in their labels."""
    if q.type != "likert" or not q.tables:
        return None
    return tuple((c.value, tuple(sorted(c.label.items()))) for c in q.tables[0].shown)


def report_blocks(wave: Wave, tables: WaveResults, *, draw: bool = True,
                  ) -> list[tuple[str, Any]] | None:
    """The report's questions in order, runs of two or more Likert questions on one scale
    grouped into a Battery (one table, one chart), cached like the charts (None like
    them)."""
    language = lang()
    found: list[tuple[str, Any]] | None = results_queries.kept(
        wave, tables.respondents, "blocks", CHARTS_VERSION, language)
    if found is not None or not draw:
        return found
    found = []
    run: list[QuestionResult] = []

    def flush() -> None:
        if len(run) >= 2:
            found.append(("battery", Battery(run[0].tables[0].shown, tuple(run),
                                             battery_chart([q.tables[0] for q in run]))))
        else:
            found.extend(("question", q) for q in run)
        run.clear()

    for q in tables.questions:
        scale = _scale_of(q)
        if scale is not None and run and _scale_of(run[0]) == scale:
            run.append(q)
            continue
        flush()
        if scale is not None:
            run.append(q)
        else:
            found.append(("question", q))
    flush()
    results_queries.keep(wave, tables.respondents, found, "blocks", CHARTS_VERSION, language)
    return found


@dataclass(frozen=True)
class TrendSummary:
    """The report's one table of trends: a headline figure per question and wave."""

    waves: tuple[tuple[str, int], ...]  # (title, respondents)
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (question, what, one value per wave)


def _headline(result: QuestionResult | None) -> str:
    """Likert: the share in the top two steps; number: the median. "" when hidden."""
    if result is None:
        return ""
    if result.number is not None:
        return number_text(result.number.median) if result.number.median is not None else ""
    table = result.tables[0] if result.tables else None
    if table is None:
        return ""
    steps = [c for c in table.shown if c.value != "dk"]
    top = steps[-2:]
    if len(top) < 2 or any(c.percent is None for c in top):
        return ""
    return percent_text(sum(c.percent or 0.0 for c in top))


def trend_summary(wave: Wave, waves: list[tuple[Wave, WaveResults]]) -> TrendSummary | None:
    """Likert questions and numbers of this wave across ``waves``, one row each."""
    current = next((tables for w, tables in waves if w.pk == wave.pk), None)
    if len(waves) < 2 or current is None:
        return None
    language = lang()
    rows = []
    for q in current.questions:
        if q.type == "likert":
            what = _("agree (top two steps)")
        elif q.type == "number" and q.number is not None:
            what = _("median")
        else:
            continue
        values = tuple(_headline(res.by_match(q.match) if res.shown else None) for _w, res in waves)
        rows.append((q.label.get(language, ""), what, values))
    return TrendSummary(tuple((w.title, res.respondents) for w, res in waves), tuple(rows))


def report_context(wave: Wave, waves: list[tuple[Wave, WaveResults]] | None = None, *,
                   draw: bool = True) -> dict[str, Any] | None:
    """Everything the wave report shows; the same for the page and the PDF.

    ``waves`` are the tables to report (``trend_waves``; by default computed now for the
    current answers). None when ``draw`` is False and the charts are not drawn yet."""
    waves = results_queries.trend_waves(wave) if waves is None else waves
    tables = next((t for w, t in waves if w.pk == wave.pk), None)
    if tables is None:
        return None
    figures = question_figures(wave, tables, draw=draw) if tables.shown else {}
    blocks = report_blocks(wave, tables, draw=draw) if tables.shown else []
    if figures is None or blocks is None:
        return None
    return {
        "wave": wave, "survey": wave.survey, "organisation": wave.organisation,
        "results": tables, "figures": figures,
        "trend_summary": trend_summary(wave, waves) if tables.shown else None,
        "blocks": blocks, **text_limit(REPORT_TEXTS),
        "definition": results_queries.definition(wave), "lang": lang(),
    }


@register(KIND)
def build(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
    organisation = job.organisation
    if organisation is None:
        raise ValueError("a survey report belongs to an organisation")
    with scope(organisation=organisation):
        wave = (Wave.objects.select_related("survey", "version", "organisation")
                .get(organisation=organisation, pk=job.params["wave"]))
    progress(0, 2)
    with translation.override(job.language):
        context = report_context(wave)
    if context is None:  # cannot happen: drawing is allowed here
        raise ValueError("the wave report has no tables")
    progress(1, 2)
    from peerwork.reports.render import render_pdf  # noqa: PLC0415 - WeasyPrint on demand

    pdf = render_pdf(TEMPLATE, context, language=job.language)
    return Built(pdf=pdf, filename=f"peerwork-survey-wave-{wave.pk}-{job.language}.pdf")
