"""Rate limiting of the open anonymous links, inside the submission's own transaction.

One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per request, on a table whose key is
a keyed hash of (network address, minute, scope): no IP address is stored, and a
submission stays one transaction (a cache-based limiter would add two write
transactions to every anonymous POST). Works on SQLite ≥ 3.35 and PostgreSQL.

A bucket is written in the same transaction as the answer it counts, so while it exists
it could be tied to that answer (on PostgreSQL both rows carry the writing transaction's
id), and whoever holds SECRET_KEY could find the address by hashing every IPv4 address
with that minute. So buckets must not outlive their minute: each process deletes every
bucket of an earlier minute with its first count in a new minute, inside that count's
transaction, and counts that minute as tidied only once the transaction commits.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from peerwork.surveys.models import RateBucket

PERIODS = {"s": 1, "m": 60, "h": 3600}
# The latest window this process has deleted every earlier bucket in (see the docstring).
_tidied = {"window": -1}


class Limited(Exception):
    """Too many requests from this address in this period."""


def parse_rate(rate: str) -> tuple[int, int] | None:
    """"60/m" -> (60, 60); empty -> None (no limit)."""
    if not rate:
        return None
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period[-1]] * int(period[:-1] or 1)


def _key(request: HttpRequest, scope: str, window: int) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    message = f"{scope}|{window}|{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def current_window(seconds: int) -> int:
    """The number of the ``seconds``-long window we are in, counted from the epoch."""
    return int(time.time() // seconds)


def check(request: HttpRequest, scope: str) -> None:
    """Count this request; raise Limited past the limit. Call it inside the transaction
    that does the work, so a refused request leaves nothing behind."""
    limit = parse_rate(settings.PEERWORK_SURVEY_RATE)
    if limit is None:
        return
    allowed, seconds = limit
    window = current_window(seconds)
    table = RateBucket._meta.db_table
    with connection.cursor() as cursor:
        if _tidied["window"] != window:
            cursor.execute(f'DELETE FROM {table} WHERE "minute" < %s', [window])  # noqa: S608 - our table
            transaction.on_commit(lambda: _tidied.update(window=window))
        cursor.execute(
            f'INSERT INTO {table} ("key", "minute", "count") VALUES (%s, %s, 1) '  # noqa: S608 - our table name
            'ON CONFLICT ("key") DO UPDATE SET "count" = ' + table + '."count" + 1 RETURNING "count"',
            [_key(request, scope, window), window])
        count = cursor.fetchone()[0]
    if count > allowed:
        raise Limited
