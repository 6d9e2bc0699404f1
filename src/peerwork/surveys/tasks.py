"""The background task that computes a wave's results (see reports.refresh)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_scopes import scopes_disabled
from django_tasks import task

from peerwork.reports import refresh
from peerwork.surveys import reports, results_queries
from peerwork.surveys.models import Wave

TABLES = "tables"  # the tables, and the charts of the overview and the report
TRENDS = "trends"  # and the trends page's charts
SPLIT = "split"  # "split:<question>:<background>": and one crosstab


@task()
def refresh_wave_results(wave_id: int, what: str = TABLES) -> None:
    """Compute the wave's tables for its current answers and draw their charts in every
    language, then cache them; the tables last, so that a page shows the new figures only
    once their charts are ready too."""
    with scopes_disabled():
        wave = (Wave.objects.select_related("survey", "version", "organisation")
                .filter(pk=wave_id).first())
    if wave is None:
        return
    refresh.started(results_queries.refresh_name(wave), what)
    if what.startswith(f"{SPLIT}:"):
        _split, question, background = what.split(":", 2)
        results_queries.split(wave, question, background)
    tables = (results_queries.cached(wave, results_queries.submitted_count(wave), all_texts=True)
              or results_queries.compute(wave))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if tables.shown:
                reports.question_figures(wave, tables)
                reports.report_blocks(wave, tables)
    results_queries.store(wave, tables)
    if what == TRENDS:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                reports.trends(wave, results_queries.trend_waves(wave))
