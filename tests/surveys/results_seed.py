"""Submitted answers for results tests, through developer A's submit service."""

from __future__ import annotations

import random
from typing import Any

from peerwork.surveys import services
from peerwork.surveys.models import Wave

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
