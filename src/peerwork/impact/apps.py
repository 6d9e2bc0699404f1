"""The impact log: service improvements peer workers raised, followed through their stages."""
from __future__ import annotations

from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "peerwork.impact"
    label = "impact"

    def ready(self) -> None:
        # Imported here: app modules may not load before the registry is ready.
        from peerwork.impact import reports, rules  # noqa: F401, PLC0415 - register kind and permissions
