"""Charts are server-rendered SVG with a text alternative."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from unittest.mock import ANY

import pytest
from django.core.cache import cache
from django.db import connection

from peerwork.reports.charts import (
    Chart,
    horizontal_bar_chart,
    line_chart,
    remembered,
    stacked_bar_chart,
    whole,
)

PREFIX = "data:image/svg+xml;base64,"


def make_chart() -> Chart:
    return horizontal_bar_chart(
        labels=["Likeperson & støtte", "Samskaping"], values=[145.0, 6.0],
        alt="Studies per role.", value_label="Studies", category_label="Role",
        value_format="{:.0f}",
    )


def svg_of(data_uri: str) -> str:
    assert data_uri.startswith(PREFIX)
    return base64.b64decode(data_uri.removeprefix(PREFIX), validate=True).decode("utf-8")


def test_chart_is_an_svg_data_uri_with_its_labels_as_text() -> None:
    chart = make_chart()

    svg = svg_of(chart.data_uri)

    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Likeperson & støtte", "Samskaping", "145", "6", "Studies"} <= set(texts)
    assert "<script" not in svg


def test_chart_text_alternative_has_a_sentence_and_the_data() -> None:
    chart = make_chart()

    assert chart.alt == "Studies per role."
    assert chart.headers == ("Role", "Studies")
    assert chart.rows == (("Likeperson & støtte", "145"), ("Samskaping", "6"))


def test_chart_same_data_gives_the_same_bytes() -> None:
    assert make_chart().data_uri == make_chart().data_uri


@pytest.mark.django_db
def test_chart_drawn_once_is_served_from_the_cache(monkeypatch) -> None:
    # Arrange
    cache.clear()
    first = remembered(horizontal_bar_chart, slot="test", labels=["a", "b"], values=[1.0, 2.0],
                       alt="Two bars.", value_label="n", category_label="what")
    monkeypatch.setattr("peerwork.reports.charts.plt.subplots", None)  # drawing again would fail

    # Act
    again = remembered(horizontal_bar_chart, slot="test", labels=["a", "b"], values=[1.0, 2.0],
                       alt="Two bars.", value_label="n", category_label="what")

    # Assert
    assert again == first


def _texts(chart: Chart) -> list[str]:
    root = ET.fromstring(svg_of(chart.data_uri))
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_chart_whole_rounds_half_up_as_the_tables_do() -> None:
    assert [whole(v) for v in (62.5, 12.5, 0.4, 99.5)] == ["63", "13", "0", "100"]


def test_chart_stacked_bars_label_wide_segments_and_list_every_share() -> None:
    chart = stacked_bar_chart(
        labels=["Design", "Delivery"], series=["Low", "High"],
        shares=[[40.0, 60.0], [None, 62.5]], colours=["#c6dbef", "#08306b"],
        alt="Two rows.", value_label="Per cent", category_label="Row",
        rest=("Hidden", [0.0, 37.5]))

    texts = _texts(chart)
    assert {"40", "60", "63", "Design", "Delivery", "Low", "High", "Hidden"} <= set(texts)
    assert chart.headers == ("Row", "Low / High")
    assert chart.rows == (("Design", "40 % / 60 %"), ("Delivery", "— / 63 %"))


def test_chart_stacked_bars_without_a_rest_have_no_hidden_legend() -> None:
    chart = stacked_bar_chart(labels=["A"], series=["Yes"], shares=[[100.0]], colours=["#08306b"],
                              alt="One row.", value_label="Per cent", category_label="Row",
                              rest=("Hidden", [0.0]))

    assert "Hidden" not in _texts(chart)


def test_chart_lines_leave_gaps_and_carry_their_table() -> None:
    chart = line_chart(x_labels=["2026", "2027", "2028"],
                       series=[("Agree", [40.0, None, 55.0]), ("Disagree", [None, None, None])],
                       alt="Across waves.", value_label="Per cent", from_zero=True,
                       headers=("Wave", "Agree"), rows=(("2026", "40 %"), ("2027", "—")),
                       tick_format=lambda v: f"{v:.0f}")

    assert {"2026", "2027", "2028", "Agree", "Per cent"} <= set(_texts(chart))
    assert chart.rows == (("2026", "40 %"), ("2027", "—"))

@pytest.mark.django_db
def test_chart_of_new_data_replaces_the_old_one_in_its_slot() -> None:
    # Arrange: a chart of a round's scores, then of its scores after one more answer.
    cache.clear()
    before = remembered(horizontal_bar_chart, slot="test", labels=["a"], values=[3.0],
                        alt="One bar.", value_label="n", category_label="what")

    # Act
    after = remembered(horizontal_bar_chart, slot="test", labels=["a"], values=[3.2],
                       alt="One bar.", value_label="n", category_label="what")

    # Assert: only the latest is kept; side by side the two would tell the new answer.
    assert after != before
    assert cache.get("peerwork:chart:v3:test") == (ANY, after)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM peerwork_cache")
        assert cursor.fetchone()[0] == 1
