"""The builder's edits to a draft definition, as pure functions on a copy of the dict.

Each returns a new dict; the caller saves it through services.save_draft, which
validates the whole definition, so an edit that would break it is refused whole.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _


class EditError(ValueError):
    pass


def _section(data: dict[str, Any], section_id: str) -> dict[str, Any]:
    for section in data["sections"]:
        if section["id"] == section_id:
            return section
    raise EditError(_("Unknown section."))


def _locate(data: dict[str, Any], question_id: str) -> tuple[dict[str, Any], int]:
    for section in data["sections"]:
        for index, question in enumerate(section["questions"]):
            if question["id"] == question_id:
                return section, index
    raise EditError(_("Unknown question."))


def put_info(definition: dict[str, Any], *, title: dict[str, str],
             intro: dict[str, str]) -> dict[str, Any]:
    """Change the survey's title and the introduction respondents read first (none if both
    languages are empty; one language fills in for the other)."""
    data = copy.deepcopy(definition)
    data["title"] = title
    if intro["en"].strip() or intro["nb"].strip():
        data["intro"] = {"en": intro["en"].strip() or intro["nb"].strip(),
                         "nb": intro["nb"].strip() or intro["en"].strip()}
    else:
        data.pop("intro", None)
    return data


def put_section(definition: dict[str, Any], *, section_id: str, title: dict[str, str],
                relevant: str = "", original: str = "") -> dict[str, Any]:
    """Add a section (with a placeholder question to be edited) or change one."""
    data = copy.deepcopy(definition)
    if original:
        section = _section(data, original)
        section["id"], section["title"] = section_id, title
    else:
        if any(s["id"] == section_id for s in data["sections"]):
            raise EditError(_("A section with this id exists already."))
        section = {"id": section_id, "title": title, "questions": [{
            "id": f"{section_id}_q1"[:40], "type": "text",
            "label": {"en": "New question", "nb": "Nytt spørsmål"}}]}
        data["sections"].append(section)
    if relevant.strip():
        section["relevant"] = relevant.strip()
    else:
        section.pop("relevant", None)
    return data


def put_question(definition: dict[str, Any], *, section_id: str, question: dict[str, Any],
                 original: str = "") -> dict[str, Any]:
    """Add ``question`` at the end of a section, or replace the one with id ``original``."""
    data = copy.deepcopy(definition)
    if original:
        section, index = _locate(data, original)
        section["questions"][index] = question
    else:
        if any(q["id"] == question["id"] for s in data["sections"] for q in s["questions"]):
            raise EditError(_("A question with this id exists already."))
        _section(data, section_id)["questions"].append(question)
    return data


def move(definition: dict[str, Any], *, kind: str, item_id: str, up: bool) -> dict[str, Any]:
    """Move a section or a question one place up or down (within its section)."""
    data = copy.deepcopy(definition)
    if kind == "section":
        items = data["sections"]
        index = next((i for i, s in enumerate(items) if s["id"] == item_id), None)
        if index is None:
            raise EditError(_("Unknown section."))
    else:
        section, index = _locate(data, item_id)
        items = section["questions"]
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return data


def delete(definition: dict[str, Any], *, kind: str, item_id: str) -> dict[str, Any]:
    data = copy.deepcopy(definition)
    if kind == "section":
        if len(data["sections"]) == 1:
            raise EditError(_("A survey needs at least one section."))
        data["sections"] = [s for s in data["sections"] if s["id"] != item_id]
        return data
    section, index = _locate(data, item_id)
    if len(section["questions"]) == 1:
        raise EditError(_("A section needs at least one question; delete the section instead."))
    del section["questions"][index]
    return data


def parse_lines(text: str, *, what: str) -> list[tuple[str, str, str]]:
    """Lines "value | English | Norsk" (the Norwegian may be left out)."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise EditError(_("%(what)s, line %(n)s: write it as value | English | Norsk.")
                            % {"what": what, "n": number})
        out.append((parts[0], parts[1], parts[2] if len(parts) > 2 and parts[2] else parts[1]))
    return out


def lines_of(items: list[dict[str, Any]], key: str) -> str:
    return "\n".join(f"{i[key]} | {i['label']['en']} | {i['label']['nb']}" for i in items)
