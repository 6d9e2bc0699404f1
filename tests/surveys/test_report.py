"""The wave report: the page, and the PDF made by the real worker with WeasyPrint."""

from __future__ import annotations

import random
import re
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from peerwork.reports.models import JobStatus, ReportJob
from peerwork.surveys import services
from peerwork.surveys.results_charts import Figure, frequency_chart
from peerwork.surveys.results_tables import MISSING, Category, FrequencyTable
from surveys.conftest import open_wave, small_definition, t
from surveys.results_seed import another_wave, submit_many
from surveys.results_seed import answers as seed_answers

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
    # Sector, both numbers (25 answers make ranges of at least 5), tasks, the statement
    # and the matrix; the started date gets none.
    assert re.findall(r"<figcaption>(?:Share of respondents[^“]*|How many respondents[^“]*"
                      r"|Answers to )“([^”]+)”", body) == [
        "Sector", "Percentage of full time", "Annual salary", "Tasks",
        "My job description is clear", "Involvement"]
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


def test_report_battery_joins_statements_on_the_same_scale_only(world: Any) -> None:
    # Two statements on the agreement scale, then one on the extent scale: all three
    # store the values 1-5, but only the first two share their answers' wording.
    definition = small_definition()
    views = definition["sections"][1]["questions"]
    views[1:1] = [
        {"id": "jd_fair", "type": "likert", "scale": "agree5",
         "label": t("My pay is fair", "Lønnen min er rettferdig")},
        {"id": "own_role", "type": "likert", "scale": "extent5",
         "label": t("I shaped my own role", "Jeg formet min egen rolle")},
    ]
    wave = open_wave(world, definition)
    rng = random.Random(4)
    for index in range(10):
        answers = {**seed_answers(index, rng, "municipal"), "jd_fair": rng.choice("12345"),
                   "own_role": rng.choice("12345")}
        services.submit_whole(wave=wave, key=f"battery-{index}", answers=answers)

    body = world.client_for(world.manager).get(
        reverse("surveys:report", args=[world.org.slug, wave.pk])).content.decode()

    assert body.count("statements on one scale</h3>") == 1
    battery = body[body.index("2 statements on one scale"):body.index('id="q-own_role"')]
    assert "My job description is clear" in battery
    assert "My pay is fair" in battery
    assert "Strongly agree" in battery
    assert "To a very large extent" not in battery
