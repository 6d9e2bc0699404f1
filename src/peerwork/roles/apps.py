"""Role design: classification, checks against the hiring policy and the preconditions,
and the documents a manager and a peer worker agree to."""
from __future__ import annotations

from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "peerwork.roles"
    label = "roles"

    def ready(self) -> None:
        # Imported here: app modules may not load before the registry is ready.
        from peerwork.roles import rules  # noqa: F401, PLC0415 - register permissions
