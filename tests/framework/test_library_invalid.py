"""Invalid library data is refused with a message that names the file or the id."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerwork.framework.library import LibraryError, load

from .conftest import find_raw, read_yaml, structure_file, write_yaml


def load_error(data_dir: Path) -> str:
    with pytest.raises(LibraryError) as caught:
        load(data_dir)
    return str(caught.value)


def test_library_copy_of_shipped_data_loads(data_dir: Path) -> None:
    assert len(load(data_dir).elements) == 142


def test_library_yaml_syntax_error_names_the_file(data_dir: Path) -> None:
    path = structure_file(data_dir, "precondition")
    path.write_text(path.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")

    message = load_error(data_dir)

    assert message.startswith("precondition.yaml: not valid YAML: ")


def test_library_missing_norwegian_text_is_a_schema_violation(data_dir: Path) -> None:
    path = structure_file(data_dir, "role_form")
    raw = read_yaml(path)
    del raw["elements"][0]["title"]["nb"]
    write_yaml(path, raw)

    assert load_error(data_dir) == "role_form.yaml: elements/0/title: 'nb' is a required property"


def test_library_empty_text_is_a_schema_violation(data_dir: Path) -> None:
    path = structure_file(data_dir, "precondition")
    raw = read_yaml(path)
    find_raw(raw, "precondition.hiring_policy")["children"][5]["why"]["en"] = ""
    write_yaml(path, raw)

    assert load_error(data_dir) == (
        "precondition.yaml: elements/6/children/5/why/en: '' should be non-empty")


def test_library_unknown_field_is_a_schema_violation(data_dir: Path) -> None:
    path = structure_file(data_dir, "barrier")
    raw = read_yaml(path)
    raw["elements"][2]["colour"] = "red"
    write_yaml(path, raw)

    assert load_error(data_dir) == (
        "barrier.yaml: elements/2: Additional properties are not allowed ('colour' was unexpected)")


def test_library_duplicate_id_names_the_id(data_dir: Path) -> None:
    path = structure_file(data_dir, "barrier")
    raw = read_yaml(path)
    raw["elements"][2]["id"] = "barrier.recognition"
    write_yaml(path, raw)

    assert load_error(data_dir) == "barrier.recognition: the id is used twice"


def test_library_child_id_must_extend_its_parent_id(data_dir: Path) -> None:
    path = structure_file(data_dir, "precondition")
    raw = read_yaml(path)
    find_raw(raw, "precondition.hiring_policy.seniority")["id"] = "precondition.onboarding.seniority"
    write_yaml(path, raw)

    assert load_error(data_dir) == (
        "precondition.onboarding.seniority: the id must start with 'precondition.hiring_policy.'")


def test_library_top_level_id_must_extend_its_structure_id(data_dir: Path) -> None:
    path = structure_file(data_dir, "stc")
    raw = read_yaml(path)
    raw["elements"].append({**raw["elements"][0], "id": "io5_process.extra", "related": []})
    write_yaml(path, raw)

    assert load_error(data_dir) == "io5_process.extra: the id must start with 'stc.'"


def test_library_related_id_must_exist(data_dir: Path) -> None:
    path = structure_file(data_dir, "role_form")
    raw = read_yaml(path)
    raw["elements"][0]["related"].append("precondition.nonexistent")
    write_yaml(path, raw)

    assert load_error(data_dir) == (
        "role_form.peer_support_worker: related id 'precondition.nonexistent' does not exist")


def test_library_element_may_not_be_related_to_itself(data_dir: Path) -> None:
    path = structure_file(data_dir, "role_form")
    raw = read_yaml(path)
    raw["elements"][1]["related"].append("role_form.care_provider")
    write_yaml(path, raw)

    assert load_error(data_dir) == (
        "role_form.care_provider: an element cannot be related to itself")


def test_library_source_document_outside_the_schema_is_refused(data_dir: Path) -> None:
    path = structure_file(data_dir, "role_form")
    raw = read_yaml(path)
    raw["elements"][0]["source"]["document"] = "009"
    write_yaml(path, raw)

    assert load_error(data_dir) == (
        "role_form.yaml: elements/0/source/document: "
        "'009' is not one of ['000', '001', '002', '003', '004']")


def test_library_source_document_missing_from_manifest_names_the_element(
        data_dir: Path) -> None:
    path = structure_file(data_dir, "role_form")
    raw = read_yaml(path)
    raw["elements"][0]["source"]["document"] = "004"
    write_yaml(path, raw)
    manifest = read_yaml(data_dir / "manifest.yaml")
    del manifest["documents"]["004"]
    write_yaml(data_dir / "manifest.yaml", manifest)

    assert load_error(data_dir) == (
        "role_form.peer_support_worker: unknown source document '004'")


def test_library_structure_source_missing_from_manifest_names_the_structure(
        data_dir: Path) -> None:
    manifest = read_yaml(data_dir / "manifest.yaml")
    del manifest["documents"]["003"]
    write_yaml(data_dir / "manifest.yaml", manifest)

    assert load_error(data_dir) == "role_form: unknown source document '003'"


def test_library_structure_file_must_carry_its_own_id(data_dir: Path) -> None:
    path = structure_file(data_dir, "stc")
    raw = read_yaml(path)
    raw["id"] = "malterud"
    write_yaml(path, raw)

    assert load_error(data_dir) == "stc.yaml: its id is 'malterud', expected 'stc'"


def test_library_structure_listed_in_manifest_must_exist(data_dir: Path) -> None:
    structure_file(data_dir, "barrier").unlink()

    assert load_error(data_dir).startswith("barrier.yaml: cannot be read: ")


def test_library_manifest_without_structures_is_refused(data_dir: Path) -> None:
    manifest = read_yaml(data_dir / "manifest.yaml")
    del manifest["structures"]
    write_yaml(data_dir / "manifest.yaml", manifest)

    assert load_error(data_dir) == "manifest.yaml: 'structures' is missing or has the wrong type"


def test_library_manifest_syntax_error_is_refused(data_dir: Path) -> None:
    (data_dir / "manifest.yaml").write_text("version: [2026.1\n", encoding="utf-8")

    assert load_error(data_dir).startswith(
        "cannot read the library manifest or schema: while parsing")


def test_library_unreadable_release_file_names_the_file(data_dir: Path) -> None:
    (data_dir / "released" / "2026.1.json").write_text("{not json", encoding="utf-8")

    assert load_error(data_dir).startswith("released/2026.1.json: cannot be read: ")
