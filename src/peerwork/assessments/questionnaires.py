"""Assessment questionnaires: versioned data files, validated, and frozen once published.

``data/questionnaires/<id>-<version>.yaml`` holds one version. ``published.json``
records each published version's SHA-256; a published file whose bytes change is
refused, so results always mean what they meant when they were collected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from peerwork.framework.library import Library, LibraryError, get_library, load_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
QUESTIONNAIRE_DIR = DATA_DIR / "questionnaires"
CURRENT = ("readiness", 1)
# The structures whose elements an assessment scores.
SCORED_STRUCTURES = ("precondition", "attention_point", "barrier")

Text = dict[str, str]


class QuestionnaireError(LibraryError):
    """A questionnaire file is invalid or was changed after publication."""


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    measures: tuple[str, ...]
    text: dict[str, Text]  # position → {"en": …, "nb": …}
    stages: tuple[str, ...]  # empty: every stage

    def applies_to(self, stage: str) -> bool:
        return not self.stages or stage in self.stages


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: Text
    intro: Text
    scale: tuple[tuple[int, Text], ...]
    dont_know: Text
    sections: tuple[Section, ...]

    @property
    def key(self) -> str:
        return f"{self.id}-{self.version}"

    @cached_property
    def items(self) -> dict[str, Item]:
        return {i.id: i for s in self.sections for i in s.items}

    @cached_property
    def scale_values(self) -> frozenset[int]:
        return frozenset(value for value, _ in self.scale)

    def items_for(self, stage: str) -> list[Item]:
        return [i for s in self.sections for i in s.items if i.applies_to(stage)]

    def element_items(self, library: Library, stage: str) -> dict[str, list[str]]:
        """Each scored element → the items (of this stage) measuring it or its parts,
        in library order; elements no item measures are left out."""
        items = self.items_for(stage)
        result: dict[str, list[str]] = {}
        for structure_id in SCORED_STRUCTURES:
            structure = library.structure(structure_id)
            if structure is None:
                continue
            for element in structure.walk():
                prefix = element.id + "."
                measuring = [i.id for i in items
                             if any(m == element.id or m.startswith(prefix) for m in i.measures)]
                if measuring:
                    result[element.id] = measuring
        return result


def _path(questionnaire_id: str, version: int) -> Path:
    return QUESTIONNAIRE_DIR / f"{questionnaire_id}-{version}.yaml"


def _published() -> dict[str, str]:
    path = QUESTIONNAIRE_DIR / "published.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return data


def _parse(raw: dict[str, Any]) -> Questionnaire:
    sections = tuple(
        Section(id=s["id"], title=s["title"], items=tuple(
            Item(id=i["id"], section=s["id"], measures=tuple(i["measures"]), text=i["text"],
                 stages=tuple(i.get("stages", ())))
            for i in s["items"]))
        for s in raw["sections"]
    )
    return Questionnaire(
        id=raw["id"], version=raw["version"], title=raw["title"], intro=raw["intro"],
        scale=tuple((p["value"], p["label"]) for p in raw["scale"]["points"]),
        dont_know=raw["scale"]["dont_know"], sections=sections,
    )


def load(questionnaire_id: str, version: int, *, library: Library | None = None) -> Questionnaire:
    """Read, validate and cross-check one questionnaire version. Raises QuestionnaireError."""
    path = _path(questionnaire_id, version)
    try:
        content = path.read_bytes()
        raw = load_yaml(content)
        schema = json.loads((DATA_DIR / "questionnaire.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(raw, schema)
    except OSError as exc:
        raise QuestionnaireError(f"{path.name}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise QuestionnaireError(f"{path.name}: not valid YAML: {exc}") from exc
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise QuestionnaireError(f"{path.name}: {where}: {exc.message}") from exc
    frozen = _published().get(f"{questionnaire_id}-{version}")
    if frozen is not None and hashlib.sha256(content).hexdigest() != frozen:
        raise QuestionnaireError(
            f"{path.name}: this version is published and may not change; publish a new version")
    questionnaire = _parse(raw)
    if (questionnaire.id, questionnaire.version) != (questionnaire_id, version):
        raise QuestionnaireError(f"{path.name}: its id and version do not match the file name")
    library = library or get_library()
    seen: set[str] = set()
    for item in (i for s in questionnaire.sections for i in s.items):
        if item.id in seen:
            raise QuestionnaireError(f"{path.name}: item id {item.id!r} is used twice")
        seen.add(item.id)
        for element_id in item.measures:
            if library.element(element_id) is None:
                raise QuestionnaireError(
                    f"{path.name}: item {item.id!r} measures unknown element {element_id!r}")
    return questionnaire


@cache
def get_questionnaire(questionnaire_id: str = CURRENT[0], version: int = CURRENT[1]) -> Questionnaire:
    return load(questionnaire_id, version)


def fingerprint(questionnaire_id: str, version: int) -> str:
    return hashlib.sha256(_path(questionnaire_id, version).read_bytes()).hexdigest()
