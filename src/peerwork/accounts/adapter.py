"""Allauth hooks: accounts come from invitations only, and two-factor
authentication cannot be switched off by those whose role requires it."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join through an organisation's invitation (peerwork.orgs.services).
        return False


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from peerwork.accounts.middleware import requires_two_factor  # noqa: PLC0415 - middleware imports this module's app

        if authenticator.type == Authenticator.Type.TOTP:
            return not requires_two_factor(authenticator.user)
        return True
