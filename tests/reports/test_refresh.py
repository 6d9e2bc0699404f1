"""reports.refresh: at most one queued background computation per thing, spaced by
PEERWORK_RESULTS_REFRESH_SECONDS, and the newest computed count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from peerwork.reports import refresh

pytestmark = pytest.mark.django_db

NAME = "test:refresh:1"


@pytest.fixture(autouse=True)
def empty_cache(settings: Any) -> None:
    settings.PEERWORK_RESULTS_REFRESH_SECONDS = 60
    cache.clear()


def test_refresh_request_queues_once_until_the_task_starts() -> None:
    queued: list[dt.datetime | None] = []

    first = refresh.request(NAME, "tables", queued.append)
    second = refresh.request(NAME, "tables", queued.append)
    other = refresh.request(NAME, "trends", queued.append)
    refresh.started(NAME, "tables")
    third = refresh.request(NAME, "tables", queued.append)

    assert (first, second, other, third) == (True, False, True, True)
    assert queued[:2] == [None, None]
    assert queued[2] is not None  # started just now: waits out the interval
    wait = (queued[2] - timezone.now()).total_seconds()
    assert 58 < wait <= 60


def test_refresh_request_now_does_not_wait() -> None:
    queued: list[dt.datetime | None] = []
    refresh.started(NAME, "tables")

    refresh.request(NAME, "tables", queued.append, now=True)

    assert queued == [None]


def test_refresh_request_that_fails_to_queue_can_be_asked_again() -> None:
    def broken(run_after: dt.datetime | None) -> None:
        raise RuntimeError("the database is gone")

    with pytest.raises(RuntimeError):
        refresh.request(NAME, "tables", broken)

    assert refresh.request(NAME, "tables", lambda run_after: None) is True


def test_refresh_latest_is_the_last_count_computed() -> None:
    assert refresh.latest(NAME) is None
    refresh.computed(NAME, 25)
    refresh.computed(NAME, 30)

    assert refresh.latest(NAME) == 30


def test_refresh_inline_up_to_the_setting(settings: Any) -> None:
    settings.PEERWORK_RESULTS_INLINE_MAX = 10

    assert (refresh.inline(10), refresh.inline(11)) == (True, False)


def test_refresh_notice_is_partial_only_when_answers_are_left_out() -> None:
    assert refresh.Notice("W", 25, 30).partial
    assert not refresh.Notice("W", 30, 30).partial
    assert not refresh.Notice("W", None, 30).partial
