"""Peerwork's recommendations, keyed by the framework elements they address."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import jsonschema
import yaml

from peerwork.assessments.questionnaires import DATA_DIR, QuestionnaireError
from peerwork.framework.library import get_library, load_yaml

Text = dict[str, str]


@dataclass(frozen=True)
class Recommendation:
    id: str
    elements: tuple[str, ...]
    title: Text
    action: Text
    why: Text
    stages: tuple[str, ...]
    role_forms: tuple[str, ...]

    def fits(self, *, stage: str, role_form: str) -> bool:
        return ((not self.stages or stage in self.stages)
                and (not self.role_forms or role_form in self.role_forms))

    def addresses(self, element_id: str) -> bool:
        """True when it names the element, one of its parts, or the area it belongs to."""
        return any(e == element_id or e.startswith(element_id + ".")
                   or element_id.startswith(e + ".") for e in self.elements)


@cache
def get_recommendations() -> tuple[Recommendation, ...]:
    path = DATA_DIR / "recommendations.yaml"
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        schema = json.loads((DATA_DIR / "recommendations.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(raw, schema)
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionnaireError(f"{path.name}: cannot be read: {exc}") from exc
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise QuestionnaireError(f"{path.name}: {where}: {exc.message}") from exc
    library = get_library()
    result = []
    for entry in raw["recommendations"]:
        for element_id in entry["elements"]:
            if library.element(element_id) is None:
                raise QuestionnaireError(
                    f"{path.name}: {entry['id']!r} names unknown element {element_id!r}")
        result.append(Recommendation(
            id=entry["id"], elements=tuple(entry["elements"]), title=entry["title"],
            action=entry["action"], why=entry["why"], stages=tuple(entry.get("stages", ())),
            role_forms=tuple(entry.get("role_forms", ())),
        ))
    return tuple(result)


def for_element(element_id: str, *, stage: str, role_form: str) -> list[Recommendation]:
    return [r for r in get_recommendations()
            if r.addresses(element_id) and r.fits(stage=stage, role_form=role_form)]
