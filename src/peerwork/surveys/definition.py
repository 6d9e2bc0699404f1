"""A survey's definition: the data shapes every part of the app reads.

A definition is a dict (stored as JSON in a SurveyVersion) validated against
``data/definition.schema.json`` and then checked for what a schema cannot say:
unique ids, known scales, sane ranges, and skip logic that reads only earlier
questions. ``load_definition`` returns frozen objects; see SURVEYS_CONTRACT.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema
from django.utils.translation import gettext_lazy as _

from peerwork.surveys import expressions

SCHEMA_PATH = Path(__file__).parent / "data" / "definition.schema.json"
QUESTION_TYPES = ("single", "multiple", "likert", "number", "date", "text", "longtext", "matrix")
CHOICE_TYPES = frozenset({"single", "multiple", "likert", "matrix"})
DONT_KNOW = "dk"
TEXT_MAX = {"text": 300, "longtext": 5000}

Text = dict[str, str]


def _t(en: str, nb: str) -> Text:
    return {"en": en, "nb": nb}


# Shared answer scales (values 1..5, plus "dk" for "don't know" where a question allows it).
SCALES: dict[str, tuple[tuple[str, Text], ...]] = {
    "agree5": (
        ("1", _t("Strongly disagree", "Helt uenig")),
        ("2", _t("Disagree", "Uenig")),
        ("3", _t("Neither agree nor disagree", "Verken enig eller uenig")),
        ("4", _t("Agree", "Enig")),
        ("5", _t("Strongly agree", "Helt enig")),
    ),
    "extent5": (
        ("1", _t("Not at all", "Ikke i det hele tatt")),
        ("2", _t("To a small extent", "I liten grad")),
        ("3", _t("To some extent", "I noen grad")),
        ("4", _t("To a large extent", "I stor grad")),
        ("5", _t("To a very large extent", "I svært stor grad")),
    ),
    "frequency5": (
        ("1", _t("Never", "Aldri")),
        ("2", _t("Rarely", "Sjelden")),
        ("3", _t("Sometimes", "Av og til")),
        ("4", _t("Often", "Ofte")),
        ("5", _t("Always", "Alltid")),
    ),
    "satisfaction5": (
        ("1", _t("Very dissatisfied", "Svært misfornøyd")),
        ("2", _t("Dissatisfied", "Misfornøyd")),
        ("3", _t("Neither satisfied nor dissatisfied", "Verken fornøyd eller misfornøyd")),
        ("4", _t("Satisfied", "Fornøyd")),
        ("5", _t("Very satisfied", "Svært fornøyd")),
    ),
}
DONT_KNOW_LABEL = _t("Don't know", "Vet ikke")
SCALE_LABELS = {
    "agree5": _("Agree – disagree, 5 points"),
    "extent5": _("To what extent, 5 points"),
    "frequency5": _("How often, 5 points"),
    "satisfaction5": _("Satisfaction, 5 points"),
}


class DefinitionError(ValueError):
    """The definition is not valid; ``messages`` lists every problem found."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _label(text: Text | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("en") or text.get("nb") or ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text

    def text(self, lang: str) -> str:
        return _label(self.label, lang)


@dataclass(frozen=True)
class Row:
    id: str
    label: Text

    def text(self, lang: str) -> str:
        return _label(self.label, lang)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label_text: Text
    section: str
    help: Text | None = None
    required: bool = False
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    decimals: int = 0
    relevant: str | None = None
    condition: list[Any] | None = None  # the parsed ``relevant``
    background: bool = False
    match: str = ""
    scale: str | None = None
    dont_know: bool = False
    choice_list: tuple[Choice, ...] = ()
    rows: tuple[Row, ...] = ()
    max_length: int = 300

    def label(self, lang: str) -> str:
        return _label(self.label_text, lang)

    def help_text(self, lang: str) -> str:
        return _label(self.help, lang)

    @property
    def choices(self) -> list[tuple[str, Text]]:
        """(value, label) pairs, the "don't know" option last where allowed."""
        return [(c.value, c.label) for c in self.choice_list]

    def choice_label(self, value: str, lang: str) -> str:
        for choice in self.choice_list:
            if choice.value == value:
                return choice.text(lang)
        return value

    def variables(self) -> list[str]:
        """The column names this question gives in a wave's data frame."""
        if self.type == "multiple":
            return [f"{self.id}__{c.value}" for c in self.choice_list]
        if self.type == "matrix":
            return [f"{self.id}__{r.id}" for r in self.rows]
        return [self.id]


@dataclass(frozen=True)
class Section:
    id: str
    title_text: Text
    questions: tuple[Question, ...]
    intro: Text | None = None
    relevant: str | None = None
    condition: list[Any] | None = None

    def title(self, lang: str) -> str:
        return _label(self.title_text, lang)

    def intro_text(self, lang: str) -> str:
        return _label(self.intro, lang)


@dataclass(frozen=True)
class Definition:
    key: str
    version: int
    title_text: Text
    sections: tuple[Section, ...]
    intro: Text | None = None
    sources: tuple[dict[str, str], ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def title(self, lang: str) -> str:
        return _label(self.title_text, lang)

    def intro_text(self, lang: str) -> str:
        return _label(self.intro, lang)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}

    def background(self) -> list[Question]:
        return [q for q in self.questions() if q.background]

    def variables(self) -> list[str]:
        return [v for q in self.questions() for v in q.variables()]


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else str(_("(the whole definition)"))


def _quoted(name: object) -> str:
    return _("“%(name)s”") % {"name": name}


def _not_earlier(where: object, unknown: set[str]) -> str:
    return _("%(where)s: the skip logic reads %(names)s, which is not an earlier question.") % {
        "where": where, "names": ", ".join(sorted(unknown))}


def _schema_problem(error: jsonschema.ValidationError) -> str:
    """A JSON Schema error in the reader's language where we know its kind; the
    library's own (English) wording otherwise."""
    where = _where(error.absolute_path)
    kind, value = error.validator, cast(Any, error.validator_value)
    schema_here = error.schema if isinstance(error.schema, dict) else {}
    if kind == "required":
        missing = [name for name in value if isinstance(error.instance, dict) and name not in error.instance]
        return _("%(where)s: “%(name)s” is missing.") % {"where": where, "name": ", ".join(missing)}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(schema_here.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        return _("%(where)s: unknown key %(names)s.") % {"where": where, "names": ", ".join(extra)}
    if kind == "enum":
        return _("%(where)s: must be one of %(values)s.") % {
            "where": where, "values": ", ".join(str(v) for v in value)}
    if kind == "type":
        return _("%(where)s: has the wrong type (expected %(type)s).") % {
            "where": where, "type": value if isinstance(value, str) else ", ".join(value)}
    if kind in ("minItems", "minLength"):
        return _("%(where)s: is empty or too short.") % {"where": where}
    if kind in ("maxItems", "maxLength"):
        return _("%(where)s: is too long.") % {"where": where}
    if kind == "pattern":
        return _("%(where)s: “%(value)s” does not have the allowed form (%(pattern)s).") % {
            "where": where, "value": error.instance, "pattern": value}
    return f"{where}: {error.message}"


def definition_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON: what a published version is pinned to."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _question(raw: dict[str, Any], section: str, earlier: set[str], problems: list[str]) -> Question:
    qid, qtype = raw["id"], raw["type"]
    where = _("Question %(id)s") % {"id": _quoted(qid)}
    choices: tuple[Choice, ...] = ()
    scale = raw.get("scale")
    if qtype in ("likert", "matrix") and scale:
        if scale not in SCALES:
            problems.append(_("%(where)s: unknown scale %(scale)s (known: %(known)s).") % {
                "where": where, "scale": _quoted(scale), "known": ", ".join(sorted(SCALES))})
        else:
            choices = tuple(Choice(v, dict(lbl)) for v, lbl in SCALES[scale])
    if "choices" in raw:
        if scale:
            problems.append(_("%(where)s: give either a scale or choices, not both.") % {"where": where})
        choices = tuple(Choice(c["value"], dict(c["label"])) for c in raw["choices"])
    if qtype in CHOICE_TYPES and not choices:
        needs = (_("%(where)s: a question of type “%(type)s” needs choices or a scale.")
                 if qtype in ("likert", "matrix") else
                 _("%(where)s: a question of type “%(type)s” needs choices."))
        problems.append(needs % {"where": where, "type": TYPE_LABELS[qtype]})
    if qtype not in CHOICE_TYPES and ("choices" in raw or scale):
        problems.append(_("%(where)s: a question of type “%(type)s” takes no choices.") % {
            "where": where, "type": TYPE_LABELS[qtype]})
    values = [c.value for c in choices]
    if len(set(values)) != len(values):
        problems.append(_("%(where)s: two choices have the same value.") % {"where": where})
    dont_know = bool(raw.get("dont_know", qtype == "likert"))
    if dont_know and qtype in ("likert", "matrix", "single") and DONT_KNOW not in values:
        choices = (*choices, Choice(DONT_KNOW, dict(DONT_KNOW_LABEL)))
    rows = tuple(Row(r["id"], dict(r["label"])) for r in raw.get("rows", ()))
    if qtype == "matrix" and not rows:
        problems.append(_("%(where)s: a matrix needs rows.") % {"where": where})
    if qtype != "matrix" and rows:
        problems.append(_("%(where)s: only a matrix has rows.") % {"where": where})
    low, high = raw.get("min"), raw.get("max")
    if qtype not in ("number",) and (low is not None or high is not None):
        problems.append(_("%(where)s: only a number question has a smallest and largest value.") % {
            "where": where})
    if low is not None and high is not None and low > high:
        problems.append(_("%(where)s: the smallest value (%(low)s) is greater than the largest "
                          "(%(high)s).") % {"where": where, "low": low, "high": high})
    condition = None
    relevant = raw.get("relevant") or None
    if relevant:
        try:
            condition = expressions.parse(relevant)
        except expressions.ExpressionError as exc:
            problems.append(_("%(where)s: skip logic: %(problem)s") % {"where": where, "problem": exc})
        else:
            unknown = expressions.references(condition) - earlier
            if unknown:
                problems.append(_not_earlier(where, unknown))
    return Question(
        id=qid, type=qtype, label_text=dict(raw["label"]), section=section,
        help=dict(raw["help"]) if raw.get("help") else None, required=bool(raw.get("required", False)),
        unit=raw.get("unit") or None, min=low, max=high, decimals=int(raw.get("decimals", 0)),
        relevant=relevant, condition=condition, background=bool(raw.get("background", False)),
        match=raw.get("match") or qid, scale=scale, dont_know=dont_know, choice_list=choices,
        rows=rows, max_length=int(raw.get("max_length", TEXT_MAX.get(qtype, 300))),
    )


def validate_definition(data: Any) -> list[str]:
    """Every problem with ``data`` as a readable message; empty when it is valid."""
    try:
        load_definition(data)
    except DefinitionError as exc:
        return exc.messages
    return []


def load_definition(data: Any) -> Definition:
    """A checked, frozen Definition, or DefinitionError listing what is wrong."""
    if not isinstance(data, dict):
        raise DefinitionError([str(_("A definition must be an object (a mapping of keys to values)."))])
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise DefinitionError([_schema_problem(e) for e in errors[:20]])
    problems: list[str] = []
    seen: set[str] = set()
    sections: list[Section] = []
    section_ids: set[str] = set()
    for raw_section in data["sections"]:
        sid = raw_section["id"]
        if sid in section_ids:
            problems.append(_("Section %(id)s: two sections have this id.") % {"id": _quoted(sid)})
        section_ids.add(sid)
        condition = None
        if raw_section.get("relevant"):
            try:
                condition = expressions.parse(raw_section["relevant"])
                unknown = expressions.references(condition) - seen
                if unknown:
                    problems.append(_not_earlier(_("Section %(id)s") % {"id": _quoted(sid)}, unknown))
            except expressions.ExpressionError as exc:
                problems.append(_("Section %(id)s: skip logic: %(problem)s") % {
                    "id": _quoted(sid), "problem": exc})
        questions = []
        for raw_q in raw_section["questions"]:
            if raw_q["id"] in seen:
                problems.append(_("Question %(id)s: two questions have this id.") % {
                    "id": _quoted(raw_q["id"])})
            questions.append(_question(raw_q, sid, set(seen), problems))
            seen.add(raw_q["id"])
        sections.append(Section(id=sid, title_text=dict(raw_section["title"]),
                                questions=tuple(questions),
                                intro=dict(raw_section["intro"]) if raw_section.get("intro") else None,
                                relevant=raw_section.get("relevant") or None, condition=condition))
    matches = [q.match for s in sections for q in s.questions]
    if len(set(matches)) != len(matches):
        problems.append(str(_("Two questions have the same match key.")))
    if problems:
        raise DefinitionError(problems)
    return Definition(key=data["key"], version=data["version"], title_text=dict(data["title"]),
                      intro=dict(data["intro"]) if data.get("intro") else None,
                      sources=tuple(dict(s) for s in data.get("sources", ())),
                      sections=tuple(sections), raw=data)


TYPE_LABELS = {
    "single": _("Single choice"),
    "multiple": _("Multiple choice"),
    "likert": _("Scale (Likert)"),
    "number": _("Number"),
    "date": _("Date"),
    "text": _("Short text"),
    "longtext": _("Long text"),
    "matrix": _("Matrix (rows on one scale)"),
}
