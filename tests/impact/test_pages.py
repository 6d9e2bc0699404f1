"""The impact log through the pages: log, warn about personal data, move through the
stages, filter, export, and the yearly summary."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from peerwork.impact.models import Improvement
from peerwork.orgs.models import AuditEvent
from peerwork.reports.models import JobStatus, ReportJob

from .conftest import ENTRY, log_entry


def url(world, *parts):
    return "/o/" + world.org.slug + "/impact/" + "".join(f"{p}/" for p in parts)


def test_impact_page_colleague_logs_an_improvement(world):
    # Act
    response = world.client_for(world.colleague).post(
        url(world, "new"), {**ENTRY, "identified_on": "2026-03-01"})

    # Assert
    assert response.status_code == 302
    with scopes_disabled():
        entry = Improvement.objects.get()
        assert AuditEvent.objects.filter(action="impact.logged").count() == 1
    assert (entry.title, entry.stage, entry.identified_on) == (
        ENTRY["title"], "identified", dt.date(2026, 3, 1))


def test_impact_page_personal_data_warns_then_saves_when_acknowledged(world):
    # Arrange
    client = world.client_for(world.peer)
    body = {**ENTRY, "problem": "Ingrid called from 912 34 567.", "identified_on": "2026-03-01"}

    # Act
    warned = client.post(url(world, "new"), body)
    with scopes_disabled():
        after_warning = Improvement.objects.count()
    saved = client.post(url(world, "new"), {**body, "personal_data_acknowledged": "on"})

    # Assert
    text = warned.content.decode()
    assert warned.status_code == 200
    assert "This text may identify someone." in text
    assert "a phone number: “912 34 567”" in text
    assert "a name: “Ingrid”" in text
    assert "Ingrid called from 912 34 567." in text  # the text is kept
    assert after_warning == 0
    assert saved.status_code == 302


def test_impact_page_analyst_reads_but_cannot_log(world):
    # Arrange
    entry = log_entry(world)
    client = world.client_for(world.analyst)

    # Act
    read = client.get(url(world, entry.pk))
    new = client.post(url(world, "new"), {**ENTRY, "identified_on": "2026-03-01"})

    # Assert
    assert (read.status_code, new.status_code) == (200, 404)


def test_impact_page_moves_through_every_stage(world):
    # Arrange
    entry = log_entry(world)
    client = world.client_for(world.manager)
    dates = ["2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"]

    # Act
    statuses = []
    for version, (stage, on) in enumerate(zip(
            ["raised", "designed", "piloted", "implemented", "assessed"], dates, strict=True), 1):
        statuses.append(client.post(url(world, entry.pk, "stage"),
                                    {"stage": stage, "on": on, "version": str(version)}).status_code)

    # Assert
    entry.refresh_from_db()
    assert statuses == [302] * 5
    assert entry.stage == "assessed"
    assert entry.assessed_on == dt.date(2026, 6, 1)
    page = client.get(url(world, entry.pk)).content.decode()
    assert "Assessed:" in page


def test_impact_page_impossible_transition_is_400_and_nothing_changes(world):
    # Arrange
    entry = log_entry(world)
    client = world.client_for(world.manager)

    # Act
    skip = client.post(url(world, entry.pk, "stage"),
                       {"stage": "implemented", "on": "2026-02-01", "version": "1"})
    early = client.post(url(world, entry.pk, "stage"),
                        {"stage": "raised", "on": "2025-12-01", "version": "1"})

    # Assert
    assert skip.status_code == 400
    assert "cannot skip a stage" in skip.content.decode()
    assert early.status_code == 400
    entry.refresh_from_db()
    assert (entry.stage, entry.raised_on, entry.implemented_on, entry.version) == (
        "identified", None, None, 1)


def test_impact_page_stale_edit_is_409_and_keeps_the_input(world):
    # Arrange
    entry = log_entry(world)
    manager, colleague = world.client_for(world.manager), world.client_for(world.colleague)
    manager.post(url(world, entry.pk, "stage"), {"stage": "raised", "on": "2026-02-01",
                                                 "version": "1"})

    # Act
    stale = colleague.post(url(world, entry.pk, "edit"),
                           {**ENTRY, "outcome": "Calls answered by the night team.", "version": "1"})

    # Assert
    assert stale.status_code == 409
    assert "Calls answered by the night team." in stale.content.decode()
    entry.refresh_from_db()
    assert (entry.outcome, entry.stage, entry.version) == ("", "raised", 2)


def test_impact_page_oversized_text_is_refused(world):
    # Act
    response = world.client_for(world.peer).post(
        url(world, "new"), {**ENTRY, "problem": "x" * 4001, "identified_on": "2026-03-01"})

    # Assert
    assert response.status_code == 400
    with scopes_disabled():
        assert Improvement.objects.count() == 0


def test_impact_page_filters_chart_and_export(world):
    # Arrange
    log_entry(world, title="Service level 2025", identified_on=dt.date(2025, 5, 1))
    log_entry(world, title="Individual level 2026", level="model4.outcome.individual",
              identified_on=dt.date(2026, 2, 1))
    client = world.client_for(world.colleague)

    # Act
    filtered = client.get(url(world), {"level": "model4.outcome.individual"})
    by_year = client.get(url(world), {"year": "2025", "stage": "nonsense"})
    csv = client.get(f"/o/{world.org.slug}/impact/export.csv", {"year": "2025"})
    xlsx = client.get(f"/o/{world.org.slug}/impact/export.xlsx")

    # Assert
    assert "Individual level 2026" in filtered.content.decode()
    assert "Service level 2025" not in filtered.content.decode()
    assert 'alt="Improvements identified and implemented per month' in filtered.content.decode()
    assert "Service level 2025" in by_year.content.decode()
    assert "Individual level 2026" not in by_year.content.decode()
    lines = csv.content.decode().strip().splitlines()
    assert lines[0].startswith("id,title,problem,experience_source")
    assert len(lines) == 2
    assert "Service level 2025" in lines[1]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_impact_page_yearly_summary_and_its_pdf(world, run_worker):
    # Arrange
    entry = log_entry(world, identified_on=dt.date(2026, 1, 5))
    client = world.client_for(world.manager)
    for version, (stage, on) in enumerate([("raised", "2026-01-10"), ("designed", "2026-02-10"),
                                           ("piloted", "2026-03-10"),
                                           ("implemented", "2026-04-10")], 1):
        client.post(url(world, entry.pk, "stage"), {"stage": stage, "on": on, "version": str(version)})

    # Act
    page = client.get(url(world, "summary", 2026))
    started = client.post(url(world, "summary", 2026, "pdf"))
    run_worker()
    job = client.get(started["Location"])

    # Assert
    text = page.content.decode()
    assert page.status_code == 200
    assert "What peer workers changed in 2026" in text
    assert "Evening phone line for families" in text
    assert started.status_code == 302
    assert job.status_code == 200
    done = ReportJob.objects.get()
    assert done.status == JobStatus.DONE
    assert bytes(done.pdf).startswith(b"%PDF")


def test_impact_page_log_runs_the_same_queries_for_any_number_of_entries(world):
    # Arrange
    client = world.client_for(world.colleague)
    log_entry(world)
    client.get(url(world))  # draws and caches the chart
    with CaptureQueriesContext(connection) as few:
        client.get(url(world))
    for day in range(1, 29):
        log_entry(world, identified_on=dt.date(2026, 2, day))
    client.get(url(world))

    # Act
    with CaptureQueriesContext(connection) as many:
        client.get(url(world))

    # Assert: a list view must not query per row.
    assert len(few.captured_queries) > 0
    assert len(many.captured_queries) == len(few.captured_queries)


def test_impact_page_other_organisations_entry_is_404_even_under_own_slug(world):
    # Arrange
    from peerwork.impact import services  # noqa: PLC0415

    theirs = services.log_improvement(actor=world.charlie, organisation=world.other_org,
                                      data=ENTRY, identified_on=dt.date(2026, 1, 1))
    client = world.client_for(world.manager)

    # Act
    page = client.get(url(world, theirs.pk))
    moved = client.post(url(world, theirs.pk, "stage"),
                        {"stage": "raised", "on": "2026-02-01", "version": "1"})

    # Assert
    assert (page.status_code, moved.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.stage, theirs.version) == ("identified", 1)


def test_impact_page_replayed_submission_makes_one_entry(world):
    # Arrange: the form's one-time key, as the page hands it out.
    client = world.client_for(world.peer)
    page = client.get(url(world, "new")).content.decode()
    key = re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)
    body = {**ENTRY, "identified_on": "2026-03-01", "submission": key}

    # Act: a double click sends the form twice.
    first = client.post(url(world, "new"), body)
    second = client.post(url(world, "new"), body)

    # Assert
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with scopes_disabled():
        assert Improvement.objects.count() == 1
        assert AuditEvent.objects.filter(action="impact.logged").count() == 1


@pytest.mark.django_db
def test_impact_page_summary_of_an_empty_year_says_so_and_links_the_log_and_other_years(world):
    # Arrange
    log_entry(world, identified_on=dt.date(2026, 1, 5))
    client = world.client_for(world.manager)

    # Act
    empty = client.get(url(world, "summary", 2019))
    full = client.get(url(world, "summary", 2026))

    # Assert: a year with nothing says so instead of tables of zeros, and both pages lead
    # back to the log and on to the neighbouring years.
    text = empty.content.decode()
    assert empty.status_code == 200
    assert "Nothing was logged or implemented in 2019." in text
    assert "By the stage they have reached" not in text
    assert f'href="/o/{world.org.slug}/impact/"' in text
    assert f'href="/o/{world.org.slug}/impact/summary/2018/"' in text
    assert f'href="/o/{world.org.slug}/impact/summary/2020/"' in text
    assert "0 improvements were identified" not in text
    assert "By the stage they have reached" in full.content.decode()
    assert "Nothing was logged" not in full.content.decode()
    # A past year's page speaks of that year, not of "this year".
    assert "1 improvement was identified in 2026." in full.content.decode()
    assert "this year" not in full.content.decode()
