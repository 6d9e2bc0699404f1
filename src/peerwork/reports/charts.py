"""Server-rendered charts: matplotlib draws SVG; every chart carries a text alternative.

Charts are embedded as ``data:`` images so that the strict Content-Security-Policy
(no inline styles) holds in pages, and WeasyPrint draws the same SVG in PDFs.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

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
