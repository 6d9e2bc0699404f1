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
    return latest(f"peerwork:chart:v2:{slot}", digest, lambda: draw(**kwargs), CHART_CACHE_SECONDS)


def _svg_data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def horizontal_bar_chart(*, labels: list[str], values: list[float], alt: str,
                         value_label: str, category_label: str,
                         value_format: str = "{:g}") -> Chart:
    """A horizontal bar chart, biggest categories on top in the given order."""
    height = 0.5 + 0.45 * len(labels)
    figure, axes = plt.subplots(figsize=(6.5, height))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=BAR)
    axes.set_yticks(positions, labels=labels, color=INK)
    axes.set_xlabel(value_label, color=INK)
    for position, value in zip(positions, values, strict=True):
        axes.annotate(value_format.format(value), (value, position), xytext=(4, 0),
                      textcoords="offset points", va="center", color=INK)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.15)
    rows = tuple((label, value_format.format(value)) for label, value in zip(labels, values, strict=True))
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
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    headers = (category_label, " / ".join(name for name, _ in series))
    rows = tuple(
        (label, " / ".join("—" if v is None else value_format.format(v)
                           for v in (values[i] for _, values in series)))
        for i, label in enumerate(labels))
    return Chart(data_uri=_svg_data_uri(figure), alt=alt, headers=headers, rows=rows)
