"""One cache entry per subject, holding only the latest version of it.

Results are cached until the next answer arrives. Kept under a key per number of
answers, the cache (a database table, in backups too) would hold the results before
and after each answer side by side, each with its time of writing: the difference
between two is what that one respondent answered, and the times say roughly when.
Kept in one slot per subject, a new version replaces the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def latest(key: str, version: str, compute: Callable[[], T], timeout: int) -> T:
    """The value in slot ``key`` if it was made for ``version``; else ``compute()``,
    which then replaces whatever the slot held."""
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == version:
        return found[1]
    value = compute()
    cache.set(key, (version, value), timeout=timeout)
    return value
