"""Server-rendered charts: matplotlib draws SVG; every chart carries a text alternative.

Charts are embedded as ``data:`` images so that the strict Content-Security-Policy
(no inline styles) holds in pages, and WeasyPrint draws the same SVG in PDFs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from peerwork.core.cache_slots import latest

plt.rcParams.update({
    "svg.fonttype": "none",  # keep text as text: searchable, and smaller files
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.hashsalt": "peerwork",  # stable ids, so the same chart gives the same bytes
})

INK = "#1f2933"
BAR = "#1d5fa8"


@dataclass(frozen=True)
class Chart:
    """A chart and its text alternative: ``alt`` is one sentence, ``rows`` the data."""

    data_uri: str
    alt: str
    headers: tuple[str, str]
    rows: tuple[tuple[str, str], ...]


CHART_CACHE_SECONDS = 7 * 24 * 3600


def remembered(draw: Callable[..., Chart], *, slot: str, **kwargs: object) -> Chart:
    """``draw(**kwargs)``, kept in the shared cache. A chart is a pure function of its
    keyword arguments (plain data); drawing one costs tens of milliseconds, which a page
    shown again and again should not pay each time. ``slot`` names what the chart shows
    (a round's scores in one language): the cache keeps only its latest drawing, never
    one per state of the data (``core.cache_slots``)."""
    digest = hashlib.sha256(json.dumps([draw.__name__, kwargs], sort_keys=True).encode()).hexdigest()
    return latest(f"peerwork:chart:v3:{slot}", digest, lambda: draw(**kwargs), CHART_CACHE_SECONDS)


def _svg_data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def horizontal_bar_chart(*, labels: list[str], values: list[float], alt: str,
                         value_label: str, category_label: str,
                         value_format: str | Callable[[float], str] = "{:g}",
                         width: float = 6.5) -> Chart:
    """A horizontal bar chart, the categories top to bottom in the given order; the
    value axis starts at 0. ``value_format`` is a format string or a function."""
    text = value_format.format if isinstance(value_format, str) else value_format
    lines = sum(max(1, label.count("\n") + 1) for label in labels)
    height = 0.5 + 0.3 * len(labels) + 0.15 * lines
    figure, axes = plt.subplots(figsize=(width, height))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=BAR)
    axes.set_yticks(positions, labels=labels, color=INK)
    axes.set_xlabel(value_label, color=INK)
    for position, value in zip(positions, values, strict=True):
        axes.annotate(text(value), (value, position), xytext=(4, 0),
                      textcoords="offset points", va="center", color=INK)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.15)
    axes.set_xlim(left=0)
    rows = tuple((label.replace("\n", " "), text(value))
                 for label, value in zip(labels, values, strict=True))
    return Chart(data_uri=_svg_data_uri(figure), alt=alt,
                 headers=(category_label, value_label), rows=rows)


PALETTE = ("#9db4d3", "#5b84b8", "#1d5fa8", "#0b2f5c")  # light to dark: older to newer


def grouped_bar_chart(*, labels: list[str], series: list[tuple[str, list[float | None]]], alt: str,
                      value_label: str, category_label: str,
                      value_format: str = "{:.1f}") -> Chart:
    """Horizontal bars, one group per label and one bar per series (oldest first).

    Missing values (None) leave a gap; the text alternative says "—" for them.
    """
    series = series[-len(PALETTE):]
    height = 0.6 + 0.28 * len(labels) * max(1, len(series))
    figure, axes = plt.subplots(figsize=(6.5, height))
    width = 0.8 / max(1, len(series))
    for index, (name, values) in enumerate(series):
        positions = [len(labels) - 1 - i + (len(series) - 1 - index) * width - 0.4 + width / 2
                     for i in range(len(labels))]
        shown = [(p, v) for p, v in zip(positions, values, strict=True) if v is not None]
        axes.barh([p for p, _ in shown], [v for _, v in shown], height=width * 0.9,
                  color=PALETTE[index + len(PALETTE) - len(series)], label=name)
    axes.set_yticks(list(range(len(labels)))[::-1], labels=labels, color=INK)
    axes.set_xlabel(value_label, color=INK)
    axes.set_xlim(0, 5)
    axes.spines[["top", "right"]].set_visible(False)
    # Above the plot, one series a line: round titles are long, and a legend inside the
    # axes would hide the bars beneath it.
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.02), fontsize=8, frameon=False,
                borderaxespad=0)
    headers = (category_label, " / ".join(name for name, _ in series))
    rows = tuple(
        (label, " / ".join("—" if v is None else value_format.format(v)
                           for v in (values[i] for _, values in series)))
        for i, label in enumerate(labels))
    return Chart(data_uri=_svg_data_uri(figure), alt=alt, headers=headers, rows=rows)


GAP = "—"  # a hidden or missing value in a chart's data table


def whole(value: float) -> str:
    """``value`` rounded half up, as templates' floatformat rounds (62.5 gives 63, where
    Python's round gives 62), so a chart and its table agree."""
    return str(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _contrasting(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""
    from matplotlib.colors import to_rgb  # noqa: PLC0415 - beside its one use

    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "#000000" if luminance > 0.18 else "#ffffff"


def stacked_bar_chart(*, labels: list[str], series: list[str], shares: list[list[float | None]],
                      colours: list[str], alt: str, value_label: str, category_label: str,
                      rest: tuple[str, list[float]] | None = None, width: float = 6.5,
                      value_format: Callable[[float], str] = whole) -> Chart:
    """One horizontal bar per label (top to bottom), its segments the series in order
    (per cent, 0 to 100); segments wide enough carry their figure. A missing share
    (None) is left out; ``rest`` = (name, widths) adds a grey hatched segment at each
    bar's end for what the series leave out. The data table lists every share."""
    lines = sum(label.count("\n") + 1 for label in labels)
    figure, axes = plt.subplots(figsize=(width, 1.1 + 0.32 * len(labels) + 0.14 * lines))
    positions = list(range(len(labels)))[::-1]
    lefts = [0.0] * len(labels)
    segments: list[tuple[str, list[float], str, str | None]] = [
        (name, [share[i] or 0.0 for share in shares], colours[i], None)
        for i, name in enumerate(series)]
    if rest is not None and any(rest[1]):
        segments.append((rest[0], rest[1], "#eef1f4", "///"))
    for name, widths, colour, hatch in segments:
        axes.barh(positions, widths, left=lefts, label=name, color=colour, hatch=hatch,
                  linewidth=0.6, edgecolor="#6b7785" if hatch else "white")
        for position, left, value in zip(positions, lefts, widths, strict=True):
            if value >= 8 and not hatch:
                axes.text(left + value / 2, position, value_format(value), ha="center",
                          va="center", fontsize=8, color=_contrasting(colour))
        lefts = [left + value for left, value in zip(lefts, widths, strict=True)]
    axes.set_yticks(positions, labels=labels, color=INK)
    axes.set_xlim(0, 100)
    axes.set_xlabel(value_label, color=INK)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", bbox_to_anchor=(0, -0.55 / max(1.0, len(labels) ** 0.5)),
                ncol=2, fontsize=8, frameon=False)
    rows = tuple((label.replace("\n", " "),
                  " / ".join(GAP if v is None else f"{value_format(v)} %" for v in share))
                 for label, share in zip(labels, shares, strict=True))
    return Chart(data_uri=_svg_data_uri(figure), alt=alt,
                 headers=(category_label, " / ".join(series)), rows=rows)


MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINE_STYLES = ("-", "--", "-.", ":")


LINE_COLOURS = ("#1d5fa8", "#b3261e", "#1b7a3a", "#7a4fa3", "#8a5a00", "#0b6e76", "#4a5562")


def line_chart(*, x_labels: list[str], series: list[tuple[str, list[float | None]]], alt: str,
               value_label: str, headers: tuple[str, str],
               rows: tuple[tuple[str, str], ...], from_zero: bool = False,
               tick_format: Callable[[float], str] | None = None) -> Chart:
    """Lines across the x labels, one per series, told apart by colour, marker and dash
    (never by colour alone; each colour has 3:1 contrast on white); a missing value (None)
    leaves a gap. The legend sits below."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415 - beside its one use

    figure, axes = plt.subplots(figsize=(5.5, 2.8))
    positions = list(range(len(x_labels)))
    for index, (name, values) in enumerate(series):
        points = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
        axes.plot([x for x, _ in points], [y for _, y in points], label=name,
                  color=LINE_COLOURS[index % len(LINE_COLOURS)], marker=MARKERS[index % len(MARKERS)],
                  linestyle=LINE_STYLES[index % len(LINE_STYLES)])
    axes.set_xticks(positions, labels=x_labels, color=INK)
    axes.set_xlim(-0.3, len(positions) - 0.7)
    if value_label:
        axes.set_ylabel(value_label, color=INK)
    if from_zero:
        axes.set_ylim(bottom=0)
    drawn = [v for _name, values in series for v in values if v is not None]
    # Ticks at steps of 1, 2 or 5 (times a power of ten), whole numbers where the values
    # span two or more: a tick reads 2016, never 2016.25.
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10],
                                             integer=bool(drawn) and max(drawn) - min(drawn) >= 2))
    if tick_format is not None:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: tick_format(value)))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", bbox_to_anchor=(0, -0.3), ncol=2, fontsize=8, frameon=False)
    return Chart(data_uri=_svg_data_uri(figure), alt=alt, headers=headers, rows=rows)
