"""Helpers for impact-log tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peerwork.impact import services
from peerwork.impact.models import Improvement

ENTRY: dict[str, Any] = {
    "title": "Evening phone line for families",
    "problem": "Families had nobody to call after four in the afternoon.",
    "experience_source": "service_users",
    "function": "model4.function.boundary_spanning",
    "level": "model4.outcome.service",
    "outcome": "",
}


def log_entry(world: Any, *, identified_on: dt.date = dt.date(2026, 1, 5), **overrides: Any
              ) -> Improvement:
    return services.log_improvement(actor=world.peer, organisation=world.org,
                                    data={**ENTRY, **overrides}, identified_on=identified_on)
