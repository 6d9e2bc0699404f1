"""Reads for survey results: a wave's suppressed tables, computed once per number of
submitted responses and kept in the shared cache (with the count of the newest, see
reports.refresh), and the waves a trend spans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
from django.conf import settings
from django_scopes import scope

from peerwork.core import cache_slots
from peerwork.reports import refresh
from peerwork.surveys import queries, suppression
from peerwork.surveys.definition import Definition
from peerwork.surveys.enums import ResponseStatus
from peerwork.surveys.models import Response, Wave
from peerwork.surveys.results_tables import (
    Crosstab,
    GroupNumbers,
    WaveResults,
    crosstab,
    group_numbers,
    wave_results,
    with_texts_capped,
)

CACHE_SECONDS = refresh.KEEP_SECONDS
# The key that matches the annual-salary question across surveys and versions.
SALARY_MATCH = "salary"
PAGE_TEXTS = 200  # free-text answers listed per question on a page (exports list all)


def min_cell(wave: Wave) -> int:
    """The wave's k: the site's PEERWORK_MIN_CELL, raised by the wave's own setting."""
    return suppression.effective_k(settings.PEERWORK_MIN_CELL, wave.min_cell)


def submitted_count(wave: Wave) -> int:
    with scope(organisation=wave.organisation):
        return Response.objects.filter(wave=wave, status=ResponseStatus.SUBMITTED).count()


def refresh_name(wave: Wave) -> str:
    """Names the wave's results apart from their count (see reports.refresh). v3: number
    summaries carry merged ranges (rule 5 of suppression)."""
    return f"peerwork:survey-results:v3:{wave.pk}:{wave.version.sha256}:{min_cell(wave)}"


# A submitted response never changes, so the number of answers names the data a value
# was made from. Each kind of value has one slot per wave, holding only the newest
# (``core.cache_slots``): results before and after one answer are never kept side by
# side, where their difference would be that answer.


def _slot(wave: Wave, parts: tuple[Any, ...]) -> str:
    return ":".join(str(p) for p in (refresh_name(wave), *parts))


def kept(wave: Wave, count: int, *parts: Any, also: str = "") -> Any:
    """What slot ``parts`` holds if it was made from ``count`` answers (and ``also``)."""
    return cache_slots.get(_slot(wave, parts), f"{count}:{also}")


def keep(wave: Wave, count: int, value: object, *parts: Any, also: str = "") -> None:
    """Keep ``value``, made from ``count`` answers (and ``also``), in slot ``parts``."""
    cache_slots.put(_slot(wave, parts), f"{count}:{also}", value, CACHE_SECONDS)


def definition(wave: Wave) -> Definition:
    return queries.definition_of(wave.version)


def frame(wave: Wave) -> pd.DataFrame:
    return queries.wave_frame(wave)


def cached(wave: Wave, count: int, *, all_texts: bool = False) -> WaveResults | None:
    """The tables of ``count`` submitted answers if they are in the cache, else None.

    Pages list at most PAGE_TEXTS free-text answers per question, so they read a copy
    capped at that (small to fetch from the cache); ``all_texts`` gives every one."""
    if not all_texts:
        capped: WaveResults | None = kept(wave, count, "tables-capped")
        if capped is not None:
            return capped
    found: WaveResults | None = kept(wave, count, "tables")
    if found is None or all_texts:
        return found
    capped = with_texts_capped(found, PAGE_TEXTS)
    keep(wave, count, capped, "tables-capped")
    return capped


def latest(wave: Wave) -> WaveResults | None:
    """The newest tables computed for the wave, whatever their count, or None."""
    count = refresh.latest(refresh_name(wave))
    return None if count is None else cached(wave, count)


def compute(wave: Wave, data: pd.DataFrame | None = None) -> WaveResults:
    """The tables of ``data`` (by default the frame as read now), not cached yet."""
    data = frame(wave) if data is None else data
    return wave_results(definition(wave).questions(), data, min_cell(wave))


def store(wave: Wave, tables: WaveResults) -> None:
    """Cache ``tables`` (all texts) under their number of answers, and record them as
    the newest."""
    count = tables.respondents
    keep(wave, count, tables, "tables")
    keep(wave, count, with_texts_capped(tables, PAGE_TEXTS), "tables-capped")
    refresh.computed(refresh_name(wave), count)


def _computed(wave: Wave, data: pd.DataFrame) -> WaveResults:
    """The tables of ``data`` (the frame as read now), from the cache or computed and
    cached under its number of rows."""
    found = cached(wave, len(data), all_texts=True)
    if found is None:
        found = compute(wave, data)
        store(wave, found)
    return found


def results(wave: Wave, *, all_texts: bool = False) -> WaveResults:
    """The wave's suppressed tables (see results_tables) for its current submitted
    answers, computed now if they are not cached. Pages read them through
    ``results_refresh.shown``, which leaves large waves to a background task."""
    found = cached(wave, submitted_count(wave), all_texts=all_texts)
    if found is not None:
        return found
    computed = _computed(wave, frame(wave))
    return computed if all_texts else with_texts_capped(computed, PAGE_TEXTS)


Split = list[Crosstab | GroupNumbers]


def cached_split(wave: Wave, count: int, question_id: str, background_id: str) -> Split | None:
    found: Split | None = kept(wave, count, "split", question_id, background_id)
    return found


def split(wave: Wave, question_id: str, background_id: str) -> Split:
    """A question split by a background question, for the current submitted answers
    (computed now if not cached): one crosstab per variable, or a number question's
    statistics per group; [] when nothing can be shown."""
    found = cached_split(wave, submitted_count(wave), question_id, background_id)
    if found is not None:
        return found
    data = frame(wave)
    # The tables of this very frame, so that the split and the tables it is read
    # against (which decide the merged groups) cover the same answers.
    tables = _computed(wave, data)
    defn = definition(wave)
    question, background = defn.question(question_id), defn.question(background_id)
    shown_q, shown_b = tables.question(question_id), tables.question(background_id)
    found = []
    if (tables.shown and question and background and shown_q and shown_b and background.background
            and shown_b.tables and question_id != background_id):
        by = shown_b.tables[0]
        if shown_q.number is not None and question.type == "number":
            groups = group_numbers(data, question, shown_q.number, by, tables.k)
            found = [groups] if groups else []
        else:
            found = [t for table in shown_q.tables if (t := crosstab(data, table, by, tables.k))]
    keep(wave, len(data), found, "split", question_id, background_id)
    return found


def stored_answers(wave: Wave, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """The submitted answers of ``wave`` one by one, read in chunks, never all at once.

    Ordered by the response's random UUID: a fixed order that says nothing about when
    anyone answered."""
    with scope(organisation=wave.organisation):
        rows = (Response.objects.filter(wave=wave, status=ResponseStatus.SUBMITTED)
                .order_by("id").values_list("answers", flat=True))
        yield from rows.iterator(chunk_size=chunk)


def trend_waves(wave: Wave, tables_of: Callable[[Wave], WaveResults | None] = results,
                ) -> list[tuple[Wave, WaveResults]]:
    """Every wave of the wave's survey, oldest first, with its suppressed tables from
    ``tables_of``; a wave it gives None for (not computed yet) is left out."""
    return [(w, tables) for w in survey_waves(wave) if (tables := tables_of(w)) is not None]


def survey_waves(wave: Wave) -> list[Wave]:
    """Every wave of the wave's survey, oldest first."""
    return sorted(queries.waves_of(wave.survey), key=lambda w: (w.opens_on, w.pk))
