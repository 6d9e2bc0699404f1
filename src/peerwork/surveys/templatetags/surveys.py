"""Template filters for survey pages: labels in the page's language, numbers, JSON."""

from __future__ import annotations

import json
from typing import Any

from django import template

from peerwork.surveys.definition import TYPE_LABELS

register = template.Library()


@register.filter
def get_lang(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("en") or ""


@register.filter
def qlabel(question: Any, lang: str) -> str:
    return str(question.label(lang))


@register.filter
def qhelp(question: Any, lang: str) -> str:
    return str(question.help_text(lang))


@register.filter
def clabel(choice: Any, lang: str) -> str:
    return str(choice.text(lang))


@register.filter
def plain(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


@register.filter
def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@register.filter
def step(question: Any) -> str:
    """The number input's step: 1 for whole numbers, 0.01 for two decimals."""
    return "1" if not question.decimals else "0." + "0" * (question.decimals - 1) + "1"


@register.filter
def type_label(question_type: str) -> str:
    """A question type as the builder names it ("Single choice"), not its code."""
    return str(TYPE_LABELS.get(question_type, question_type))


@register.filter
def figure(value: float | None, like: float | None = None) -> str:
    """A statistic as the page's language writes it (see results_charts.number_text);
    with ``like``, as many decimals as that figure gets (an interval's ends as its mean)."""
    from peerwork.surveys import results_charts  # noqa: PLC0415 - keeps template loading light

    decimals = None if like is None else results_charts.decimals_for(like)
    return results_charts.number_text(value, decimals)


@register.filter
def some_of_everyone(tables: Any) -> bool:
    """Whether any row of a scale table gives shares of every respondent ("*")."""
    return any(not table.base_is_answered for table in tables)


@register.filter
def percentile_hidden(percentiles: Any) -> bool:
    """Whether any of a number summary's (p, value) percentiles is hidden."""
    return any(value is None for _p, value in percentiles)


@register.filter
def groups_hidden(groups: Any) -> bool:
    """Whether any group of a number question's split has its statistics hidden."""
    return any(not summary.shown for _category, summary in groups)
