"""Routes for survey results, suppression and exports (developer B's list).

Included at the end of peerwork.surveys.urls, under the same "surveys" namespace.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
