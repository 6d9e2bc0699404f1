"""Reading a respondent's raw form values into typed answers, with clear messages.

Pure functions over a Definition: the web form, the HTMX save, the API and the
one-page submission all go through ``clean_answer`` and ``check_complete``.
Form field names: ``q-<id>`` (one value, or several for multiple choice) and
``q-<id>-<rowid>`` for a matrix row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from peerwork.surveys import expressions
from peerwork.surveys.definition import Definition, Question, Section


class AnswerError(ValueError):
    """One answer is not acceptable; the message says why, for the respondent."""


def _number(question: Question, raw: str) -> float | int:
    text = raw.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise AnswerError(_("Write a number, for example 42.")) from exc
    if not number.is_finite():
        raise AnswerError(_("Write a number, for example 42."))
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > question.decimals:
        if question.decimals == 0:
            raise AnswerError(_("Write a whole number."))
        raise AnswerError(_("Use at most %(n)s decimals.") % {"n": question.decimals})
    if question.min is not None and number < Decimal(str(question.min)):
        raise AnswerError(_("The smallest answer allowed is %(min)s.") % {"min": _plain(question.min)})
    if question.max is not None and number > Decimal(str(question.max)):
        raise AnswerError(_("The largest answer allowed is %(max)s.") % {"max": _plain(question.max)})
    return int(number) if question.decimals == 0 else float(number)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def clean_answer(question: Question, raw: Any) -> Any:
    """The typed value of one answer, None for "no answer", or AnswerError.

    ``raw`` is a string, a list of strings (multiple choice) or a dict row→string (matrix)."""
    values = {c.value for c in question.choice_list}
    if question.type == "multiple":
        chosen = raw if isinstance(raw, list) else ([raw] if raw not in (None, "") else [])
        chosen = [str(c) for c in chosen if str(c) != ""]
        if any(c not in values for c in chosen):
            raise AnswerError(_("Choose among the answers shown."))
        # Keep the definition's order; an empty list means "shown, none chosen".
        return [c.value for c in question.choice_list if c.value in chosen]
    if question.type == "matrix":
        cells = raw if isinstance(raw, Mapping) else {}
        out: dict[str, str] = {}
        for row in question.rows:
            cell = cells.get(row.id)
            if cell in (None, ""):
                continue
            if str(cell) not in values:
                raise AnswerError(_("Choose among the answers shown."))
            out[row.id] = str(cell)
        return out or None
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, bool):
        raise AnswerError(_("This answer has the wrong type."))
    if question.type in ("single", "likert"):
        if str(raw) not in values:
            raise AnswerError(_("Choose one of the answers shown."))
        return str(raw)
    if question.type == "number":
        return _number(question, str(raw))
    if question.type == "date":
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError as exc:
            raise AnswerError(_("Write the date as YYYY-MM-DD, for example 2024-03-01.")) from exc
        if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise AnswerError(_("Write a date between 1900 and 2100."))
        return day.isoformat()
    text = str(raw).strip()
    if len(text) > question.max_length:
        raise AnswerError(_("Write at most %(n)s characters.") % {"n": question.max_length})
    return text


def raw_from_form(question: Question, data: Any) -> Any:
    """The raw value of ``question`` from a QueryDict-like form body, or None if absent."""
    name = f"q-{question.id}"
    if question.type == "multiple":
        if name not in data and f"{name}-shown" not in data:
            return None
        return [v for v in data.getlist(name) if v]
    if question.type == "matrix":
        cells = {r.id: data.get(f"{name}-{r.id}") for r in question.rows if f"{name}-{r.id}" in data}
        return cells if cells else None
    return data.get(name) if name in data else None


def visible(node: Any, answers: Mapping[str, Any]) -> bool:
    return expressions.is_true(node, dict(answers))


def shown_questions(definition: Definition, answers: Mapping[str, Any]) -> list[Question]:
    """The questions a respondent sees given their answers (skip logic applied in order)."""
    shown: list[Question] = []
    for section in definition.sections:
        if not visible(section.condition, answers):
            continue
        shown.extend(q for q in section.questions if visible(q.condition, answers))
    return shown


def shown_sections(definition: Definition, answers: Mapping[str, Any]) -> list[Section]:
    return [s for s in definition.sections if visible(s.condition, answers)
            and any(visible(q.condition, answers) for q in s.questions)]


def prune(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to questions that skip logic now hides (so no stale answer is kept)."""
    keep = {q.id for q in shown_questions(definition, answers)}
    return {k: v for k, v in answers.items() if k in keep}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == {}


def missing_required(definition: Definition, answers: Mapping[str, Any],
                     questions: list[Question] | None = None) -> list[Question]:
    """Required questions (among ``questions``, default all shown) left unanswered."""
    pool = questions if questions is not None else shown_questions(definition, answers)
    out = []
    for q in pool:
        value = answers.get(q.id)
        if not q.required:
            continue
        if q.type == "multiple":
            if not value:
                out.append(q)
        elif q.type == "matrix":
            if not isinstance(value, dict) or any(r.id not in value for r in q.rows):
                out.append(q)
        elif is_empty(value):
            out.append(q)
    return out


def clean_form(definition: Definition, questions: list[Question], data: Any,
               answers: dict[str, Any]) -> dict[str, str]:
    """Read ``questions`` from the form into ``answers`` (in place); returns errors by id."""
    errors: dict[str, str] = {}
    for q in questions:
        raw = raw_from_form(q, data)
        if raw is None and q.type not in ("single", "likert", "matrix"):
            continue
        try:
            value = clean_answer(q, raw)
        except AnswerError as exc:
            errors[q.id] = str(exc)
            continue
        if is_empty(value):
            answers.pop(q.id, None)
        else:
            answers[q.id] = value
    return errors
