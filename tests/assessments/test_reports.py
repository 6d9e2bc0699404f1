"""A round's memorandum (page and PDF) and its exports, at the detail anonymity allows."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from django.test import Client
from openpyxl import load_workbook

from peerwork.reports.models import JobStatus, ReportJob

from .conftest import answer_everything, link_of, open_round, respond, start


def test_reports_memorandum_page_shows_findings_chart_and_plan(world, round_):
    for position in ("colleague", "peer_worker"):
        for _ in range(5):
            respond(round_, position, 2)

    page = world.client_for(world.peer).get(f"/o/{world.org.slug}/assessments/{round_.pk}/report/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Readiness and integration: Fjordvik readiness 2027" in body
    assert 'alt="Average score per area for all respondents' in body
    assert "Weakest areas and differing views" in body
    assert "Download as PDF" in body


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_reports_pdf_is_made_in_the_background_in_norwegian(world, round_, nb_catalogue, run_worker):
    for _ in range(5):
        respond(round_, "peer_worker", 4)
    client = world.client_for(world.manager)
    client.cookies["peerwork_language"] = "nb"

    started = client.post(f"/o/{world.org.slug}/assessments/{round_.pk}/report/pdf/")
    run_worker()
    job = ReportJob.objects.get()
    download = client.get(f"/reports/jobs/{job.pk}/download/")

    assert started.status_code == 302
    assert job.status == JobStatus.DONE
    assert download["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=download.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Hvem som har svart, etter stilling" in text
    assert "Resultater per område" in text
    assert "Beredskap og integrering: Fjordvik\nreadiness 2027" in text
    other = world.client_for(world.colleague).get(f"/reports/jobs/{job.pk}/download/")
    assert other.status_code == 404  # the requester's own job


def test_reports_scores_csv_hides_small_cells(world, round_):
    respond(round_, "manager", 5)
    for _ in range(5):
        respond(round_, "peer_worker", 1)

    response = world.client_for(world.colleague).get(
        f"/o/{world.org.slug}/assessments/{round_.pk}/export/scores.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response.status_code == 200
    assert {r["group"] for r in rows} == {"all"}  # one manager cannot be shown apart
    job = next(r for r in rows if r["element_id"] == "precondition.job_description")
    assert (job["n"], job["mean"], job["suppressed"]) == ("6", "1.667", "no")


def test_reports_scores_xlsx_opens(world, round_):
    for _ in range(5):
        respond(round_, "peer_worker", 3)
    response = world.client_for(world.manager).get(
        f"/o/{world.org.slug}/assessments/{round_.pk}/export/scores.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:5] == ["round", "questionnaire", "element_id", "area", "group"]
    assert sheet.max_row > 50


def test_reports_answers_are_never_exported_from_an_anonymous_round(world, round_):
    respond(round_, "peer_worker", 3)
    client = world.client_for(world.manager)
    assert client.get(f"/o/{world.org.slug}/assessments/{round_.pk}/export/answers.csv").status_code == 404


def test_reports_named_round_exports_answers_to_managers_only(world):
    round_ = open_round(world, anonymous=False, title="Named round")
    client = world.client_for(world.peer)  # the peer worker answers while logged in
    code = start(client, link_of(round_, "peer_worker"))
    answer_everything(client, code, 4, round_)
    client.post(f"/answer/{code}/submit/")
    url = f"/o/{world.org.slug}/assessments/{round_.pk}/export/answers.csv"

    managers = world.client_for(world.manager).get(url)
    colleagues = world.client_for(world.colleague).get(url)

    rows = list(csv.DictReader(io.StringIO(managers.content.decode())))
    assert managers.status_code == 200
    assert colleagues.status_code == 404
    assert {r["respondent"] for r in rows} == {"peer@fjordvik.test"}
    assert {r["value"] for r in rows} == {"4"}


def test_reports_unknown_export_format_is_404(world, round_):
    response = world.client_for(world.manager).get(
        f"/o/{world.org.slug}/assessments/{round_.pk}/export/scores.pdf")
    assert response.status_code == 404


def test_reports_outsider_gets_nothing(world, round_):
    client = world.client_for(world.charlie)
    base = f"/o/{world.org.slug}/assessments/{round_.pk}"
    assert client.get(f"{base}/report/").status_code == 404
    assert client.get(f"{base}/export/scores.csv").status_code == 404
    assert client.post(f"{base}/report/pdf/").status_code == 404
    assert Client().get(f"{base}/report/").status_code == 302
