from __future__ import annotations

from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "peerwork.impact"
    label = "impact"
