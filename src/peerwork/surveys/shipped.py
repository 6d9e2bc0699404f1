"""The shipped questionnaire templates (data/templates/*.yaml), loaded and checked once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from peerwork.surveys.definition import Definition, DefinitionError, load_definition

FOLDER = Path(__file__).parent / "data" / "templates"
ORDER = ("national-peer-worker", "io5-institutions", "model4-impact")


class TemplateError(ValueError):
    pass


@cache
def shipped_templates() -> dict[str, tuple[dict[str, Any], Definition]]:
    """key -> (raw definition, checked Definition), in a fixed order."""
    found: dict[str, tuple[dict[str, Any], Definition]] = {}
    for key in ORDER:
        path = FOLDER / f"{key}.yaml"
        if not path.exists():
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            found[key] = (raw, load_definition(raw))
        except DefinitionError as exc:
            raise TemplateError(f"{path.name}: {exc}") from exc
        if raw["key"] != key:
            raise TemplateError(f"{path.name}: key {raw['key']!r} does not match the file name")
    return found
