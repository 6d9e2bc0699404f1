"""A wave's charts are drawn from the suppressed tables only, in the page's language."""

from __future__ import annotations

import base64

from django.utils import translation

from peerwork.surveys import results_charts
from peerwork.surveys.results_tables import NumberSummary, line_table

K = 5
SCALE = ["1", "2", "3", "dk"]
LABELS = [{"en": "Low", "nb": "Lav"}, {"en": "Middle", "nb": "Middels"},
          {"en": "High", "nb": "Høy"}, {"en": "Don't know", "nb": "Vet ikke"}]


def _row(name: str, counted: list[int]):
    return line_table(name, {"en": name.title(), "nb": name.title()}, SCALE, LABELS, counted, K)


def _svg(chart) -> str:
    return base64.b64decode(chart.data_uri.split(",", 1)[1]).decode("utf-8")


def test_results_charts_numbers_as_each_language_writes_them(nb_catalogue):
    with translation.override("en"):
        english = [results_charts.number_text(v) for v in (2016.4, 480_000.0, 66.25, 70.0, 9500.0)]
    with translation.override("nb"):
        norwegian = [results_charts.number_text(v) for v in (2016.4, 480_000.0, 66.25, 70.0)]

    # Years and other four-digit numbers stay ungrouped; one decimal below 1,000.
    assert english == ["2016", "480,000", "66.2", "70", "9500"]
    assert norwegian == ["2016", "480\u00a0000", "66,2", "70"]


def test_results_charts_range_labels_say_where_a_range_stops():
    with translation.override("en"):
        assert [results_charts.bin_label(None, 60.0), results_charts.bin_label(60.0, 80.0),
                results_charts.bin_label(80.0, None)] == ["under 60", "60 to under 80", "80 or more"]


def test_results_charts_percent_rounds_as_the_table_does():
    assert results_charts.percent_text(62.5) == "63 %"
    assert results_charts.percent_text(None) == ""


def test_results_charts_no_bars_when_every_shown_answer_is_zero():
    # Nobody chose "1", 3 chose "2" and 2 chose "3" (both hidden): only the zero shows.
    table = _row("q", [0, 3, 2, 0, 20])

    figure = results_charts.frequency_chart(table, "Q")

    assert figure.chart is None
    assert figure.hidden == 2


def test_results_charts_matrix_stacks_shown_shares_and_greys_the_hidden_rest():
    design = _row("design", [10, 20, 10, 0, 0])  # all shown, base: those who answered
    delivery = _row("delivery", [3, 25, 10, 2, 0])  # 3 and 2 hidden

    with translation.override("en"):
        figure = results_charts.matrix_chart([design, delivery], "Involvement")

    assert figure.chart is not None
    assert figure.hidden == 2
    assert figure.chart.alt.startswith("Answers to “Involvement”, one bar per row")
    assert figure.chart.headers == ("Row", "Low / Middle / High / Don't know")
    assert figure.chart.rows == (("Design", "25 % / 50 % / 25 % / 0 %"),
                                 ("Delivery", "— / 63 % / 25 % / —"))
    svg = _svg(figure.chart)
    assert "Hidden" in svg  # the 12.5 % that rows' hidden cells hold together
    assert ">63<" in svg  # 25 of 40 is 62.5, rounded as the table rounds it
    assert ">62<" not in svg


def test_results_charts_matrix_marks_rows_whose_shares_are_of_everyone():
    # 2 skipped the row: the skipped count is hidden, so shares are of all 40.
    row = _row("design", [10, 18, 10, 0, 2])

    with translation.override("en"):
        figure = results_charts.matrix_chart([row], "Involvement")

    assert row.base_is_answered is False
    assert figure.chart is not None
    assert figure.chart.rows[0][0] == "Design\u00a0*"


def test_results_charts_matrix_with_nothing_shown_has_no_chart():
    row = _row("design", [1, 2, 1, 0, 1])  # five people: every cell under k

    figure = results_charts.matrix_chart([row], "Involvement")

    assert figure.chart is None


def test_results_charts_number_ranges_are_drawn_with_their_labels(nb_catalogue):
    summary = NumberSummary(n=12, shown=True, bins=((None, 475.0, 7), (475.0, None, 5)))

    with translation.override("nb"):
        figure = results_charts.number_chart(summary, "Lønn")

    assert figure.chart is not None
    assert figure.chart.rows == (("under 475", "7"), ("475 eller mer", "5"))


def test_results_charts_number_without_ranges_has_no_chart():
    figure = results_charts.number_chart(NumberSummary(n=None, shown=True, no_bins="hidden"), "Pay")

    assert figure.chart is None
