"""The impact log through the API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from peerwork.accounts.services import create_api_token
from peerwork.impact.models import Improvement
from peerwork.reports.models import JobStatus

from .conftest import ENTRY, log_entry

API = "/api/v1/organisations"


def call(client: Client, method: str, url: str, body: dict | None = None):
    return client.generic(method.upper(), url, data=json.dumps(body or {}),
                          content_type="application/json")


def keyed(user) -> Client:
    return Client(headers={"authorization": f"Bearer {create_api_token(user=user, name='t').key}"})


def test_impact_api_log_and_move_through_stages(world):
    # Arrange
    client = keyed(world.peer)
    base = f"{API}/{world.org.slug}/impact"

    # Act
    created = call(client, "post", base, {**ENTRY, "identified_on": "2026-01-05"})
    entry_id = created.json()["id"]
    moves = []
    for version, (stage, on) in enumerate([("raised", "2026-01-10"), ("designed", "2026-02-01"),
                                           ("piloted", "2026-03-01"), ("implemented", "2026-04-01"),
                                           ("assessed", "2026-05-01")], 1):
        moves.append(call(client, "post", f"{base}/{entry_id}/stage",
                          {"stage": stage, "on": on, "version": version}))
    undone = call(client, "post", f"{base}/{entry_id}/stage", {"stage": "implemented", "version": 6})
    read = client.get(f"{base}/{entry_id}")

    # Assert
    assert created.status_code == 201
    assert [m.status_code for m in moves] == [200] * 5
    assert undone.status_code == 200
    assert read.json()["stage"] == "implemented"
    assert read.json()["assessed_on"] is None
    assert read.json()["implemented_on"] == "2026-04-01"


def test_impact_api_impossible_transition_and_stale_version(world):
    # Arrange
    entry = log_entry(world)
    client = keyed(world.colleague)
    url = f"{API}/{world.org.slug}/impact/{entry.pk}/stage"

    # Act
    skip = call(client, "post", url, {"stage": "piloted", "on": "2026-02-01", "version": 1})
    future = call(client, "post", url, {"stage": "raised",
                                        "on": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
                                        "version": 1})
    unknown = call(client, "post", url, {"stage": "finished", "on": "2026-02-01", "version": 1})
    ok = call(client, "post", url, {"stage": "raised", "on": "2026-02-01", "version": 1})
    stale = call(client, "post", url, {"stage": "designed", "on": "2026-02-02", "version": 1})

    # Assert
    assert [r.status_code for r in (skip, future, unknown, ok, stale)] == [400, 400, 400, 200, 409]
    assert skip.json()["detail"] == [
        "An improvement moves one stage at a time; it cannot skip a stage."]
    entry.refresh_from_db()
    assert (entry.stage, entry.version, entry.designed_on) == ("raised", 2, None)


def test_impact_api_personal_data_needs_acknowledging(world):
    # Arrange
    client = keyed(world.peer)
    base = f"{API}/{world.org.slug}/impact"
    body = {**ENTRY, "problem": "Service user with fnr 01019000083 waited.",
            "identified_on": "2026-01-05"}

    # Act
    refused = call(client, "post", base, body)
    with scopes_disabled():
        count = Improvement.objects.count()
    accepted = call(client, "post", base, {**body, "personal_data_acknowledged": True})

    # Assert
    assert refused.status_code == 400
    assert "national_id" in refused.json()["detail"]
    assert count == 0
    assert accepted.status_code == 201


def test_impact_api_filters_and_isolation(world):
    # Arrange
    log_entry(world, title="Early", identified_on=dt.date(2025, 3, 1))
    log_entry(world, title="Late", identified_on=dt.date(2026, 3, 1),
              level="model4.outcome.organisation")
    client = keyed(world.colleague)

    # Act
    by_year = client.get(f"{API}/{world.org.slug}/impact", {"year": 2025})
    by_level = client.get(f"{API}/{world.org.slug}/impact", {"level": "model4.outcome.organisation"})
    charlie = keyed(world.charlie).get(f"{API}/{world.org.slug}/impact")
    analyst_write = call(keyed(world.analyst), "post", f"{API}/{world.org.slug}/impact",
                         {**ENTRY, "identified_on": "2026-01-05"})

    # Assert
    assert [e["title"] for e in by_year.json()] == ["Early"]
    assert [e["title"] for e in by_level.json()] == ["Late"]
    assert charlie.status_code == 404
    assert analyst_write.status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_impact_api_year_summary_and_its_pdf(world, run_worker):
    # Arrange
    entry = log_entry(world, identified_on=dt.date(2025, 3, 1))
    client = keyed(world.manager)
    base = f"{API}/{world.org.slug}/impact"
    for version, stage in enumerate(["raised", "designed", "piloted", "implemented"], 1):
        call(client, "post", f"{base}/{entry.pk}/stage",
             {"stage": stage, "on": f"2025-0{3 + version}-01", "version": version})

    # Act
    summary = client.get(f"{base}/summary/2025")
    started = call(client, "post", f"{base}/summary/2025/pdf", {"language": "nb"})
    run_worker()
    job = client.get(f"/api/v1/reports/jobs/{started.json()['id']}").json()
    pdf = client.get(job["download_url"])

    # Assert
    data = summary.json()
    assert (data["logged"], data["implemented_count"]) == (1, 1)
    assert [i["title"] for i in data["implemented"]] == [ENTRY["title"]]
    assert {c["id"]: c["count"] for c in data["by_stage"]}["implemented"] == 1
    assert started.status_code == 202
    assert (job["status"], job["language"], pdf.content[:4]) == (JobStatus.DONE, "nb", b"%PDF")


def test_impact_api_exports_the_filtered_log(world):
    # Arrange
    log_entry(world, title="Early", identified_on=dt.date(2025, 3, 1))
    log_entry(world, title="=cmd|'/c calc'!A1", identified_on=dt.date(2026, 3, 1))
    client = keyed(world.colleague)
    url = f"{API}/{world.org.slug}/impact/export"

    # Act
    csv_2026 = client.get(f"{url}/csv", {"year": 2026})
    xlsx = client.get(f"{url}/xlsx")
    unknown = client.get(f"{url}/pdf")
    charlie = keyed(world.charlie).get(f"{url}/csv")

    # Assert
    assert csv_2026.status_code == 200
    assert csv_2026["Content-Type"].startswith("text/csv")
    text = csv_2026.content.decode()
    assert "Early" not in text
    assert "'=cmd" in text  # formula-safe
    workbook = load_workbook(io.BytesIO(xlsx.content))
    titles = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["'=cmd|'/c calc'!A1", "Early"]  # text, never a formula
    assert unknown.status_code == 404
    assert charlie.status_code == 404
