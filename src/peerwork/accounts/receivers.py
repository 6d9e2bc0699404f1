"""Reactions to allauth's signals."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation


@receiver(authenticator_added)
def totp_activation_counts_as_reauthentication(
    sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    # Confirming a new TOTP code proves the second factor just now, as allauth's own
    # reauthentication by code does. Without this record, someone whose role forced
    # the set-up (and so was not asked for the password again) would be asked for it
    # on the very next page, the one that shows their new recovery codes.
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk,
                              type=authenticator.type, reauthenticated=True)


@receiver(user_logged_in)
def speak_the_users_language_at_once(sender: Any, request: HttpRequest, user: Any,
                                     **kwargs: Any) -> None:
    # The "you are logged in" message is written during the login request, which
    # still runs in the browser's language; switch now so it matches the next page.
    language = getattr(user, "language", "")
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
