"""Per-user language, and two-factor authentication where a role requires it."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from peerwork.orgs.enums import ROLES_REQUIRING_2FA
from peerwork.orgs.models import Membership

Handler = Callable[[HttpRequest], HttpResponse]


class UserLanguageMiddleware:
    """A logged-in user's chosen language beats the browser's (issue 2)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        chosen = getattr(user, "language", "") if user.is_authenticated else ""
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        # A view that sets or deletes the cookie itself (the preferences page) has the last word.
        if (chosen and settings.LANGUAGE_COOKIE_NAME not in response.cookies
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, chosen, max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax", httponly=True,
            )
        return response


def requires_two_factor(user: object) -> bool:
    """Platform administrators, national analysts and organisation administrators."""
    if getattr(user, "is_staff", False):
        return True
    with scopes_disabled():
        return Membership.objects.filter(
            user=user, is_active=True, role__in=ROLES_REQUIRING_2FA
        ).exists()


def has_totp(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/language/", "/invitations/")


class RequireTwoFactorMiddleware:
    """Send users whose role requires two-factor authentication to set it up first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and requires_two_factor(user)
            and not has_totp(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Set up two-factor authentication to use this account.")},
                    status=403,
                )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
