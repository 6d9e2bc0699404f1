"""A stand-in for peerwork.surveys.definition until developer A's branch is merged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

AGREE5 = [(str(i), {"en": str(i), "nb": str(i)}) for i in range(1, 6)]
DK = ("dk", {"en": "Don't know", "nb": "Vet ikke"})


@dataclass(frozen=True)
class Row:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label_text: dict[str, str]
    choices: list[tuple[str, dict[str, str]]]
    rows: tuple[Row, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    background: bool = False
    match: str = ""

    def label(self, lang: str) -> str:
        return self.label_text[lang]


@dataclass(frozen=True)
class Definition:
    raw: dict[str, Any]
    items: tuple[Question, ...]

    def questions(self) -> list[Question]:
        return list(self.items)


def load_definition(data: dict[str, Any]) -> Definition:
    items = []
    for section in data["sections"]:
        for q in section["questions"]:
            choices = [(c["value"], c["label"]) for c in q.get("choices", [])]
            if q.get("scale"):
                choices = [*AGREE5, DK] if q["type"] == "likert" else list(AGREE5)
            items.append(Question(
                id=q["id"], type=q["type"], label_text=q["label"], choices=choices,
                rows=tuple(Row(r["id"], r["label"]) for r in q.get("rows", [])),
                unit=q.get("unit"), min=q.get("min"), max=q.get("max"),
                background=bool(q.get("background")), match=q.get("match") or q["id"]))
    return Definition(raw=data, items=tuple(items))
