"""Wave frames as SURVEYS_CONTRACT.md describes them, for tests and benchmarks.

``definition(width)`` builds a definition dict of a national-survey shape; ``frame``
fills it fast with numpy (100,000 × 60 in a second or two); ``small_frames`` is a
hypothesis strategy for property tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from peerwork.surveys.definition import Definition, load_definition

SECTORS = ("municipal", "specialist", "ngo", "company")
REGIONS = ("north", "central", "west", "south", "east")


def _t(en: str, nb: str) -> dict[str, str]:
    return {"en": en, "nb": nb}


def _choices(values: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"value": v, "label": _t(v.title(), v.title())} for v in values]


def definition_dict(width: int = 12) -> dict[str, Any]:
    """A definition with ``width`` questions (at least 12): background, salary, scales, text."""
    questions: list[dict[str, Any]] = [
        {"id": "sector", "type": "single", "label": _t("Sector", "Sektor"),
         "choices": _choices(SECTORS), "background": True},
        {"id": "region", "type": "single", "label": _t("Region", "Region"),
         "choices": _choices(REGIONS), "background": True},
        {"id": "salary", "type": "number", "label": _t("Annual salary", "Årslønn"),
         "unit": "NOK", "min": 0, "max": 2000000},
        {"id": "fte", "type": "number", "label": _t("Percentage of full time", "Stillingsprosent"),
         "unit": "%", "min": 0, "max": 100},
        {"id": "start", "type": "date", "label": _t("Started in the role", "Startet i rollen")},
        {"id": "jd_clear", "type": "likert", "scale": "agree5",
         "label": _t("My job description is clear", "Stillingsbeskrivelsen min er tydelig")},
        {"id": "tasks", "type": "multiple", "label": _t("Tasks", "Oppgaver"),
         "choices": _choices(("groups", "individual", "training", "planning"))},
        {"id": "phases", "type": "matrix", "scale": "extent5",
         "label": _t("Involvement per phase", "Involvering per fase"),
         "rows": [{"id": r, "label": _t(r.title(), r.title())}
                  for r in ("design", "delivery", "evaluation")]},
        {"id": "union", "type": "single", "label": _t("Union member", "Fagorganisert"),
         "choices": _choices(("yes", "no"))},
        {"id": "comment", "type": "longtext", "label": _t("Anything else?", "Noe annet?")},
    ]
    for i in range(max(0, width - len(questions) - 2)):
        questions.append({"id": f"q{i}", "type": "likert", "scale": "agree5",
                          "label": _t(f"Statement {i}", f"Påstand {i}")})
    questions.append({"id": "hours", "type": "number", "label": _t("Hours a week", "Timer i uka"),
                      "unit": "h", "min": 0, "max": 80})
    questions.append({"id": "word", "type": "text", "label": _t("One word", "Ett ord")})
    return {"key": "bench-survey", "version": 1, "title": _t("Test survey", "Testundersøkelse"),
            "intro": _t("Intro", "Intro"),
            "sections": [{"id": "all", "title": _t("All", "Alle"), "questions": questions}]}


def definition(width: int = 12) -> Definition:
    return load_definition(definition_dict(width))


def frame(defn: Definition, n: int, *, seed: int = 1, missing: float = 0.05) -> pd.DataFrame:
    """``n`` random submitted responses of ``defn``, with dtypes as wave_frame gives them."""
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}

    def with_missing(values: np.ndarray, dtype: str) -> pd.Series:
        series = pd.Series(values).astype(dtype)
        series[rng.random(n) < missing] = pd.NA
        return series

    for q in defn.questions():
        values = [v for v, _ in q.choices]
        if q.type in ("single", "likert"):
            weights = rng.dirichlet(np.ones(len(values)))
            columns[q.id] = with_missing(rng.choice(values, size=n, p=weights), "string")
        elif q.type == "matrix":
            for row in q.rows:
                columns[f"{q.id}__{row.id}"] = with_missing(rng.choice(values, size=n), "string")
        elif q.type == "multiple":
            shown = rng.random(n) >= missing
            for value in values:
                column = pd.Series(rng.random(n) < 0.4).astype("boolean")
                column[~shown] = pd.NA
                columns[f"{q.id}__{value}"] = column
        elif q.type == "number":
            high = q.max if q.max is not None else 100.0
            raw = rng.normal(high * 0.3, high * 0.06, size=n).clip(q.min or 0, high).round()
            columns[q.id] = with_missing(raw, "Float64")
        elif q.type == "date":
            days = rng.integers(0, 365 * 15, size=n)
            dates = (np.datetime64("2010-01-01") + days).astype(str)
            columns[q.id] = with_missing(dates, "string")
        else:
            words = np.array(["calm", "busy", "=1+2", "good team", "Meaningful", "tired"])
            columns[q.id] = with_missing(rng.choice(words, size=n), "string")
    return pd.DataFrame(columns)


def small_frame_strategy(defn: Definition, *, max_rows: int = 40) -> st.SearchStrategy[pd.DataFrame]:
    """Small frames whose answers hypothesis chooses, so that tiny cells occur often."""
    sector = st.one_of(st.none(), st.sampled_from(SECTORS[:3]))
    union = st.one_of(st.none(), st.sampled_from(("yes", "no")))
    jd = st.one_of(st.none(), st.sampled_from(("1", "2", "3", "4", "5", "dk")))
    salary = st.one_of(st.none(), st.integers(300_000, 800_000).map(float))
    row = st.tuples(sector, union, jd, salary)

    def build(rows: list[tuple[Any, Any, Any, Any]]) -> pd.DataFrame:
        full = frame(defn, len(rows), seed=len(rows))
        full["sector"] = pd.Series([r[0] for r in rows], dtype="string")
        full["union"] = pd.Series([r[1] for r in rows], dtype="string")
        full["jd_clear"] = pd.Series([r[2] for r in rows], dtype="string")
        full["salary"] = pd.Series([r[3] for r in rows], dtype="Float64")
        return full

    return st.lists(row, min_size=0, max_size=max_rows).map(build)
