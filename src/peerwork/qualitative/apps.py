"""Qualitative analysis with Systematic Text Condensation, for teams that include peer co-researchers."""
from __future__ import annotations

from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "peerwork.qualitative"
    label = "qualitative"

    def ready(self) -> None:
        from peerwork.qualitative import reports, rules  # noqa: F401, PLC0415 - register kinds and permissions
