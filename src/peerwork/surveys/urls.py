from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []

from peerwork.surveys.results_urls import urlpatterns as _results  # noqa: E402

urlpatterns += _results
