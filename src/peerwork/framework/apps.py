from __future__ import annotations

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class FrameworkConfig(AppConfig):
    name = "peerwork.framework"
    label = "framework"

    def ready(self) -> None:
        # Imported here because app modules may not load before the registry is ready.
        from peerwork.framework import reports  # noqa: F401, PLC0415 - registers the report kind
        from peerwork.framework.library import LibraryError, get_library  # noqa: PLC0415

        # Refuse to start on invalid library data rather than fail on a page later.
        try:
            get_library()
        except LibraryError as exc:
            raise ImproperlyConfigured(f"The framework library is invalid: {exc}") from exc
