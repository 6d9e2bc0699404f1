"""Exports: formula safety, round trips through openpyxl and pyreadstat, the codebook,
and aggregate files that hold exactly what the suppressed tables show."""

from __future__ import annotations

import io
import os

import pandas as pd
import pyreadstat
from defusedcsv import csv as safe_csv
from openpyxl import load_workbook

from peerwork.surveys import exporters, results_tables
from surveys import frames

DEFINITION = frames.definition(12)
LABELS = {results_tables.MISSING: "No answer", results_tables.OTHER: "Other"}


def _csv(rows) -> list[list[str]]:
    text = b"".join(exporters.csv_chunks(rows)).decode("utf-8-sig")
    return list(safe_csv.reader(io.StringIO(text)))


def test_exporters_csv_neutralises_formulas_and_keeps_every_row():
    frame = frames.frame(DEFINITION, 2500)
    frame.loc[0, "word"] = "=HYPERLINK(\"http://x\")"

    rows = _csv(exporters.answer_rows(DEFINITION, frame, "en"))

    assert len(rows) == 2501
    assert rows[0][:4] == ["response", "sector", "region", "salary"]
    word = rows[0].index("word")
    assert rows[1][word].startswith("'=")
    assert not any(r[word].startswith("=") for r in rows[1:])


def test_exporters_answer_rows_code_choices_as_stored():
    frame = frames.frame(DEFINITION, 6, missing=0.0)

    rows = list(exporters.answer_rows(DEFINITION, frame, "en"))

    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["sector"] == frame.loc[0, "sector"]
    assert first["salary"] == int(frame.loc[0, "salary"])
    assert first["tasks__groups"] == (1 if frame.loc[0, "tasks__groups"] else 0)


def test_exporters_xlsx_round_trip_and_formula_safe():
    frame = frames.frame(DEFINITION, 30)
    frame.loc[3, "word"] = "@SUM(A1)"

    path = exporters.xlsx_path(exporters.answer_rows(DEFINITION, frame, "en"), sheet="answers")
    data = b"".join(exporters.file_chunks(path))

    sheet = load_workbook(io.BytesIO(data), read_only=True)["answers"]
    values = list(sheet.values)
    assert len(values) == 31
    word = values[0].index("word")
    assert values[4][word] == "'@SUM(A1)"


def test_exporters_sav_has_variable_and_value_labels(nb_catalogue):
    frame = frames.frame(DEFINITION, 50)

    path = exporters.sav_path(DEFINITION, frame, "nb")
    try:
        data, meta = pyreadstat.read_sav(path)
    finally:
        os.unlink(path)

    assert len(data) == 50
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["salary"] == "Årslønn"
    assert labels["jd_clear"] == "Stillingsbeskrivelsen min er tydelig"
    assert meta.variable_value_labels["jd_clear"][5.0] == "Helt enig"
    assert meta.variable_value_labels["jd_clear"][99.0] == "Vet ikke"
    assert meta.variable_value_labels["sector"] == {1.0: "Municipal", 2.0: "Specialist", 3.0: "Ngo",
                                                    4.0: "Company"}
    expected = frame["jd_clear"].astype("object").map(
        {"1": 1.0, "2": 2.0, "3": 3.0, "4": 4.0, "5": 5.0, "dk": 99.0})
    assert data["jd_clear"].fillna(-1).tolist() == expected.astype("float64").fillna(-1).tolist()
    assert meta.variable_measure["salary"] == "scale"
    assert meta.variable_value_labels["tasks__groups"] == {1.0: "valgt", 0.0: "ikke valgt"}
    assert str(pd.Timestamp(data["start"].dropna().iloc[0]).year).startswith("20")


def test_exporters_codebook_lists_every_variable_with_values():
    rows = list(exporters.codebook_rows(DEFINITION, "en"))

    assert rows[0] == ["variable", "label", "type", "values", "unit", "question"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == set(DEFINITION.variables())
    assert by_name["salary"][2:5] == ["number", "", "NOK"]
    assert by_name["phases__design"][1] == "Involvement per phase: Design"
    assert by_name["jd_clear"][3].startswith("1 = Strongly disagree; 2 = Disagree")
    assert by_name["tasks__groups"][3] == "1 = chosen; 0 = not chosen"


def test_exporters_aggregates_hold_only_what_tables_show():
    # Arrange: two NGO respondents, a cell that must stay hidden.
    frame = frames.frame(DEFINITION, 20, missing=0.0)
    frame["sector"] = pd.Series(["municipal"] * 10 + ["specialist"] * 8 + ["ngo"] * 2, dtype="string")
    results = results_tables.wave_results(DEFINITION.questions(), frame, 5)

    # Act
    rows = _csv(exporters.aggregate_rows(results, "en", LABELS))

    # Assert
    sector = {r[3]: (r[5], r[7]) for r in rows if r[1] == "sector"}
    assert sector == {"Municipal": ("10", "no"), "Specialist": ("", "yes"), "Ngo": ("", "yes"),
                      "Company": ("0", "no"), "No answer": ("0", "no")}
    assert all(r[2] != "Sector" for r in rows if r[4] == "text")  # free text alone
    assert not any(r[5] in ("2", "8") for r in rows if r[1] == "sector")


def test_exporters_aggregates_of_a_wave_under_k_say_nothing():
    frame = frames.frame(DEFINITION, 4)
    results = results_tables.wave_results(DEFINITION.questions(), frame, 5)

    assert list(exporters.aggregate_rows(results, "en", LABELS))[1:] == []
