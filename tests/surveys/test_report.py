"""The wave report: the page, and the PDF made by the real worker with WeasyPrint."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.urls import reverse

from peerwork.reports.models import JobStatus, ReportJob
from peerwork.surveys.reports import Figure, frequency_chart
from peerwork.surveys.results_tables import MISSING, Category, FrequencyTable
from surveys.conftest import open_wave
from surveys.results_seed import another_wave, submit_many

SECTORS = ["municipal"] * 12 + ["specialist"] * 10 + ["ngo"] * 3


def test_report_page_shows_questions_charts_and_trends(world: Any) -> None:
    first = open_wave(world, title="Wave 2026")
    submit_many(first, SECTORS[:20], seed=1)
    second = another_wave(world, first, "Wave 2027")
    submit_many(second, SECTORS, seed=2)
    page = world.client_for(world.manager).get(
        reverse("surveys:report", args=[world.org.slug, second.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Survey report: Wave 2027" in body
    assert "Answers, question by question" in body
    # Sector, tasks and the statement; at 25 answers no number gets a histogram, whose
    # bins need the 10th and 90th percentiles (each shown only from 41 answers).
    assert body.count('<figure class="chart">') == 3
    assert "Download as PDF" in body
    assert "Trends across waves" in body
    assert 'Wave 2026 <span class="meta">(n=20)</span>' in body


def test_frequency_chart_is_left_out_when_only_empty_answers_are_shown() -> None:
    # Everyone chose one answer and a few skipped the question: both are hidden, and the
    # answers left to show were chosen by no one. Bars of 0 % say nothing.
    table = FrequencyTable(variable="sector", label={"en": "Sector"}, base=None,
                           base_is_answered=False, categories=(
                               Category("municipal", {"en": "Municipal"}, None, None),
                               Category("ngo", {"en": "NGO"}, 0, 0.0),
                               Category(MISSING, {"en": ""}, None, None)))

    assert frequency_chart(table, "Sector") == Figure(None, 2)


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_report_pdf_is_made_in_the_background_in_norwegian(world: Any, nb_catalogue: None,
                                                          run_worker: Any) -> None:
    wave = open_wave(world)
    submit_many(wave, SECTORS)
    client = world.client_for(world.manager)
    client.cookies["peerwork_language"] = "nb"

    started = client.post(reverse("surveys:report_pdf", args=[world.org.slug, wave.pk]))
    run_worker()
    job = ReportJob.objects.get()
    download = client.get(f"/reports/jobs/{job.pk}/download/")

    assert started.status_code == 302
    assert job.status == JobStatus.DONE
    assert download["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=download.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Stillingsbeskrivelsen min er tydelig" in text
    assert "Svar, spørsmål for spørsmål" in text
