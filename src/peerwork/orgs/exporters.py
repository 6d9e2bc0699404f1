"""Audit trail export: CSV that is safe to open in a spreadsheet."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

from defusedcsv import csv

from peerwork.orgs.models import AuditEvent

AUDIT_COLUMNS = ("time", "organisation", "actor", "action", "target", "detail")


def audit_rows(events: Iterable[AuditEvent]) -> Iterable[list[str]]:
    yield list(AUDIT_COLUMNS)
    for event in events:
        yield [
            event.created.isoformat(timespec="seconds"),
            event.organisation.slug if event.organisation else "",
            event.actor_email,
            event.action,
            event.target,
            json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
        ]


def audit_csv(events: Iterable[AuditEvent]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in audit_rows(events):
        writer.writerow(row)
    return buffer.getvalue()
