"""Writes to a person's own account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import ApiToken, User
from peerwork.core.secrets import new_secret, secret_hash
from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction


def set_preferences(*, user: Any, name: str | None = None, language: str | None = None) -> Any:
    """Save the user's display name and language ("" = follow the browser)."""
    fields = []
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ValidationError(_("Choose English or Norsk bokmål."))
        user.language = language
        fields.append("language")
    if name is not None:
        user.name = name.strip()[:150]
        fields.append("name")
    if fields:
        user.save(update_fields=fields)
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str


def create_api_token(*, user: Any, name: str) -> IssuedToken:
    """A new API key for ``user``. The returned key is never stored or shown again."""
    key = new_secret("pw_")
    token = ApiToken.objects.create(user=user, name=name.strip()[:100] or "API",
                                    prefix=key[3:11], key_hash=secret_hash(key))
    return IssuedToken(token=token, key=key)


def revoke_api_token(*, user: Any, token_id: int) -> bool:
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def user_for_api_key(key: str) -> Any | None:
    token = ApiToken.objects.filter(key_hash=secret_hash(key)).select_related("user").first()
    if token is None or not token.user.is_active:
        return None
    today = timezone.localdate()
    if token.last_used != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used=today)
    return token.user


@transaction.atomic
def create_platform_admin(*, email: str, password: str, name: str = "", actor: Any = None) -> User:
    """A platform administrator (superuser), recorded in the platform audit trail."""
    user = User.objects.create_superuser(email.strip().lower(), password, name=name)
    audit.record(actor=actor, action=AuditAction.PLATFORM_ADMIN_CREATED, target=user.email)
    return user
