"""Routes for survey results, suppression and exports (developer B's list).

Included at the end of peerwork.surveys.urls, under the same "surveys" namespace.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from peerwork.surveys import (
    reports,  # noqa: F401 - registers the wave report's builder
    results_rules,  # noqa: F401 - registers the export permission
)
from peerwork.surveys import results_views as views

WAVE = "o/<slug:slug>/surveys/waves/<int:wave_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<slug:slug>/surveys/results/", views.wave_index, name="results_index"),
    path(WAVE + "results/", views.results, name="results"),
    path(WAVE + "results/crosstab/", views.crosstab, name="crosstab"),
    path(WAVE + "results/trends/", views.trends, name="trends"),
    path(WAVE + "results/standing/", views.standing, name="standing"),
    path(WAVE + "report/", views.report, name="report"),
    path(WAVE + "report/pdf/", views.report_pdf, name="report_pdf"),
    path(WAVE + "export/<str:name>", views.export, name="export"),
]
