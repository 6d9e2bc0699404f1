from __future__ import annotations

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class AssessmentsConfig(AppConfig):
    name = "peerwork.assessments"
    label = "assessments"

    def ready(self) -> None:
        # Imported here: app modules may not load before the registry is ready.
        from peerwork.assessments import reports, rules  # noqa: F401, PLC0415 - register kinds and permissions
        from peerwork.assessments.questionnaires import (  # noqa: PLC0415
            QuestionnaireError,
            get_questionnaire,
        )
        from peerwork.assessments.recommendations import get_recommendations  # noqa: PLC0415

        # Refuse to start on a broken or altered questionnaire rather than fail mid-round.
        try:
            get_questionnaire()
            get_recommendations()
        except QuestionnaireError as exc:
            raise ImproperlyConfigured(f"The assessment data is invalid: {exc}") from exc
