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
