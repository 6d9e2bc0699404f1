"""A wave's charts, drawn from the suppressed tables of ``results_tables`` only.

A hidden figure is never drawn: its bar or segment is left out, and each chart's text
alternative says so. Labels and numbers follow the active language, so callers cache
charts per language (``reports.question_figures``). matplotlib is imported on demand.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import formats, translation
from django.utils.translation import gettext as _

from peerwork.surveys.results_tables import MISSING, OTHER, Category, FrequencyTable, NumberSummary

if TYPE_CHECKING:
    from peerwork.reports.charts import Chart

DONT_KNOW = "dk"
LABEL_WIDTH = 28  # characters per line of a category label beside a bar
CHART_WIDTH = 5.0  # inches: narrow enough to stay legible when a phone shrinks it


def lang() -> str:
    """The active language's code: "en" or "nb"."""
    return (translation.get_language() or "en").split("-")[0]


def category_label(category: Category, language: str) -> str:
    if category.value == MISSING:
        return _("No answer")
    if category.value == OTHER:
        return _("Other answers, merged")
    return category.label.get(language) or category.label.get("en") or category.value


def decimals_for(value: float) -> int:
    """Whole numbers from 1,000 up and where the first decimal is 0; else one decimal."""
    return 0 if abs(value) >= 1000 or float(round(value, 1)).is_integer() else 1


def number_text(value: float | None, decimals: int | None = None) -> str:
    """A figure as the active language writes it, with ``decimals`` or as many as
    ``decimals_for`` gives. Thousands are grouped only from 10,000, so a year stays 2016."""
    if value is None:
        return ""
    if decimals is None:
        decimals = decimals_for(value)
    return formats.number_format(round(value, decimals), decimals, use_l10n=True,
                                 force_grouping=abs(value) >= 10_000)


def percent_text(value: float | None) -> str:
    """A share in whole per cent, rounded half up as the tables round it: "63 %"."""
    from peerwork.reports.charts import whole  # noqa: PLC0415 - matplotlib on demand

    return "" if value is None else f"{whole(value)} %"


def bin_label(low: float | None, high: float | None) -> str:
    if low is None:
        return _("under %(value)s") % {"value": number_text(high)}
    if high is None:
        return _("%(value)s or more") % {"value": number_text(low)}
    return _("%(low)s to under %(high)s") % {"low": number_text(low), "high": number_text(high)}


WAVE_LABEL_WIDTH = 18  # characters per line of a wave's title under a trend chart


def wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    return textwrap.fill(label, width) or label


@dataclass(frozen=True)
class Figure:
    """A question's chart with its text alternative, or None where nothing can be drawn."""

    chart: Chart | None
    hidden: int  # how many categories or bins are hidden


def _hidden_note(hidden: int) -> str:
    return (" " + _("Answers given by too few people are hidden and not drawn.")) if hidden else ""


def _percent_bars(labels: list[str], values: list[float], alt: str) -> Chart:
    from peerwork.reports.charts import horizontal_bar_chart  # noqa: PLC0415 - matplotlib on demand

    return horizontal_bar_chart(labels=[wrapped(label) for label in labels], values=values,
                                alt=alt, value_label=_("Per cent"), category_label=_("Answer"),
                                value_format=percent_text, width=CHART_WIDTH)


def frequency_chart(table: FrequencyTable, title: str) -> Figure:
    """One question's answers as bars of per cent; nothing when no shown answer has anyone."""
    language = lang()
    shown = [c for c in table.shown if c.percent is not None]
    hidden = sum(1 for c in table.categories if c.count is None)
    if not any(c.percent for c in shown):
        return Figure(None, hidden)
    alt = _("Share of respondents per answer to “%(question)s”, in per cent.") % {"question": title}
    chart = _percent_bars([category_label(c, language) for c in shown],
                          [float(c.percent or 0.0) for c in shown], alt + _hidden_note(hidden))
    return Figure(chart, hidden)


def choices_chart(tables: Sequence[FrequencyTable], title: str) -> Figure:
    """A multiple-choice question: the share who chose each option."""
    language = lang()
    chosen = [(t.label.get(language, ""), t.categories[0]) for t in tables]
    shown = [(label, c) for label, c in chosen if c.percent is not None]
    hidden = len(chosen) - len(shown)
    if not any(c.percent for _label, c in shown):
        return Figure(None, hidden)
    alt = _("Share of respondents who chose each option of “%(question)s”, in per cent.") % {
        "question": title}
    chart = _percent_bars([label for label, _c in shown],
                          [float(c.percent or 0.0) for _l, c in shown], alt + _hidden_note(hidden))
    return Figure(chart, hidden)


def number_chart(summary: NumberSummary, title: str) -> Figure:
    """A number question's ranges; every range holds at least k answers, none is hidden."""
    from peerwork.reports.charts import horizontal_bar_chart  # noqa: PLC0415 - matplotlib on demand

    if not summary.bins:
        return Figure(None, 0)
    alt = _("How many respondents gave an answer in each range of “%(question)s”; neighbouring "
            "ranges are merged until each holds enough people to show.") % {"question": title}
    chart = horizontal_bar_chart(labels=[bin_label(low, high) for low, high, _n in summary.bins],
                                 values=[float(n) for *_, n in summary.bins], alt=alt,
                                 value_label=_("Respondents"), category_label=_("Range"),
                                 value_format="{:.0f}", width=CHART_WIDTH)
    return Figure(chart, 0)


def _scale_colours(values: Sequence[str]) -> list[str]:
    """Light to dark blue along an ordered scale; grey for "don't know"."""
    from matplotlib import colors  # noqa: PLC0415 - matplotlib on demand
    from matplotlib import pyplot as plt  # noqa: PLC0415

    steps = [v for v in values if v != DONT_KNOW]
    ramp = plt.get_cmap("Blues")([0.25 + 0.7 * i / max(1, len(steps) - 1) for i in range(len(steps))])
    by_step = dict(zip(steps, (colors.to_hex(c) for c in ramp), strict=True))
    return [by_step.get(v, "#b8bfc7") for v in values]


def row_label(table: FrequencyTable, language: str, width: int = LABEL_WIDTH) -> str:
    """A row of a scale chart, wrapped; "*" marks shares of every respondent, used where
    the number who skipped the row is hidden."""
    label = wrapped(table.label.get(language) or table.label.get("en") or table.variable, width)
    return label if table.base_is_answered else f"{label}\u00a0*"


def scale_chart(tables: Sequence[FrequencyTable], alt: str) -> Chart | None:
    """Rows on one scale (a matrix, or a run of Likert questions) as stacked bars of per
    cent. What is hidden (and, in rows marked *, no answer) is one grey hatched part at
    the end: "total minus what is shown", which the table lets anyone work out already.
    None when no row has a shown answer."""
    from peerwork.reports.charts import stacked_bar_chart  # noqa: PLC0415 - matplotlib on demand

    if not tables or not any(c.percent for t in tables for c in t.shown):
        return None
    language = lang()
    scale = list(tables[0].shown)
    values = [c.value for c in scale]
    shares = []
    for table in tables:
        by_value = {c.value: c.percent for c in table.shown}
        shares.append([by_value.get(v) for v in values])
    rest = [max(0.0, 100.0 - sum(v or 0.0 for v in share)) for share in shares]
    return stacked_bar_chart(
        labels=[row_label(t, language) for t in tables],
        series=[category_label(c, language) for c in scale], shares=shares,
        colours=_scale_colours(values), alt=alt, value_label=_("Per cent"),
        category_label=_("Row"), rest=(_("Hidden"), [r if r >= 0.5 else 0.0 for r in rest]),
        width=CHART_WIDTH + 0.5)


def matrix_chart(tables: Sequence[FrequencyTable], title: str) -> Figure:
    alt = _("Answers to “%(question)s”, one bar per row: each answer's share of those who "
            "answered the row, stacked; the grey hatched part is hidden. The table gives the "
            "figures.") % {"question": title}
    hidden = sum(1 for t in tables for c in t.shown if c.count is None)
    return Figure(scale_chart(tables, alt), hidden)


def battery_chart(tables: Sequence[FrequencyTable]) -> Chart | None:
    alt = _("Answers to %(n)s statements on the same scale, as stacked shares of those who "
            "answered; the grey hatched part is hidden. The table gives the figures.") % {
        "n": len(tables)}
    return scale_chart(tables, alt)


def trend_chart(*, title: str, waves: Sequence[tuple[str, int]], headers: Sequence[str],
                lines: Sequence[Sequence[float | None]], values: Sequence[Sequence[str]],
                percent: bool) -> Chart | None:
    """One line per column across waves (oldest first); hidden or absent values leave
    gaps. ``lines[i][w]`` is column i in wave w; ``values`` the same as shown text."""
    from peerwork.reports.charts import line_chart  # noqa: PLC0415 - matplotlib on demand

    drawn = [i for i, line in enumerate(lines) if any(v is not None for v in line)]
    if not drawn:
        return None
    alt = _("How the answers to “%(question)s” changed across waves; the table below gives the "
            "figures and the number of respondents in each wave.") % {"question": title}
    return line_chart(
        # Wave titles are often long ("Peer worker survey 2025"): wrapped, they do not
        # run into each other.
        x_labels=[f"{wrapped(wave, WAVE_LABEL_WIDTH)}\n(n={n})" for wave, n in waves],
        series=[(headers[i], list(lines[i])) for i in drawn],
        alt=alt, value_label=_("Per cent") if percent else "", from_zero=percent,
        tick_format=lambda value: number_text(value, 0 if float(value).is_integer() else 1),
        rows=tuple((wave, " / ".join(values[i][w] or "—" for i in drawn))
                   for w, (wave, _n) in enumerate(waves)),
        headers=(_("Wave"), " / ".join(headers[i] for i in drawn)))
