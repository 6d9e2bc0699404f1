"""A wave's data as files: answer-level CSV, XLSX and SPSS .sav with a codebook, and
aggregate-only CSV/XLSX of the suppressed tables.

Answer-level files are for those entitled to them (``results_rules``); everyone
else gets the aggregates, which read the same suppressed tables as the pages, so
nothing hidden there appears here. Rows are generated lazily and written in
chunks, so memory stays flat however many respondents a wave has (beyond the
wave's frame itself).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from defusedcsv import csv
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from peerwork.surveys.definition import Definition, Question
from peerwork.surveys.results_tables import MISSING, OTHER, WaveResults

CHUNK_ROWS = 2000
FILE_CHUNK = 256 * 1024
DONT_KNOW_CODE = 99


@dataclass(frozen=True)
class Variable:
    """One column of an answer-level file, described for the codebook."""

    name: str
    question: Question
    kind: str  # "choice", "boolean", "number", "date", "text"
    label: str
    values: tuple[tuple[int, str, str], ...]  # (SPSS code, stored value, label)


def _codes(question: Question) -> dict[str, int]:
    """Numeric codes for a question's choices: the value itself where it is a number
    (Likert 1–5), "don't know" 99, otherwise the choice's position from 1."""
    values = [v for v, _ in question.choices]
    numeric = [v for v in values if v.isdigit()]
    if len(numeric) == len([v for v in values if v != "dk"]):
        codes = {v: int(v) for v in numeric}
    else:
        codes = {v: i + 1 for i, v in enumerate(values) if v != "dk"}
    if "dk" in values:
        codes["dk"] = DONT_KNOW_CODE
    return codes


def variables(definition: Definition, lang: str) -> list[Variable]:
    """Every answer variable in the definition's order, with codes and labels."""
    out: list[Variable] = []
    for q in definition.questions():
        label = q.label(lang)
        if q.type in ("single", "likert"):
            codes = _codes(q)
            out.append(Variable(q.id, q, "choice", label, tuple(
                (codes[v], v, q.choice_label(v, lang)) for v, _ in q.choices)))
        elif q.type == "matrix":
            codes = _codes(q)
            values = tuple((codes[v], v, q.choice_label(v, lang)) for v, _ in q.choices)
            out.extend(Variable(f"{q.id}__{r.id}", q, "choice", f"{label}: {r.text(lang)}", values)
                       for r in q.rows)
        elif q.type == "multiple":
            with translation.override(lang):
                flags = ((1, "true", _("chosen")), (0, "false", _("not chosen")))
            out.extend(Variable(f"{q.id}__{c.value}", q, "boolean", f"{label}: {c.text(lang)}", flags)
                       for c in q.choice_list)
        elif q.type in ("number", "date"):
            out.append(Variable(q.id, q, q.type, label, ()))
        else:
            out.append(Variable(q.id, q, "text", label, ()))
    return out


def answer_rows(definition: Definition, frame: pd.DataFrame, lang: str) -> Iterator[list[object]]:
    """A header of variable names, then one row per response (the frame's order: by the
    responses' random ids)."""
    names = [v.name for v in variables(definition, lang)]
    yield ["response", *names]
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start:start + CHUNK_ROWS].reindex(columns=names)
        cleaned = chunk.astype("object").where(chunk.notna(), None)
        for offset, row in enumerate(cleaned.itertuples(index=False, name=None)):
            # A row number, not an id: the frame is in random-id order, so it links to nothing.
            yield [start + offset + 1, *("" if v is None else _plain(v) for v in row)]


def stored_values(definition: Definition, answers: dict[str, Any]) -> list[object]:
    """One response's stored answers as its variables, in ``variables()`` order: the
    columns of SURVEYS_CONTRACT.md (a multiple choice as 1/0 per option, None where
    the question was not shown)."""
    row: list[object] = []
    for q in definition.questions():
        value = answers.get(q.id)
        if q.type == "multiple":
            shown = isinstance(value, list)
            row.extend(((1 if c.value in value else 0) if shown else None)  # type: ignore[operator]
                       for c in q.choice_list)
        elif q.type == "matrix":
            cells = value if isinstance(value, dict) else {}
            row.extend(cells.get(r.id) for r in q.rows)
        elif q.type == "number":
            number = isinstance(value, int | float) and not isinstance(value, bool)
            row.append(float(value) if number else None)  # type: ignore[arg-type]
        else:
            row.append(value if value not in (None, "") else None)
    return row


def stored_rows(definition: Definition, answers: Iterable[dict[str, Any]],
                lang: str) -> Iterator[list[object]]:
    """As ``answer_rows``, straight from stored answers as they stream from the database,
    so an export never holds the whole wave in memory."""
    names = [v.name for v in variables(definition, lang)]
    yield ["response", *names]
    for number, stored in enumerate(answers, start=1):
        yield [number, *("" if v is None else _plain(v) for v in stored_values(definition, stored))]


def _plain(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return 1 if value else 0
    if isinstance(value, float | np.floating):
        return int(value) if float(value).is_integer() else float(value)
    return value


def codebook_rows(definition: Definition, lang: str) -> Iterator[list[object]]:
    """variable, label, type, values, unit, question text: one row per answer variable."""
    yield ["variable", "label", "type", "values", "unit", "question"]
    for v in variables(definition, lang):
        values = "; ".join(f"{code} = {label}" for code, _, label in v.values)
        yield [v.name, v.label, v.kind, values, v.question.unit or "", v.question.label(lang)]


def aggregate_rows(results: WaveResults, lang: str,
                   labels: dict[str, str]) -> Iterator[list[object]]:
    """The suppressed tables, one row per shown or hidden figure; hidden ones are blank.

    ``labels`` gives the words for MISSING, OTHER and "suppressed" in ``lang``.
    """
    yield ["question", "variable", "label", "category", "statistic", "value", "percent",
           "suppressed"]
    if not results.shown:
        return
    # How many submitted answers the figures hold: a large wave's file may be of the newest
    # tables computed while newer answers are counted in the background.
    yield ["", "", "", "", "respondents", results.respondents, "", "no"]
    for q in results.questions:
        title = q.label.get(lang, "")
        for table in q.tables:
            for c in table.categories:
                name = labels.get(c.value) or c.label.get(lang, c.value)
                yield [q.id, table.variable, table.label.get(lang, ""), name, "count",
                       "" if c.count is None else c.count,
                       "" if c.percent is None else round(c.percent, 1),
                       "yes" if c.count is None else "no"]
        if q.number is not None:
            n = q.number
            stats: list[tuple[str, float | int | None]] = [
                ("n", n.n), ("mean", n.mean), ("mean_ci_low", n.mean_low),
                ("mean_ci_high", n.mean_high), ("sd", n.sd), ("median", n.median),
                ("median_ci_low", n.median_low), ("median_ci_high", n.median_high),
                *((f"p{p}", value) for p, value in n.percentiles)]
            for name, value in stats:
                yield [q.id, q.id, title, "", name, "" if value is None else round(float(value), 2),
                       "", "yes" if value is None else "no"]
        for text in q.texts:
            yield [q.id, q.id, title, text, "text", "", "", "no"]


def csv_chunks(rows: Iterable[list[object]]) -> Iterator[bytes]:
    """CSV in UTF-8 (with a BOM, for spreadsheets), safe against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for number, row in enumerate(rows, start=1):
        writer.writerow(row)
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _formula_safe(value: object) -> object:
    # A leading = + - @ would make a spreadsheet run the cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def xlsx_path(rows: Iterable[list[object]], *, sheet: str) -> str:
    """Write the rows with openpyxl's write-only mode to a temporary file; return its path."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    for row in rows:
        worksheet.append([_formula_safe(v) for v in row])
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="peerwork-")
    os.close(handle)
    workbook.save(path)
    return path


def _sav_columns(described: list[Variable], frame: pd.DataFrame) -> pd.DataFrame:
    """The variables of ``frame`` as SPSS wants them: choices as numeric codes."""
    data: dict[str, object] = {}
    for v in described:
        column = frame[v.name] if v.name in frame else pd.Series([None] * len(frame))
        column = column.astype("object").where(column.notna(), None)
        if v.kind == "choice":
            codes = {value: float(code) for code, value, _ in v.values}
            data[v.name] = pd.to_numeric(column.map(codes), errors="coerce").astype("float64")
        elif v.kind in ("boolean", "number"):
            data[v.name] = pd.to_numeric(column.map(lambda x: float(x) if x is not None else None),
                                         errors="coerce").astype("float64")
        elif v.kind == "date":
            data[v.name] = pd.to_datetime(column, errors="coerce").dt.date
        else:
            data[v.name] = column.map(lambda x: "" if x is None else str(x))
    return pd.DataFrame(data, columns=[v.name for v in described])


def _write_sav(described: list[Variable], table: pd.DataFrame) -> str:
    import pyreadstat  # noqa: PLC0415 - loaded only when someone exports to SPSS

    value_labels: dict[str, dict[float | int, str]] = {}
    measure: dict[str, str] = {}
    for v in described:
        if v.kind == "choice":
            value_labels[v.name] = {float(code): label for code, _, label in v.values}
            measure[v.name] = "ordinal" if v.question.type in ("likert", "matrix") else "nominal"
        elif v.kind == "boolean":
            value_labels[v.name] = {float(code): label for code, _, label in v.values}
            measure[v.name] = "nominal"
        elif v.kind in ("number", "date"):
            measure[v.name] = "scale"
        else:
            measure[v.name] = "nominal"
    handle, path = tempfile.mkstemp(suffix=".sav", prefix="peerwork-")
    os.close(handle)
    pyreadstat.write_sav(table, path, column_labels={v.name: v.label for v in described},
                         variable_value_labels=value_labels, variable_measure=measure)
    return path


def sav_path(definition: Definition, frame: pd.DataFrame, lang: str) -> str:
    """An SPSS .sav file with variable and value labels; return its temporary path."""
    described = variables(definition, lang)
    return _write_sav(described, _sav_columns(described, frame))


def sav_path_stored(definition: Definition, answers: Iterable[dict[str, Any]], lang: str) -> str:
    """As ``sav_path``, from stored answers streamed in chunks, each converted to compact
    typed columns at once (SPSS needs the whole table before it writes)."""
    described = variables(definition, lang)
    names = [v.name for v in described]
    parts: list[pd.DataFrame] = []
    chunk: list[list[object]] = []
    for stored in answers:
        chunk.append(stored_values(definition, stored))
        if len(chunk) == CHUNK_ROWS:
            parts.append(_sav_columns(described, pd.DataFrame(chunk, columns=names, dtype=object)))
            chunk = []
    parts.append(_sav_columns(described, pd.DataFrame(chunk, columns=names, dtype=object)))
    return _write_sav(described, pd.concat(parts, ignore_index=True))


def file_chunks(path: str) -> Iterator[bytes]:
    """Stream a temporary file and delete it once read (or abandoned)."""
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)


__all__ = ["MISSING", "OTHER", "aggregate_rows", "answer_rows", "codebook_rows", "csv_chunks",
           "file_chunks", "sav_path", "sav_path_stored", "stored_rows", "variables", "xlsx_path"]
