"""The impact chart: its legend must not hide the bars it explains."""

from __future__ import annotations

import datetime as dt

from peerwork.impact.charts import draw, plt


def test_impact_chart_legend_hides_no_bar_even_when_the_first_month_is_the_tallest():
    # Arrange: one month whose bars reach the top of the plot, where a legend inside
    # the axes would sit.
    months = [(dt.date(2026, 11, 1), 4, 4)]

    # Act
    figure, *_ = draw(months)

    # Assert
    try:
        figure.canvas.draw()
        axes = figure.axes[0]
        legend = axes.get_legend().get_window_extent()
        bars = [patch.get_window_extent() for patch in axes.patches]
        assert len(bars) == 2
        assert not any(legend.overlaps(bar) for bar in bars)
    finally:
        plt.close(figure)
