"""Copies of the library's data directory that a test may break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from peerwork.framework.library import DATA_DIR


def read_yaml(path: Path) -> Any:
    # The C safe loader: the same result as yaml.safe_load, many times faster.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True,
                              sort_keys=False), encoding="utf-8")


def structure_file(data_dir: Path, structure_id: str) -> Path:
    return data_dir / "structures" / f"{structure_id}.yaml"


def walk_raw(elements: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for element in elements:
        yield element
        yield from walk_raw(element.get("children", []))


def find_raw(raw: dict[str, Any], element_id: str) -> dict[str, Any]:
    return next(e for e in walk_raw(raw["elements"]) if e["id"] == element_id)


def drop_references(data_dir: Path, element_id: str) -> None:
    """Remove ``element_id`` from every ``related`` list, so only its absence is wrong."""
    for path in (data_dir / "structures").glob("*.yaml"):
        raw = read_yaml(path)
        for element in walk_raw(raw["elements"]):
            if element_id in element.get("related", []):
                element["related"].remove(element_id)
        write_yaml(path, raw)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data directory, released versions included."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy
