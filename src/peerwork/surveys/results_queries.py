"""Reads for survey results: a wave's suppressed tables, computed once per number of
submitted responses and kept in the shared cache, and the waves a trend spans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pandas as pd
from django.conf import settings
from django_scopes import scope

from peerwork.core.cache_slots import latest
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

T = TypeVar("T")

CACHE_SECONDS = 24 * 3600
# The key that matches the annual-salary question across surveys and versions.
SALARY_MATCH = "salary"
PAGE_TEXTS = 200  # free-text answers listed per question on a page (exports list all)


def min_cell(wave: Wave) -> int:
    """The wave's k: the site's PEERWORK_MIN_CELL, raised by the wave's own setting."""
    return suppression.effective_k(settings.PEERWORK_MIN_CELL, wave.min_cell)


def submitted_count(wave: Wave) -> int:
    with scope(organisation=wave.organisation):
        return Response.objects.filter(wave=wave, status=ResponseStatus.SUBMITTED).count()


def data_version(wave: Wave) -> str:
    """Names the wave's data: a submitted response never changes, so the count does."""
    return f"{wave.version.sha256}:{submitted_count(wave)}:{min_cell(wave)}"


def cached(wave: Wave, parts: tuple[Any, ...], compute: Callable[[], T], *,
           version: str | None = None, also: str = "") -> T:
    """``compute()`` for the wave's current data, kept in the shared cache in one slot
    per wave and ``parts``, so results of earlier counts are not kept beside it
    (``core.cache_slots``). ``also`` names any further data the value depends on."""
    key = ":".join(str(p) for p in ("peerwork:survey-results:v3", wave.pk, *parts))
    return latest(key, f"{version or data_version(wave)}:{also}", compute, CACHE_SECONDS)


def definition(wave: Wave) -> Definition:
    return queries.definition_of(wave.version)


def frame(wave: Wave) -> pd.DataFrame:
    return queries.wave_frame(wave)


def results(wave: Wave, *, all_texts: bool = False) -> WaveResults:
    """The wave's suppressed tables (see results_tables), cached per submitted count.

    Pages list at most PAGE_TEXTS free-text answers per question, so they read a copy
    capped at that (small to fetch from the cache); ``all_texts`` gives every one."""
    version = data_version(wave)

    def every_text() -> WaveResults:
        return cached(wave, ("tables",), lambda: wave_results(
            definition(wave).questions(), frame(wave), min_cell(wave)), version=version)

    if all_texts:
        return every_text()
    return cached(wave, ("tables-capped",), lambda: with_texts_capped(every_text(), PAGE_TEXTS),
                  version=version)


def split(wave: Wave, question_id: str, background_id: str) -> list[Crosstab | GroupNumbers]:
    """A question split by a background question: one crosstab per variable, or a number
    question's statistics per group; [] when nothing can be shown."""
    def compute() -> list[Crosstab | GroupNumbers]:
        tables = results(wave)
        defn = definition(wave)
        question, background = defn.question(question_id), defn.question(background_id)
        shown_q, shown_b = tables.question(question_id), tables.question(background_id)
        if not (tables.shown and question and background and shown_q and shown_b
                and background.background and shown_b.tables and question_id != background_id):
            return []
        data = frame(wave)
        by = shown_b.tables[0]
        if shown_q.number is not None and question.type == "number":
            groups = group_numbers(data, question, shown_q.number, by, tables.k)
            return [groups] if groups else []
        return [t for table in shown_q.tables if (t := crosstab(data, table, by, tables.k))]

    return cached(wave, ("split", question_id, background_id), compute)


def stored_answers(wave: Wave, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """The submitted answers of ``wave`` one by one, read in chunks, never all at once.

    Ordered by the response's random UUID: a fixed order that says nothing about when
    anyone answered."""
    with scope(organisation=wave.organisation):
        rows = (Response.objects.filter(wave=wave, status=ResponseStatus.SUBMITTED)
                .order_by("id").values_list("answers", flat=True))
        yield from rows.iterator(chunk_size=chunk)


def trend_waves(wave: Wave) -> list[tuple[Wave, WaveResults]]:
    """Every wave of the wave's survey, oldest first, with its suppressed tables."""
    waves = sorted(queries.waves_of(wave.survey), key=lambda w: (w.opens_on, w.pk))
    return [(w, results(w)) for w in waves]
