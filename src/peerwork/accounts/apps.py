from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerwork.accounts"
    label = "accounts"

    def ready(self) -> None:
        from peerwork.accounts import receivers  # noqa: F401, PLC0415 - connects the signal receivers
