"""The impact log over time: improvements identified and implemented per month."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from peerwork.reports.charts import BAR, INK, PALETTE, Chart, plt
from peerwork.reports.charts import _svg_data_uri as svg_data_uri  # the report layer's encoder


def over_time(months: list[tuple[dt.date, int, int]]) -> Chart | None:
    """Two series of bars per month; None when there is nothing to draw."""
    if not months:
        return None
    figure, labels, identified, implemented = draw(months)
    rows = tuple((label, f"{i} / {d}") for label, i, d in zip(labels, identified, implemented,
                                                               strict=True))
    return Chart(data_uri=svg_data_uri(figure),
                 alt=_("Improvements identified and implemented per month, oldest first."),
                 headers=(_("Month"), _("Identified / implemented")), rows=rows)


def draw(months: list[tuple[dt.date, int, int]]) -> tuple[Figure, list[str], list[int], list[int]]:
    """The figure, with its legend above the plot so it never hides a bar."""
    labels = [date_format(m, "YEAR_MONTH_FORMAT") for m, _i, _d in months]
    identified = [i for _m, i, _d in months]
    implemented = [d for _m, _i, d in months]
    width = max(4.5, min(10.0, 0.35 * len(months) + 2))
    figure, axes = plt.subplots(figsize=(width, 3.2))
    positions = list(range(len(months)))
    axes.bar([p - 0.2 for p in positions], identified, width=0.4, color=BAR, label=_("Identified"))
    axes.bar([p + 0.2 for p in positions], implemented, width=0.4, color=PALETTE[0],
             label=_("Implemented"))
    step = max(1, len(months) // 12)
    axes.set_xticks(positions[::step], labels=labels[::step], rotation=45, ha="right", color=INK)
    axes.set_ylabel(_("Improvements"), color=INK)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, fontsize=8, frameon=False,
                borderaxespad=0)
    return figure, labels, identified, implemented
