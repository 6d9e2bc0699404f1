"""Results computed in the background, with the newest computed copy shown meanwhile.

A results page must answer fast however many answers there are. Figures are cached per
number of submitted answers (a submitted answer never changes). Up to
PEERWORK_RESULTS_INLINE_MAX answers a page computes missing figures itself; above it, a
page that finds none for the current count shows the newest computed ones (``latest``)
with a notice, and asks for one background task (``request``) that computes them and
records the count it computed (``computed``). Everything lives in the shared database
cache, so any web process and any ``db_worker`` see the same state.

``name`` identifies one wave's or round's results (with what they depend on, such as
*k*); ``what`` one kind of work on them (the tables, a crosstab, the trends).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

KEEP_SECONDS = 7 * 24 * 3600
# A queued task that a stopped worker never ran is asked for again after this long.
QUEUED_SECONDS = 3600


class Counted(Protocol):
    @property
    def respondents(self) -> int:
        """How many submitted answers the results include."""


W = TypeVar("W")
R = TypeVar("R", bound=Counted)


@dataclass(frozen=True)
class Shown(Generic[W, R]):
    """The results of a wave or round (``of``) a page shows now: the current ones, or the
    newest computed (None while none are) while the task computes the current ones."""

    of: W
    key: int  # ``of``'s id
    title: str  # ``of``'s title
    results: R | None
    submitted: int  # answers submitted now

    @property
    def inline(self) -> bool:
        return inline(self.submitted)

    @property
    def current(self) -> bool:
        """The results include every submitted answer."""
        return self.results is not None and self.results.respondents >= self.submitted

    @property
    def version(self) -> str:
        """Names what is shown, for the notice's poll."""
        return f"{self.key}.{'-' if self.results is None else self.results.respondents}"

    def notice(self) -> Notice:
        return Notice(self.title, None if self.results is None else self.results.respondents,
                      self.submitted)


def shown(of: W, *, key: int, title: str, submitted: int, cached: Callable[[int], R | None],
          compute: Callable[[], R], latest: Callable[[], R | None],
          ask: Callable[[], object]) -> Shown[W, R]:
    """The results of ``submitted`` answers if ``cached``; else, for a small wave or round,
    ``compute`` them now; for a large one ``ask`` for the task and show the ``latest``."""
    results = cached(submitted)
    if results is None:
        if inline(submitted):
            results = compute()
        else:
            ask()
            results = latest()
    return Shown(of, key, title, results, submitted)


@dataclass(frozen=True)
class Notice:
    """What the updating notice says about one wave or round."""

    title: str
    included: int | None  # answers behind the figures shown; None while none are shown
    submitted: int

    @property
    def partial(self) -> bool:
        """The figures shown leave out some of the submitted answers."""
        return self.included is not None and self.included < self.submitted


def inline(submitted: int) -> bool:
    """Whether results of ``submitted`` answers are small enough to compute in a request."""
    return submitted <= settings.PEERWORK_RESULTS_INLINE_MAX


def computed(name: str, count: int) -> None:
    """Record that the results of ``count`` answers are now in the cache."""
    cache.set(f"{name}:latest", count, timeout=KEEP_SECONDS)


def latest(name: str) -> int | None:
    """The count of the newest results computed for ``name``, or None."""
    found: int | None = cache.get(f"{name}:latest")
    return found


def request(name: str, what: str, enqueue: Callable[[dt.datetime | None], object], *,
            now: bool = False) -> bool:
    """Queue one background computation unless one is queued already; True if queued.

    ``enqueue(run_after)`` queues the task. Unless ``now``, a computation started less than
    PEERWORK_RESULTS_REFRESH_SECONDS ago makes the next one wait until that time is up.
    The task calls ``started`` first, so answers that arrive while it runs ask again."""
    if not cache.add(f"{name}:{what}:queued", True, timeout=QUEUED_SECONDS):
        return False
    run_after = None
    last: float | None = None if now else cache.get(f"{name}:{what}:started")
    if last is not None:
        wait = last + settings.PEERWORK_RESULTS_REFRESH_SECONDS - time.time()
        if wait > 0:
            run_after = timezone.now() + dt.timedelta(seconds=wait)
    try:
        enqueue(run_after)
    except BaseException:
        cache.delete(f"{name}:{what}:queued")
        raise
    return True


def started(name: str, what: str) -> None:
    """Called by the task as it starts: the next request queues a new one."""
    cache.set(f"{name}:{what}:started", time.time(), timeout=KEEP_SECONDS)
    cache.delete(f"{name}:{what}:queued")
