"""Submitted answers for results tests, through developer A's submit service."""

from __future__ import annotations

import random
from typing import Any

from peerwork.surveys import services
from peerwork.surveys.definition import Definition
from peerwork.surveys.models import Wave
from peerwork.surveys.queries import definition_of
from peerwork.surveys.shipped import shipped_templates
from surveys.conftest import open_wave

SECTORS = ("municipal", "specialist", "ngo")


def answers(index: int, rng: random.Random, sector: str, comment: str = "") -> dict[str, Any]:
    return {"sector": sector, "fte": rng.choice([50, 80, 100]),
            "salary": 400000 + 5000 * rng.randint(0, 40), "tasks": rng.sample(["groups", "one_to_one"], 1),
            "jd_clear": rng.choice(["1", "2", "3", "4", "5"]), "started": f"20{10 + index % 12}-03-01",
            "phases": {"design": rng.choice(["2", "4"]), "delivery": "5"},
            "title_text": "Erfaringskonsulent", "comment": comment or f"Comment number {index}"}


def submit_many(wave: Wave, sectors: list[str], *, seed: int = 7, comment: str = "") -> None:
    """One submitted response per entry of ``sectors``."""
    rng = random.Random(seed)
    for index, sector in enumerate(sectors):
        services.submit_whole(wave=wave, key=f"seed-{wave.pk}-{index}",
                              answers=answers(index, rng, sector, comment))


def another_wave(world: Any, wave: Wave, title: str) -> Wave:
    """A further wave of ``wave``'s survey and version (a yearly repeat)."""
    return services.open_wave(actor=world.analyst, version=wave.version, title=title,
                              closes_on=wave.closes_on, purpose=wave.purpose, stored=wave.stored,
                              retention=wave.retention, contact=wave.contact)


# Plausible answers for the shipped national survey (and any other definition): numbers
# by question id where a realistic spread matters, otherwise drawn from the definition.
NUMBER_SPREADS = {"salary": (480_000.0, 60_000.0, 1000), "fte": (70.0, 25.0, 10),
                  "started_year": (2017.0, 4.0, 1)}
PHRASES = ("Good colleagues", "Too little time", "Clear tasks", "More training, please",
           "Supervision helps", "Unclear role")


def _number(question: Any, rng: random.Random) -> int:
    low = question.min if question.min is not None else 0.0
    high = question.max if question.max is not None else 100.0
    centre, spread, step = NUMBER_SPREADS.get(question.id, ((low + high) / 2, (high - low) / 6, 1))
    value = min(max(rng.gauss(centre, spread), low), high)
    return int(min(max(round(value / step) * step, low), high))


def _skewed(values: list[str], rng: random.Random) -> str:
    """Later values (agreement, larger extent) a little more often, as in real surveys."""
    return rng.choices(values, weights=[1 + i for i in range(len(values))])[0]


def varied_answers(definition: Definition, rng: random.Random, *, skip: float = 0.06) -> dict[str, Any]:
    """One respondent's answers to every question of ``definition``; an optional
    question is skipped with probability ``skip`` (skip logic prunes the rest)."""
    out: dict[str, Any] = {}
    for q in definition.questions():
        if not q.required and rng.random() < skip:
            continue
        values = [c.value for c in q.choice_list]
        if q.type in ("single", "likert"):
            out[q.id] = _skewed(values, rng)
        elif q.type == "multiple":
            out[q.id] = [v for v in values if rng.random() < 0.45]
        elif q.type == "matrix":
            out[q.id] = {row.id: _skewed(values, rng) for row in q.rows if rng.random() >= skip}
        elif q.type == "number":
            out[q.id] = _number(q, rng)
        elif q.type == "date":
            out[q.id] = f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}-01"
        else:
            out[q.id] = rng.choice(PHRASES)
    return out


def submit_varied(wave: Wave, n: int, *, seed: int = 11) -> None:
    """``n`` submitted responses of plausible, varied answers to the wave's questions."""
    rng = random.Random(seed)
    definition = definition_of(wave.version)
    for index in range(n):
        services.submit_whole(wave=wave, key=f"varied-{wave.pk}-{index}",
                              answers=varied_answers(definition, rng))


def national_survey_wave(world: Any, title: str = "Wave 2027") -> Wave:
    """An open wave of the shipped national peer-worker survey."""
    raw, _definition = shipped_templates()["national-peer-worker"]
    return open_wave(world, raw, title=title)
