"""The start page, the health check and the error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from peerwork.framework.library import get_library


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"library": get_library()})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when this process can reach the database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "take me out of rotation"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("The request was malformed. Check what you sent and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You do not have access to this page."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("There is nothing here, or you do not have access to it."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("The error is logged. Please try again in a moment."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, _(
        "The form had expired or came from somewhere else. Go back, reload the page and try again."
    ))
