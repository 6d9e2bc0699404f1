from __future__ import annotations

from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "peerwork.qualitative"
    label = "qualitative"
