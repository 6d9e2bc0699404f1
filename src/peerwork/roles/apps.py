from __future__ import annotations

from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "peerwork.roles"
    label = "roles"
