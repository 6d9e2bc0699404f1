"""Importing questionnaires: our JSON/YAML, XLSForm through pyxform, and clear refusals."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
import yaml
from tests.surveys.conftest import small_definition

from peerwork.surveys.definition import load_definition
from peerwork.surveys.importers import MAX_BYTES, ImportProblem, import_file


def xlsform(
    survey: list[list[str]], choices: list[list[str]] | None = None, settings: list[list[str]] | None = None
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    if settings:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEAD = [
    "type",
    "name",
    "label::English (en)",
    "label::Norwegian (nb)",
    "relevant",
    "constraint",
    "required",
    "hint::English (en)",
    "appearance",
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Norwegian (nb)"],
    ["sector", "public", "Public", "Offentlig"],
    ["sector", "ngo", "NGO", "Frivillig"],
    ["tasks", "groups", "Groups", "Grupper"],
    ["tasks", "one", "One to one", "En til en"],
]


def test_xlsform_types_groups_ranges_languages_and_skip_logic() -> None:
    data = xlsform(
        [
            HEAD,
            ["begin group", "work", "Work", "Arbeid", "", "", "", "", ""],
            ["select_one sector", "sector", "Sector", "Sektor", "", "", "yes", "", ""],
            [
                "integer",
                "fte",
                "Full time %",
                "Stillingsprosent",
                "",
                ". >= 0 and . <= 100",
                "yes",
                "percent",
                "",
            ],
            ["decimal", "Salary", "Salary", "Lønn", "${fte} > 0", ". >= 0 and . <= 2000000", "", "", ""],
            ["select_multiple tasks", "tasks", "Tasks", "Oppgaver", "", "", "", "", ""],
            ["end group", "", "", "", "", "", "", "", ""],
            ["date", "start", "Start", "Oppstart", "", "", "", "", ""],
            ["text", "story", "Story", "Historie", "selected(${tasks}, 'groups')", "", "", "", "multiline"],
            ["note", "thanks", "Thanks", "Takk", "", "", "", "", ""],
        ],
        CHOICES,
        [["form_title", "form_id"], ["Imported form", "imported_form"]],
    )
    definition = import_file("form.xlsx", data)
    loaded = load_definition(definition)
    assert definition["key"] == "imported-form"
    assert [s["id"] for s in definition["sections"]] == ["work", "part_2"]
    by_id = loaded.by_id
    assert list(by_id) == ["sector", "fte", "salary", "tasks", "start", "story"]
    assert by_id["sector"].type == "single"
    assert by_id["sector"].required is True
    assert by_id["sector"].label("nb") == "Sektor"
    assert (by_id["fte"].type, by_id["fte"].min, by_id["fte"].max, by_id["fte"].decimals) == (
        "number",
        0,
        100,
        0,
    )
    assert by_id["fte"].help_text("en") == "percent"
    assert (by_id["salary"].decimals, by_id["salary"].max) == (2, 2000000)
    assert by_id["salary"].relevant == "${fte} > 0"
    assert by_id["tasks"].type == "multiple"
    assert by_id["story"].type == "longtext"
    assert by_id["story"].relevant == "selected(${tasks}, 'groups')"


def test_xlsform_label_nb_column_and_a_single_language() -> None:
    data = xlsform([["type", "name", "label::nb"], ["text", "navn", "Hva heter tjenesten?"]])
    definition = import_file("form.xlsx", data)
    assert definition["sections"][0]["questions"][0]["label"] == {
        "en": "Hva heter tjenesten?",
        "nb": "Hva heter tjenesten?",
    }


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [HEAD[:3], ["geopoint", "where", "Where"]],
            "Row “where”: the XLSForm type “geopoint” is not supported.",
        ),
        (
            [HEAD[:3], ["begin repeat", "kids", "Kids"], ["text", "name", "Name"], ["end repeat", "", ""]],
            "Row “kids”: repeats are not supported.",
        ),
        (
            [HEAD[:5], ["integer", "a", "A", "A", "${b} > 1"], ["integer", "b", "B", "B", ""]],
            "Question “a”: the skip logic reads b, which is not an earlier question.",
        ),
    ],
)
def test_xlsform_refuses_what_it_cannot_carry(rows: list[list[str]], message: str) -> None:
    with pytest.raises(ImportProblem) as caught:
        import_file("form.xlsx", xlsform(rows))
    assert message in caught.value.messages


def test_xlsform_that_pyxform_cannot_read_is_a_clear_problem() -> None:
    data = xlsform([["type", "name", "label"], ["select_one missing", "x", "X"]])
    with pytest.raises(ImportProblem) as caught:
        import_file("form.xlsx", data)
    assert caught.value.messages[0].startswith("The XLSForm cannot be read:")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.json", b"", "The file is empty."),
        ("a.json", b'{"key": ', "The JSON is malformed at line 1, column 9 (Expecting value)."),
        ("a.yaml", b"key: [", "The YAML is malformed at line 1."),
        ("a.xlsx", b"hello", "The file is named .xlsx but is not an Excel workbook."),
        ("a.xlsx", b"PK\x03\x04garbage", None),
        ("a.pdf", b"%PDF-1.4",
         "Files of type .pdf cannot be imported; use .json, .yaml or an XLSForm .xlsx."),
        ("a.json", b"\xff\xfe\x00", "The file is not UTF-8 text."),
        ("a.json", b"[1, 2]", "A definition must be an object (a mapping of keys to values)."),
        ("a.json", b" " * (MAX_BYTES + 1), "The file is larger than 2 MB."),
    ],
)
def test_bad_files_get_clear_messages(name: str, data: bytes, message: str | None) -> None:
    with pytest.raises(ImportProblem) as caught:
        import_file(name, data)
    if message is None:
        assert caught.value.messages[0].startswith("The XLSForm cannot be read:")
    else:
        assert caught.value.messages[0] == message


def test_our_json_and_yaml_round_trip() -> None:
    original = small_definition()
    assert import_file("s.json", json.dumps(original).encode()) == original
    assert import_file("s.yaml", yaml.safe_dump(original, allow_unicode=True).encode()) == original
