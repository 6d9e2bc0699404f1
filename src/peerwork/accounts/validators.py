"""Password rules with messages in Peerwork's own catalogue, so they are Norwegian too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator:
    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return ngettext(
            "The password must have at least %(min_length)d character.",
            "The password must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
