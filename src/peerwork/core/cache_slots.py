"""One cache entry per subject, holding only the latest version of it.

Results are cached until the next answer arrives. Kept under a key per number of
answers, the cache (a database table, in backups too) would hold the results before
and after each answer side by side, each with its time of writing: the difference
between two is what that one respondent answered, and the times say roughly when.
Kept in one slot per subject, a new version replaces the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache

T = TypeVar("T")


def get(key: str, version: str) -> Any:
    """The value in slot ``key`` if it was made for ``version``, else None."""
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == version:
        return found[1]
    return None


def put(key: str, version: str, value: object, timeout: int) -> None:
    """Keep ``value``, made for ``version``, in slot ``key`` in place of whatever it held."""
    cache.set(key, (version, value), timeout=timeout)


def latest(key: str, version: str, compute: Callable[[], T], timeout: int) -> T:
    """The value in slot ``key`` if it was made for ``version``; else ``compute()``,
    which then replaces whatever the slot held."""
    found = get(key, version)
    if found is not None:
        return cast(T, found)
    value = compute()
    put(key, version, value, timeout)
    return value
