"""Allauth hooks: accounts come from invitations only, and two-factor
authentication cannot be switched off by those whose role requires it."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join through an organisation's invitation (peerwork.orgs.services).
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Someone sent to set up the two-factor authentication their role requires
        # has just typed their password and has no second factor to protect yet:
        # asking for the password again would only be in the way.
        from peerwork.accounts.middleware import has_totp, requires_two_factor  # noqa: PLC0415 - middleware imports this app

        request = self.request or context.request
        user = getattr(request, "user", None)
        if (app == "allauth.mfa" and user is not None and user.is_authenticated
                and requires_two_factor(user) and not has_totp(user)):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from peerwork.accounts.middleware import requires_two_factor  # noqa: PLC0415 - middleware imports this module's app

        if authenticator.type == Authenticator.Type.TOTP:
            return not requires_two_factor(authenticator.user)
        return True
