"""A wave's results as a report: charts, the HTML page and the PDF, in either language.

Everything here reads the suppressed tables of ``results_tables``; a hidden figure
is never drawn (a chart's text alternative and data table say it is hidden).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_scopes import scope

from peerwork.reports.models import ReportJob
from peerwork.reports.tasks import Built, register
from peerwork.surveys import results_queries
from peerwork.surveys.models import Wave
from peerwork.surveys.results_tables import (
    MISSING,
    OTHER,
    Category,
    FrequencyTable,
    NumberSummary,
    QuestionResult,
    WaveResults,
)

if TYPE_CHECKING:
    from peerwork.reports.charts import Chart

KIND = "survey_wave"
PAGE_TEXTS = results_queries.PAGE_TEXTS
REPORT_TEXTS = 40  # and in the report; the aggregate export lists them all
TEMPLATE = "surveys/results/report.html"


def lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


def category_label(category: Category, language: str) -> str:
    if category.value == MISSING:
        return _("No answer")
    if category.value == OTHER:
        return _("Other answers, merged")
    return category.label.get(language) or category.label.get("en") or category.value


def number_text(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    return f"{value:,.{decimals}f}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Figure:
    """A question's chart with its text alternative, or None where nothing can be drawn."""

    chart: Chart | None
    hidden: int  # how many categories or bins are hidden


def frequency_chart(table: FrequencyTable, title: str) -> Figure:
    from peerwork.reports.charts import horizontal_bar_chart  # noqa: PLC0415 - matplotlib on demand

    language = lang()
    shown = [c for c in table.shown if c.percent is not None]
    hidden = sum(1 for c in table.categories if c.count is None)
    if not shown:
        return Figure(None, hidden)
    alt = _("Share of respondents per answer to “%(question)s”, in per cent.") % {"question": title}
    if hidden:
        alt += " " + _("Answers given by too few people are hidden and not drawn.")
    chart = horizontal_bar_chart(labels=[category_label(c, language) for c in shown],
                                 values=[float(c.percent or 0.0) for c in shown], alt=alt,
                                 value_label=_("Per cent"), category_label=_("Answer"),
                                 value_format="{:.0f} %")
    return Figure(chart, hidden)


def choices_chart(tables: tuple[FrequencyTable, ...], title: str) -> Figure:
    """A multiple-choice question: the share who chose each option."""
    from peerwork.reports.charts import horizontal_bar_chart  # noqa: PLC0415 - matplotlib on demand

    language = lang()
    chosen = [(t.label.get(language, ""), t.categories[0]) for t in tables]
    shown = [(label, c) for label, c in chosen if c.percent is not None]
    hidden = len(chosen) - len(shown)
    if not shown:
        return Figure(None, hidden)
    alt = _("Share of respondents who chose each option of “%(question)s”, in per cent.") % {
        "question": title}
    if hidden:
        alt += " " + _("Answers given by too few people are hidden and not drawn.")
    chart = horizontal_bar_chart(labels=[label for label, _c in shown],
                                 values=[float(c.percent or 0.0) for _l, c in shown], alt=alt,
                                 value_label=_("Per cent"), category_label=_("Answer"),
                                 value_format="{:.0f} %")
    return Figure(chart, hidden)


def bin_label(low: float | None, high: float | None) -> str:
    if low is None:
        return _("under %(value)s") % {"value": number_text(high)}
    if high is None:
        return _("%(value)s or more") % {"value": number_text(low)}
    return f"{number_text(low)}–{number_text(high)}"


def number_chart(summary: NumberSummary, title: str) -> Figure:
    from peerwork.reports.charts import horizontal_bar_chart  # noqa: PLC0415 - matplotlib on demand

    shown = [(low, high, n) for low, high, n in summary.bins if n is not None]
    hidden = sum(1 for *_, n in summary.bins if n is None)
    if not shown:
        return Figure(None, hidden)
    alt = _("How many respondents gave an answer in each range of “%(question)s”.") % {
        "question": title}
    if hidden:
        alt += " " + _("Ranges with too few people are hidden and not drawn.")
    chart = horizontal_bar_chart(labels=[bin_label(low, high) for low, high, _n in shown],
                                 values=[float(n) for *_, n in shown], alt=alt,
                                 value_label=_("Respondents"), category_label=_("Range"),
                                 value_format="{:.0f}")
    return Figure(chart, hidden)


def question_figures(wave: Wave, tables: WaveResults, *, draw: bool = True,
                     ) -> dict[str, list[Figure]] | None:
    """Every question's charts, drawn once per wave, count and language (drawing is slow);
    None if they are not drawn yet and ``draw`` is False."""
    language = lang()
    key = results_queries._key(wave, tables.respondents, "charts", language)
    found: dict[str, list[Figure]] | None = cache.get(key)
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
        else:
            found[q.id] = []  # a matrix is read from its table
    cache.set(key, found, timeout=results_queries.CACHE_SECONDS)
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
    return tuple("" if p is None else f"{p:.0f} %" for p in numbers), numbers


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
    key = results_queries._key(wave, current.respondents, "trends", language,
                               hashlib.sha256(counts.encode()).hexdigest()[:32])
    cached: list[Trend] | None = cache.get(key)
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
        series = [0, 1] if q.number is not None else list(range(len(columns)))
        out.append(Trend(q.match, title, tuple(headers), tuple(rows),
                         _trend_chart(title, rows, headers, series)))
    cache.set(key, out, timeout=results_queries.CACHE_SECONDS)
    return out


def _trend_chart(title: str, rows: list[TrendRow], headers: list[str],
                 series: list[int]) -> Chart | None:
    """Lines across waves for the chosen columns; hidden or absent values leave gaps."""
    from peerwork.reports import charts  # noqa: PLC0415 - matplotlib on demand

    drawn = [i for i in series if any(r.numbers[i] is not None for r in rows)]
    if not drawn:
        return None
    figure, axes = charts.plt.subplots(figsize=(6.5, 2.8))
    positions = list(range(len(rows)))
    for index, column in enumerate(drawn):
        points = [(x, float(value)) for x, r in zip(positions, rows, strict=True)
                  if (value := r.numbers[column]) is not None]
        axes.plot([x for x, _ in points], [y for _, y in points], marker="o",
                  color=charts.PALETTE[index % len(charts.PALETTE)], label=headers[column])
    axes.set_xticks(positions, labels=[f"{r.wave}\n(n={r.respondents})" for r in rows],
                    color=charts.INK)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, frameon=False)
    alt = _("How the answers to “%(question)s” changed across waves; the table below "
            "gives the figures and the number of respondents in each wave.") % {"question": title}
    table_rows = tuple((r.wave, " / ".join(r.values[i] or "—" for i in drawn)) for r in rows)
    return charts.Chart(data_uri=charts._svg_data_uri(figure),
                        alt=alt, headers=(_("Wave"), " / ".join(headers[i] for i in drawn)),
                        rows=table_rows)


@dataclass(frozen=True)
class Battery:
    """Consecutive Likert questions on one scale, shown as one table and one chart."""

    categories: tuple[Category, ...]  # the scale's categories (the first question's)
    questions: tuple[QuestionResult, ...]
    chart: Chart | None


def _scale_of(q: QuestionResult) -> tuple[str, ...] | None:
    if q.type != "likert" or not q.tables:
        return None
    return tuple(c.value for c in q.tables[0].shown)


def battery_chart(questions: list[QuestionResult], values: tuple[str, ...],
                  labels: list[str]) -> Chart | None:
    """Stacked horizontal bars: each question's answers as shares of those who answered."""
    from peerwork.reports import charts  # noqa: PLC0415 - matplotlib on demand

    language = lang()
    figure, axes = charts.plt.subplots(figsize=(6.5, 0.9 + 0.42 * len(questions)))
    colours = charts.plt.get_cmap("Blues")([0.25 + 0.7 * i / max(1, len(values) - 1)
                                             for i in range(len(values))])
    positions = list(range(len(questions)))[::-1]
    for index, value in enumerate(values):
        widths, lefts = [], []
        for q in questions:
            by = {c.value: c for c in q.tables[0].shown}
            left = sum((by[v].percent or 0.0) for v in values[:index] if v in by)
            lefts.append(left)
            widths.append((by[value].percent or 0.0) if value in by else 0.0)
        axes.barh(positions, widths, left=lefts, color=colours[index], label=labels[index])
    axes.set_yticks(positions, labels=[q.label.get(language, "")[:60] for q in questions],
                    color=charts.INK)
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("Per cent of those who answered"), color=charts.INK)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(questions) < 4 else -0.12),
                ncol=min(3, len(values)), fontsize=8, frameon=False)
    alt = _("Answers to %(n)s statements on the same scale, as stacked shares of those who "
            "answered; hidden answers are left out. The table gives the figures.") % {
        "n": len(questions)}
    return charts.Chart(data_uri=charts._svg_data_uri(figure),
                        alt=alt, headers=(_("Statement"), _("Per cent")), rows=())


def report_blocks(wave: Wave, tables: WaveResults, *, draw: bool = True,
                  ) -> list[tuple[str, Any]] | None:
    """The report's questions in order, runs of two or more Likert questions on one scale
    grouped into a Battery (one table, one chart), cached like the charts (None like
    them)."""
    language = lang()
    key = results_queries._key(wave, tables.respondents, "blocks", language)
    found: list[tuple[str, Any]] | None = cache.get(key)
    if found is not None or not draw:
        return found
    found = []
    run: list[QuestionResult] = []

    def flush() -> None:
        if len(run) >= 2:
            first = run[0].tables[0]
            values = tuple(c.value for c in first.shown)
            labels = [category_label(c, language) for c in first.shown]
            found.append(("battery", Battery(first.shown, tuple(run),
                                             battery_chart(run, values, labels))))
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
    cache.set(key, found, timeout=results_queries.CACHE_SECONDS)
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
    return f"{sum(c.percent or 0.0 for c in top):.0f} %"


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
