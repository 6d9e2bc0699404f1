"""The audit trail: administrators read, filter and export it; nobody else sees it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.orgs import services
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import AuditEvent, Organisation

# A valid email address (RFC 5322 allows = | ' ! in the local part) that a
# spreadsheet would run as a formula if written unescaped.
FORMULA_EMAIL = "=cmd|'/ccalc'!a0@evil.test"


def events_of(organisation: Organisation | None) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organisation=organisation)
                    .select_related("organisation").order_by("-created", "-id"))


def set_day(action: str, day: dt.date) -> None:
    """Move the events of ``action`` to noon of ``day`` (``created`` is set on insert)."""
    noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    with scopes_disabled():
        AuditEvent.objects.filter(action=action).update(created=noon)


def targets(response: Any) -> list[str]:
    return [e.target for e in response.context["events"]]


def test_audit_page_lists_own_organisations_events_only(world):
    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/audit/")

    # Assert
    assert response.status_code == 200
    assert response.context["total"] == 6  # created + five members joined
    body = response.content.decode()
    assert "analyst@fjordvik.test" in body
    assert "charlie@secretdal.test" not in body
    assert "secretdal-rus" not in body


def test_audit_filter_by_action(world):
    # Arrange
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="nina@fjordvik.test", role=Role.PEER_WORKER)

    # Act
    response = world.client_for(world.org_admin).get(
        f"/o/{world.org.slug}/audit/", {"action": AuditAction.MEMBER_INVITED})

    # Assert
    assert response.status_code == 200
    assert targets(response) == ["nina@fjordvik.test"]
    assert response.context["total"] == 1


def test_audit_filter_by_actor(world):
    # Arrange
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="nina@fjordvik.test", role=Role.PEER_WORKER)
    services.update_organisation(actor=world.org_admin, organisation=world.org,
                                 region="Sogn")

    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/audit/",
                                                      {"actor": "ORG_ADMIN@"})

    # Assert
    assert [e.action for e in response.context["events"]] == [
        AuditAction.ORG_UPDATED, AuditAction.MEMBER_INVITED]


def test_audit_filter_by_dates(world):
    # Arrange
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="nina@fjordvik.test", role=Role.PEER_WORKER)
    set_day(AuditAction.ORG_CREATED, dt.date(2026, 1, 10))
    set_day(AuditAction.MEMBER_JOINED, dt.date(2026, 2, 10))
    set_day(AuditAction.MEMBER_INVITED, dt.date(2026, 3, 10))
    client = world.client_for(world.org_admin)

    # Act
    since = client.get(f"/o/{world.org.slug}/audit/", {"since": "2026-03-01"})
    until = client.get(f"/o/{world.org.slug}/audit/", {"until": "2026-01-31"})
    between = client.get(f"/o/{world.org.slug}/audit/",
                         {"since": "2026-02-10", "until": "2026-02-10"})

    # Assert
    assert targets(since) == ["nina@fjordvik.test"]
    assert targets(until) == [world.org.slug]
    assert sorted(targets(between)) == [
        "analyst@fjordvik.test", "colleague@fjordvik.test", "manager@fjordvik.test",
        "org_admin@fjordvik.test", "peer@fjordvik.test"]


@pytest.mark.parametrize("query", [{"action": "member.exploded"}, {"since": "yesterday"},
                                   {"until": "2026-13-01"}])
def test_audit_bad_filter_is_refused(world, query):
    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/audit/", query)

    # Assert
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_audit_csv_export_has_every_event_and_records_itself(world):
    # Arrange
    services.update_organisation(actor=world.org_admin, organisation=world.org,
                                 size_band="10-49")

    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/audit/",
                                                      {"format": "csv"})

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{world.org.slug}.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    expected = [["time", "organisation", "actor", "action", "target", "detail"]] + [
        [e.created.isoformat(timespec="seconds"), world.org.slug, e.actor_email, e.action,
         e.target, json.dumps(e.detail, ensure_ascii=False, sort_keys=True)]
        for e in events_of(world.org)
    ]
    assert rows == expected
    assert rows[1][3:5] == ["audit.exported", world.org.slug]
    assert rows[2][3:] == ["org.updated", world.org.slug,
                           '{"changed": {"size_band": ["", "10-49"]}}']
    assert len(rows) == 1 + 8


def test_audit_csv_export_applies_filters(world):
    # Act
    response = world.client_for(world.org_admin).get(
        f"/o/{world.org.slug}/audit/", {"format": "csv", "action": AuditAction.ORG_CREATED})

    # Assert
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[3:5] for row in rows[1:]] == [["org.created", world.org.slug]]


def test_audit_csv_export_escapes_formulas(world, django_capture_on_commit_callbacks):
    # Arrange: the address is valid, so the members page accepts it.
    client = world.client_for(world.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(f"/o/{world.org.slug}/members/",
                              {"email": FORMULA_EMAIL, "role": Role.PEER_WORKER})

    # Act
    response = client.get(f"/o/{world.org.slug}/audit/",
                          {"format": "csv", "action": AuditAction.MEMBER_INVITED})

    # Assert
    assert invited.status_code == 302
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][4] == "'=cmd\\|'/ccalc'!a0@evil.test"
    assert all(not cell.startswith(("=", "+", "-", "@", "|")) for row in rows for cell in row)


@pytest.mark.parametrize("persona", ["manager", "peer", "colleague", "analyst", "charlie"])
def test_audit_csv_export_is_not_found_for_non_admins(world, persona):
    # Act
    response = world.client_for(getattr(world, persona)).get(
        f"/o/{world.org.slug}/audit/", {"format": "csv"})

    # Assert
    assert response.status_code == 404
    assert "org_admin@fjordvik.test" not in response.content.decode()
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()


def test_audit_platform_trail_is_for_platform_admins(world):
    # Act
    response = world.client_for(world.platform_admin).get("/platform/audit/")
    denied = world.client_for(world.org_admin).get("/platform/audit/")

    # Assert
    assert response.status_code == 200
    assert sorted(targets(response)) == sorted([world.org.slug, world.other_org.slug])
    assert denied.status_code == 404


def test_audit_platform_trail_csv_export(world):
    # Act
    response = world.client_for(world.platform_admin).get("/platform/audit/",
                                                          {"format": "csv"})

    # Assert
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-platform.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[1:5] for row in rows[1:]] == [
        ["", "pia@platform.test", "audit.exported", "platform"],
        [world.other_org.slug, "pia@platform.test", "org.created", world.other_org.slug],
        [world.org.slug, "pia@platform.test", "org.created", world.org.slug],
    ]


def test_audit_page_names_each_action_in_words(world):
    # Arrange
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="nina@fjordvik.test", role=Role.PEER_WORKER)

    # Act
    response = world.client_for(world.org_admin).get(f"/o/{world.org.slug}/audit/")

    # Assert
    body = response.content.decode()
    assert "<td>Member invited</td>" in body
    assert "<td>Member joined</td>" in body
    assert "<td>member.invited</td>" not in body
