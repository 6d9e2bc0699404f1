"""What a wave's results pages and API show (see reports.refresh): the tables of the
current answers, or, for a wave too large to compute in a request, the newest tables
computed while one background task computes the rest."""

from __future__ import annotations

import datetime as dt

from peerwork.reports import refresh
from peerwork.surveys import reports, results_queries, tasks
from peerwork.surveys.models import Wave
from peerwork.surveys.reports import Figure, Trend
from peerwork.surveys.results_queries import Split
from peerwork.surveys.results_tables import WaveResults

Shown = refresh.Shown[Wave, WaveResults]


def shown(wave: Wave) -> Shown:
    """The tables to show now. A small wave's are computed here if need be; a large
    wave's missing ones are asked of the background task, the newest computed shown
    meanwhile."""
    return refresh.shown(wave, key=wave.pk, title=wave.title,
                         submitted=results_queries.submitted_count(wave),
                         cached=lambda count: results_queries.cached(wave, count),
                         compute=lambda: results_queries.results(wave),
                         latest=lambda: results_queries.latest(wave), ask=lambda: request(wave))


def request(wave: Wave, what: str = tasks.TABLES, *, now: bool = False) -> bool:
    """Queue the wave's background computation of ``what`` unless one is queued."""

    def enqueue(run_after: dt.datetime | None) -> None:
        tasks.refresh_wave_results.using(run_after=run_after).enqueue(wave_id=wave.pk, what=what)

    return refresh.request(results_queries.refresh_name(wave), what, enqueue, now=now)


def figures(state: Shown) -> dict[str, list[Figure]] | None:
    """The charts of the shown tables in the active language; for a large wave None
    until the background task has drawn them (and it is asked to)."""
    if state.results is None:
        return None
    if not state.results.shown:
        return {}
    found = reports.question_figures(state.of, state.results, draw=state.inline)
    if found is None:
        request(state.of)
    return found


def report_context(wave: Wave, waves: list[Shown]) -> dict[str, object] | None:
    """The report of ``waves``' shown tables; None while nothing is computed for ``wave``
    or, for a large wave, while its charts are being drawn (the task is asked to)."""
    state = next(s for s in waves if s.key == wave.pk)
    if state.results is None:
        return None
    found = reports.report_context(wave, trend_tables(waves), draw=state.inline)
    if found is None:
        request(wave)
    return found


def split(state: Shown, question_id: str, background_id: str) -> Split | None:
    """A split of the shown tables' answers; for a large wave None until computed."""
    if state.results is None:
        return None
    found = results_queries.cached_split(state.of, state.results.respondents, question_id,
                                         background_id)
    if found is None and state.inline:
        found = results_queries.split(state.of, question_id, background_id)
    if found is None:
        request(state.of, f"{tasks.SPLIT}:{question_id}:{background_id}")
    return found


def survey_waves(wave: Wave) -> list[Shown]:
    """Every wave of the wave's survey, oldest first, as ``shown`` gives them."""
    return [shown(w) for w in results_queries.survey_waves(wave)]


def trend_tables(waves: list[Shown]) -> list[tuple[Wave, WaveResults]]:
    return [(s.of, s.results) for s in waves if s.results is not None]


def trends(wave: Wave, waves: list[Shown]) -> list[Trend] | None:
    """The trends of the shown tables; None while a wave has none, or while a large
    survey's trends are being drawn (the task is asked to draw them)."""
    found = None
    if all(s.results is not None for s in waves):
        found = reports.trends(wave, trend_tables(waves), draw=all(s.inline for s in waves))
    if found is None:
        request(wave, tasks.TRENDS)
    return found
