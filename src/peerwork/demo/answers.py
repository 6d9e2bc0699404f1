"""Plausible made-up answers to any survey definition, for the demo's waves.

A ``Tilt`` says how one wave's respondents lean: weights for choices, a mean for each
scale question (moved by ``shift``, so waves can improve), groups that see things
differently, numbers drawn by a function, and a few free-text answers. Everything is
drawn from the ``random.Random`` passed in, so a fixed seed gives the same answers.
The raw values go through the same cleaning as a respondent's form or the API.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peerwork.surveys import answers as answer_rules
from peerwork.surveys.definition import Definition, Question

Draw = Callable[[random.Random], Any]


@dataclass(frozen=True)
class Tilt:
    shift: float = 0.0  # added to every scale's mean
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    means: Mapping[str, float] = field(default_factory=dict)  # question id or "id.row"
    # (question id, value) → how much further up or down that group puts every scale
    groups: Mapping[tuple[str, str], float] = field(default_factory=dict)
    numbers: Mapping[str, Draw] = field(default_factory=dict)
    texts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    text_share: float = 0.25  # how many write something in a free-text question
    pick_share: float = 0.35  # how often each option of a multiple choice is ticked
    skip: float = 0.05  # how often an optional question is left unanswered
    always: frozenset[str] = frozenset()  # optional questions everyone answers
    default_mean: float = 3.4


def _default_weights(question: Question) -> dict[str, float]:
    """Uneven but fixed weights for a question nobody tilted, from its id."""
    seeded = random.Random(zlib.crc32(question.id.encode()))  # noqa: S311 - demo data
    return {c.value: (0.15 if c.value in {"dk", "other", "none"} else 0.5 + seeded.random())
            for c in question.choice_list}


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    values = list(weights)
    return rng.choices(values, weights=[weights[v] for v in values])[0]


def _scale(rng: random.Random, mean: float, values: set[str]) -> str:
    if "dk" in values and rng.random() < 0.03:
        return "dk"
    return str(max(1, min(5, round(rng.gauss(mean, 0.95)))))


def _mean(tilt: Tilt, key: str, lift: float) -> float:
    return tilt.means.get(key, tilt.default_mean) + tilt.shift + lift


def _raw(question: Question, tilt: Tilt, rng: random.Random, lift: float) -> Any:
    values = {c.value for c in question.choice_list}
    if question.type == "single":
        return _weighted(rng, tilt.weights.get(question.id) or _default_weights(question))
    if question.type == "likert":
        return _scale(rng, _mean(tilt, question.id, lift), values)
    if question.type == "matrix":
        return {row.id: _scale(rng, _mean(tilt, f"{question.id}.{row.id}", lift), values)
                for row in question.rows}
    if question.type == "multiple":
        weights = tilt.weights.get(question.id, {})
        picked = [c.value for c in question.choice_list if c.value != "none"
                  and rng.random() < weights.get(c.value, tilt.pick_share)]
        return (picked or ["none"]) if "none" in values else picked
    if question.type == "number" and question.id in tilt.numbers:
        return tilt.numbers[question.id](rng)
    if question.type in ("text", "longtext") and tilt.texts.get(question.id):
        return rng.choice(list(tilt.texts[question.id])) if rng.random() < tilt.text_share else None
    return None  # numbers, dates and texts the tilt says nothing about stay unanswered


def respondent(definition: Definition, tilt: Tilt, rng: random.Random) -> dict[str, Any]:
    """One respondent's cleaned answers, skip logic applied."""
    answers: dict[str, Any] = {}
    for question in definition.questions():
        if (not question.required and question.id not in tilt.always
                and rng.random() < tilt.skip):
            continue
        lift = sum(shift for (qid, value), shift in tilt.groups.items() if answers.get(qid) == value)
        raw = _raw(question, tilt, rng, lift)
        if raw is None:
            continue
        value = answer_rules.clean_answer(question, raw)
        if not answer_rules.is_empty(value):
            answers[question.id] = value
    return answer_rules.prune(definition, answers)
