"""API authentication: a personal API key (``Authorization: Bearer pw_…``) or
the browser session, which then needs the CSRF token on writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from peerwork.accounts.middleware import has_totp, requires_two_factor
from peerwork.accounts.services import user_for_api_key


class BearerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token)
        if user is None:
            return None
        # A key must not be a way around the two-factor requirement.
        if requires_two_factor(user) and not has_totp(user):
            return None
        request.user = user
        return user


AUTH: list[Any] = [BearerKey(), SessionAuth()]


def anyone(request: HttpRequest) -> bool:
    """Let the request through as it is (anonymous, or with a key that names no one).
    Last in a list, so a valid key or session still names the user first."""
    return True


# For routes that serve the public too and decide per object (``get_job_for``).
AUTH_OR_ANONYMOUS: list[Any] = [*AUTH, anyone]
