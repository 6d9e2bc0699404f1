"""Surveys: questionnaires of any shape, anonymous recurring waves, results with
small-cell suppression, exports."""
from __future__ import annotations

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class SurveysConfig(AppConfig):
    name = "peerwork.surveys"
    label = "surveys"

    def ready(self) -> None:
        # Imported here: app modules may not load before the registry is ready.
        from peerwork.surveys import (  # noqa: F401, PLC0415 - register permissions and report kinds
            reports,
            results_rules,
            rules,
        )
        from peerwork.surveys.shipped import TemplateError, shipped_templates  # noqa: PLC0415

        # Refuse to start on a broken shipped template rather than fail in the builder.
        try:
            shipped_templates()
        except TemplateError as exc:
            raise ImproperlyConfigured(f"A survey template is invalid: {exc}") from exc
