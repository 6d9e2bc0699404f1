"""A new version may add elements but never changes what an existing id means;
``library_release`` freezes a version so that the loader can hold it to that."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerwork.framework.library import (
    DATA_DIR,
    LibraryError,
    check_compatible,
    library_dir,
    load,
    snapshot,
)

from .conftest import drop_references, find_raw, read_yaml, structure_file, write_yaml

NEW_ELEMENT = {
    "id": "precondition.hiring_policy.peer_mentors",
    "label": "7.9",
    "title": {"en": "Peer mentors", "nb": "Erfarne mentorer"},
    "summary": {"en": "A summary.", "nb": "Et sammendrag."},
    "why": {"en": "A reason.", "nb": "En grunn."},
    "source": {"document": "003", "lines": "320"},
    "related": ["precondition.hiring_policy.seniority"],
}


def add_element(data_dir: Path) -> None:
    path = structure_file(data_dir, "precondition")
    raw = read_yaml(path)
    find_raw(raw, "precondition.hiring_policy")["children"].append(NEW_ELEMENT)
    write_yaml(path, raw)


def set_version(data_dir: Path, version: str) -> None:
    manifest = read_yaml(data_dir / "manifest.yaml")
    manifest["version"] = version
    write_yaml(data_dir / "manifest.yaml", manifest)


def release(data_dir: Path) -> str:
    out = StringIO()
    call_command("library_release", data_dir=data_dir, stdout=out)
    return out.getvalue()


def test_release_of_the_shipped_version_is_frozen_in_the_repository() -> None:
    frozen = json.loads((DATA_DIR / "released" / "2026.1.json").read_text(encoding="utf-8"))

    assert frozen == snapshot(load(DATA_DIR))
    assert frozen["precondition.hiring_policy.seniority"] == {
        "structure": "precondition", "parent": "precondition.hiring_policy"}


def test_compatibility_accepts_added_elements(data_dir: Path) -> None:
    add_element(data_dir)

    library = load(data_dir)

    added = library.element("precondition.hiring_policy.peer_mentors")
    assert added is not None
    assert (added.parent, added.structure) == ("precondition.hiring_policy", "precondition")
    assert len(library.elements) == 143


def test_compatibility_refuses_a_removed_id(data_dir: Path) -> None:
    path = structure_file(data_dir, "precondition")
    raw = read_yaml(path)
    policy = find_raw(raw, "precondition.hiring_policy")
    policy["children"] = [c for c in policy["children"]
                          if c["id"] != "precondition.hiring_policy.seniority"]
    write_yaml(path, raw)
    drop_references(data_dir, "precondition.hiring_policy.seniority")

    with pytest.raises(LibraryError) as caught:
        load(data_dir)

    assert str(caught.value) == (
        "precondition.hiring_policy.seniority: released in 2026.1 and may not be removed")


def test_compatibility_refuses_an_id_moved_to_another_parent(data_dir: Path) -> None:
    path = structure_file(data_dir, "precondition")
    raw = read_yaml(path)
    policy = find_raw(raw, "precondition.hiring_policy")
    seniority = find_raw(raw, "precondition.hiring_policy.seniority")
    policy["children"].remove(seniority)
    raw["elements"].append(seniority)  # still starts with "precondition.", now top level
    write_yaml(path, raw)

    with pytest.raises(LibraryError) as caught:
        load(data_dir)

    assert str(caught.value) == (
        "precondition.hiring_policy.seniority: released in 2026.1 under "
        "{'structure': 'precondition', 'parent': 'precondition.hiring_policy'}; "
        "it may not move to {'structure': 'precondition', 'parent': None}")


def test_compatibility_refuses_an_id_moved_to_another_structure() -> None:
    library = load(DATA_DIR)
    released = {"barrier.stigma": {"structure": "attention_point", "parent": None}}

    with pytest.raises(LibraryError) as caught:
        check_compatible(released, library, "2025.9")

    assert str(caught.value) == (
        "barrier.stigma: released in 2025.9 under {'structure': 'attention_point', "
        "'parent': None}; it may not move to {'structure': 'barrier', 'parent': None}")


def test_compatibility_accepts_the_same_meaning() -> None:
    library = load(DATA_DIR)

    check_compatible(snapshot(library), library, "2026.1")


def test_library_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch,
                                             data_dir: Path) -> None:
    monkeypatch.delenv("PEERWORK_LIBRARY_DIR", raising=False)
    assert library_dir() == DATA_DIR

    monkeypatch.setenv("PEERWORK_LIBRARY_DIR", str(data_dir))
    assert library_dir() == data_dir


def test_release_writes_the_snapshot_of_a_new_version(data_dir: Path) -> None:
    for old in (data_dir / "released").glob("*.json"):
        old.unlink()

    output = release(data_dir)

    written = data_dir / "released" / "2026.1.json"
    assert json.loads(written.read_text(encoding="utf-8")) == snapshot(load(data_dir))
    assert output == f"Released version 2026.1: 142 ids frozen in {written}.\n"


def test_release_of_an_unchanged_version_is_a_no_op(data_dir: Path) -> None:
    before = (data_dir / "released" / "2026.1.json").read_bytes()

    output = release(data_dir)

    assert output == "Version 2026.1 is already released; nothing to do.\n"
    assert (data_dir / "released" / "2026.1.json").read_bytes() == before


def test_release_refuses_to_overwrite_a_published_version(data_dir: Path) -> None:
    before = (data_dir / "released" / "2026.1.json").read_bytes()
    add_element(data_dir)

    with pytest.raises(CommandError) as caught:
        release(data_dir)

    assert str(caught.value) == (
        "released/2026.1.json already exists and differs from the data: version 2026.1 is "
        "published. Give the library a new version in manifest.yaml before releasing the "
        "changes.")
    assert (data_dir / "released" / "2026.1.json").read_bytes() == before


def test_release_of_a_new_version_keeps_guarding_the_old_one(data_dir: Path) -> None:
    add_element(data_dir)
    set_version(data_dir, "2026.2")

    release(data_dir)

    assert sorted(p.name for p in (data_dir / "released").iterdir()) == [
        "2026.1.json", "2026.2.json"]
    frozen = json.loads((data_dir / "released" / "2026.2.json").read_text(encoding="utf-8"))
    assert frozen["precondition.hiring_policy.peer_mentors"] == {
        "structure": "precondition", "parent": "precondition.hiring_policy"}
    path = structure_file(data_dir, "precondition")
    raw = read_yaml(path)
    find_raw(raw, "precondition.hiring_policy")["children"].remove(
        find_raw(raw, "precondition.hiring_policy.seniority"))
    write_yaml(path, raw)
    drop_references(data_dir, "precondition.hiring_policy.seniority")
    with pytest.raises(LibraryError) as caught:
        load(data_dir)
    assert str(caught.value) == (
        "precondition.hiring_policy.seniority: released in 2026.1 and may not be removed")


def test_release_refuses_invalid_data(data_dir: Path) -> None:
    path = structure_file(data_dir, "role_form")
    raw = read_yaml(path)
    del raw["elements"][0]["why"]
    write_yaml(path, raw)

    with pytest.raises(CommandError) as caught:
        release(data_dir)

    assert str(caught.value) == (
        "The framework library is invalid: role_form.yaml: elements/0: "
        "'why' is a required property")


def test_release_refuses_a_version_that_cannot_name_a_file(data_dir: Path) -> None:
    set_version(data_dir, "../2026.2")

    with pytest.raises(CommandError) as caught:
        release(data_dir)

    assert str(caught.value) == "manifest.yaml: '../2026.2' cannot name a release file"
    assert not (data_dir / "2026.2.json").exists()
