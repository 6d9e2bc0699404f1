"""Optimistic concurrency: a row carries a ``version``; a write names the version it
was based on and succeeds only if no one else wrote in between."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model


class StaleVersion(Exception):
    """Someone else saved a newer version; nothing was written."""

    def __init__(self, current: int) -> None:
        super().__init__(f"stale version; the current version is {current}")
        self.current = current


def save_if_current(instance: Model, *, expected: int, fields: list[str]) -> None:
    """Write ``fields`` of ``instance`` and bump its version, if the stored version is
    still ``expected``; otherwise raise :class:`StaleVersion` and write nothing."""
    model: Any = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    if "updated" in {f.name for f in model._meta.get_fields()}:
        from django.utils import timezone  # noqa: PLC0415 - only for models with `updated`

        values["updated"] = timezone.now()
    changed = model._base_manager.filter(pk=instance.pk, version=expected).update(
        version=F("version") + 1, **values)
    if changed == 0:
        current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise StaleVersion(int(current or 0))
    instance.version = expected + 1  # type: ignore[attr-defined]
