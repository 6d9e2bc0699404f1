from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerwork.accounts"
    label = "accounts"
