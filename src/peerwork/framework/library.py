"""The framework library: versioned, bilingual reference data loaded from
``data/``, validated against ``data/library.schema.json`` and against every
released version (an id, once published, keeps its structure and parent).

The library is read-only and the same in every process, so it is loaded once
per process and kept in memory.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
# libyaml's loader when PyYAML was built with it: ten times faster, same safety.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes) -> Any:
    """Parse YAML data files with a safe loader (no Python objects)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader is a safe loader, C or Python
LANGUAGES = ("en", "nb")


class LibraryError(Exception):
    """The library's data files are invalid. The message says where and why."""


Text = dict[str, str]


@dataclass(frozen=True)
class Source:
    document: str
    lines: str
    note: Text | None = None


@dataclass
class Element:
    id: str
    structure: str
    parent: str | None
    label: str
    title: Text
    summary: Text
    why: Text
    source: Source
    related: tuple[str, ...]
    attributes: dict[str, Any]
    children: list[Element] = field(default_factory=list)
    depth: int = 0

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Structure:
    id: str
    order: int
    title: Text
    summary: Text
    source: Source
    elements: list[Element]

    def walk(self) -> Iterator[Element]:
        for element in self.elements:
            yield from element.walk()


@dataclass
class Library:
    version: str
    documents: dict[str, dict[str, str]]
    structures: list[Structure]
    elements: dict[str, Element]
    _index: dict[str, list[tuple[Element, str, str]]] = field(default_factory=dict, repr=False)

    def structure(self, structure_id: str) -> Structure | None:
        return next((s for s in self.structures if s.id == structure_id), None)

    def element(self, element_id: str) -> Element | None:
        return self.elements.get(element_id)

    def search(self, query: str, language: str) -> list[Element]:
        """Elements whose id, title, summary or why contain every word of ``query``.

        Matches ignore case and accents (``ae`` does not match ``æ``, but ``e``
        matches ``é``) and rank title hits before text hits.
        """
        words = [_fold(w) for w in query.split() if w.strip()]
        if not words:
            return []
        scored: list[tuple[int, int, Element]] = []
        for position, (element, title, body) in enumerate(self._search_index(language)):
            if all(w in title or w in body for w in words):
                rank = 0 if all(w in title for w in words) else 1
                scored.append((rank, position, element))
        return [element for _, _, element in sorted(scored, key=lambda t: (t[0], t[1]))]


    def _search_index(self, language: str) -> list[tuple[Element, str, str]]:
        """Each element with its folded title and text, made once per language: the
        library does not change while a process runs."""
        cached = self._index.get(language)
        if cached is None:
            cached = [(e, _fold(e.title[language]),
                       " ".join([e.id, _fold(e.summary[language]), _fold(e.why[language])]))
                      for e in self.elements.values()]
            self._index[language] = cached
        return cached


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Keep Norwegian letters whole; strip other combining accents.
    return "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u030a")


def _source(raw: dict[str, Any]) -> Source:
    return Source(document=raw["document"], lines=raw["lines"], note=raw.get("note"))


def _element(raw: dict[str, Any], structure: str, parent: str | None, depth: int) -> Element:
    element = Element(
        id=raw["id"], structure=structure, parent=parent, label=raw.get("label", ""),
        title=raw["title"], summary=raw["summary"], why=raw["why"],
        source=_source(raw["source"]), related=tuple(raw.get("related", ())),
        attributes=dict(raw.get("attributes", {})), depth=depth,
    )
    element.children = [_element(c, structure, element.id, depth + 1)
                        for c in raw.get("children", ())]
    return element


def _check_integrity(library: Library) -> None:
    seen: dict[str, Element] = {}
    for structure in library.structures:
        if structure.source.document not in library.documents:
            raise LibraryError(f"{structure.id}: unknown source document "
                               f"{structure.source.document!r}")
        for element in structure.walk():
            if element.id in seen:
                raise LibraryError(f"{element.id}: the id is used twice")
            prefix = (element.parent or structure.id) + "."
            if not element.id.startswith(prefix):
                raise LibraryError(f"{element.id}: the id must start with {prefix!r}")
            if element.source.document not in library.documents:
                raise LibraryError(f"{element.id}: unknown source document "
                                   f"{element.source.document!r}")
            seen[element.id] = element
    for element in seen.values():
        for other in element.related:
            if other not in seen:
                raise LibraryError(f"{element.id}: related id {other!r} does not exist")
            if other == element.id:
                raise LibraryError(f"{element.id}: an element cannot be related to itself")


def snapshot(library: Library) -> dict[str, dict[str, str | None]]:
    """What each id means, for freezing a release: its structure and parent."""
    return {e.id: {"structure": e.structure, "parent": e.parent}
            for e in library.elements.values()}


def check_compatible(released: dict[str, dict[str, str | None]], library: Library,
                     version: str) -> None:
    """Refuse a library that drops an id of ``version`` or moves it elsewhere."""
    for element_id, meaning in released.items():
        element = library.elements.get(element_id)
        if element is None:
            raise LibraryError(f"{element_id}: released in {version} and may not be removed")
        now = {"structure": element.structure, "parent": element.parent}
        if now != meaning:
            raise LibraryError(
                f"{element_id}: released in {version} under {meaning}; it may not move to {now}"
            )


def load(data_dir: Path = DATA_DIR) -> Library:
    """Read, validate and cross-check the library in ``data_dir``. Raises LibraryError."""
    try:
        manifest = load_yaml((data_dir / "manifest.yaml").read_text(encoding="utf-8"))
        schema = json.loads((data_dir / "library.schema.json").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, json.JSONDecodeError) as exc:
        raise LibraryError(f"cannot read the library manifest or schema: {exc}") from exc
    _check_manifest(manifest)
    structures = []
    for structure_id in manifest["structures"]:
        path = data_dir / "structures" / f"{structure_id}.yaml"
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
            jsonschema.validate(raw, schema)
        except OSError as exc:
            raise LibraryError(f"{path.name}: cannot be read: {exc}") from exc
        except yaml.YAMLError as exc:
            raise LibraryError(f"{path.name}: not valid YAML: {exc}") from exc
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
            raise LibraryError(f"{path.name}: {where}: {exc.message}") from exc
        if raw["id"] != structure_id:
            raise LibraryError(f"{path.name}: its id is {raw['id']!r}, expected {structure_id!r}")
        structures.append(Structure(
            id=raw["id"], order=raw["order"], title=raw["title"], summary=raw["summary"],
            source=_source(raw["source"]),
            elements=[_element(e, raw["id"], None, 0) for e in raw["elements"]],
        ))
    structures.sort(key=lambda s: s.order)
    library = Library(
        version=str(manifest["version"]), documents=manifest["documents"],
        structures=structures,
        elements={e.id: e for s in structures for e in s.walk()},
    )
    _check_integrity(library)
    for released in sorted((data_dir / "released").glob("*.json")):
        try:
            frozen = json.loads(released.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LibraryError(f"released/{released.name}: cannot be read: {exc}") from exc
        check_compatible(frozen, library, released.stem)
    return library


def _check_manifest(manifest: Any) -> None:
    # The manifest is small and has no schema of its own; check the keys load() relies
    # on, so a mistake in it is reported as such rather than as a KeyError.
    if not isinstance(manifest, dict):
        raise LibraryError("manifest.yaml: must be a mapping")
    for key, kind in (("version", (str, int, float)), ("documents", dict), ("structures", list)):
        if not isinstance(manifest.get(key), kind):
            raise LibraryError(f"manifest.yaml: {key!r} is missing or has the wrong type")
    if not all(isinstance(s, str) for s in manifest["structures"]):
        raise LibraryError("manifest.yaml: 'structures' must list structure ids")


def library_dir() -> Path:
    """The data directory in use: ``PEERWORK_LIBRARY_DIR`` if set, else the shipped one."""
    return Path(os.environ.get("PEERWORK_LIBRARY_DIR") or DATA_DIR)


@cache
def get_library() -> Library:
    """The library of this installation, loaded once per process."""
    return load(library_dir())
