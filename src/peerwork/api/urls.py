"""The REST API, version 1, with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from peerwork.api import (
    assessments,
    impact,
    library,
    organisations,
    qualitative,
    reports,
    roles,
    survey_results,
    surveys,
)

api = NinjaAPI(
    title="Peerwork API",
    version="1.0.0",
    description=(
        "Peerwork's REST API. Authenticate with a personal API key "
        "(`Authorization: Bearer pw_…`, created on your account page) or a browser session."
    ),
    docs_url=None,  # the interactive docs page needs scripts our CSP does not allow
    urls_namespace="api-1.0.0",
)
api.add_router("/library", library.router)
api.add_router("/organisations", organisations.router)
api.add_router("/organisations", assessments.router)
api.add_router("/benchmark", assessments.benchmark_router)
api.add_router("/answer", assessments.answer_router)
api.add_router("/reports", reports.router)
api.add_router("/organisations", surveys.router)
api.add_router("/organisations", survey_results.router)
api.add_router("/survey-answers", surveys.answer_router)
api.add_router("/organisations", roles.router)
api.add_router("/organisations", impact.router)
api.add_router("/organisations", qualitative.router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages}, status=400)
