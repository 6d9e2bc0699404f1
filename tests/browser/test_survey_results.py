"""A wave's results in the browser: overview, the crosstab picker (HTMX), trends,
"where do I stand" (the salary typed never leaves the page), and the report, in
English and Norwegian. Every page passes axe and the CSP console watch.
Screenshots for a person to look at go to /tmp/shots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from browser.support import check_page, visit
from peerwork.accounts import services as account_services
from surveys.conftest import open_wave
from surveys.results_seed import another_wave, national_survey_wave, submit_many, submit_varied

SHOTS = Path("/tmp/shots")
SECTORS = ["municipal"] * 12 + ["specialist"] * 10 + ["ngo"] * 3
SALARY = "547311"  # digits that appear in no published figure


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"survey-results-{name}.png"), full_page=True)


@pytest.mark.browser
def test_survey_results_pages_report_and_where_do_i_stand(page: Page, world: Any, log_in: Any) -> None:
    # Arrange: two waves of the same survey, the second with a small NGO group.
    first = open_wave(world, title="Wave 2026")
    submit_many(first, SECTORS[:20], seed=1)
    wave = another_wave(world, first, "Wave 2027")
    submit_many(wave, SECTORS, seed=2)
    log_in(world.peer)
    page.set_default_navigation_timeout(30_000)  # the first visit draws every chart
    base = f"/o/{world.org.slug}/surveys/waves/{wave.pk}"

    # From the organisation's page to the wave's results.
    visit(page, f"/o/{world.org.slug}/")
    page.get_by_role("link", name="Survey results").click()
    check_page(page)
    page.get_by_role("link", name="Results · Wave 2027").click()

    # Overview
    expect(page).to_have_url(f"{page.url.split('/o/')[0]}{base}/results/")
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Wave 2027")
    expect(page.get_by_text("25 submitted answers.")).to_be_visible()
    shoot(page, "overview")

    # Crosstab picker: HTMX swaps the result in without a reload.
    visit(page, f"{base}/results/crosstab/")
    page.get_by_label("Question").select_option("jd_clear")
    page.get_by_label("Split by").select_option("sector")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("My job description is clear")
    expect(page.get_by_text("Split by: Sector")).to_be_visible()
    expect(page.get_by_text("Other groups, merged (n=13)")).to_be_visible()
    check_page(page)
    shoot(page, "crosstab")

    # Trends
    visit(page, f"{base}/results/trends/")
    expect(page.get_by_role("cell", name="Wave 2026")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Wave 2026 (n=20)").first).to_be_visible()
    shoot(page, "trends")

    # Where do I stand: the salary is compared in the page and sent nowhere.
    sent: list[str] = []

    def record(request: Request) -> None:
        sent.append(f"{request.method} {request.url} {request.post_data or ''}")

    page.on("request", record)
    visit(page, f"{base}/results/standing/")
    page.get_by_label("Your annual salary").fill(SALARY)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#standing-result")).to_contain_text("percentile")
    check_page(page)
    shoot(page, "standing")
    page.remove_listener("request", record)
    assert sent, "the page itself was requested"
    assert not [line for line in sent if SALARY in line]
    assert page.url.endswith("/results/standing/")

    # The report, in English and then in Norwegian.
    visit(page, f"{base}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Survey report: Wave 2027")
    expect(page.get_by_role("heading", name="Trends across waves")).to_be_visible()
    shoot(page, "report")
    page.get_by_role("banner").get_by_role("button", name="Norsk bokmål", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport fra undersøkelsen: Wave 2027")
    check_page(page)
    shoot(page, "report-nb")


PHONE = {"width": 360, "height": 740}


@pytest.mark.browser
def test_survey_results_of_a_small_national_wave_on_a_phone_in_norwegian(
        page: Page, world: Any, log_in: Any) -> None:
    # Arrange: the shipped national survey, a wave of 27 and then one of 30 answers.
    first = national_survey_wave(world, "Runde 2026")
    submit_varied(first, 27, seed=3)
    wave = another_wave(world, first, "Runde 2027")
    submit_varied(wave, 30, seed=4)
    account_services.set_preferences(user=world.peer, language="nb")
    log_in(world.peer)
    page.set_default_navigation_timeout(30_000)  # the first visit draws every chart
    page.set_viewport_size(PHONE)
    base = f"/o/{world.org.slug}/surveys/waves/{wave.pk}"
    pages = {
        "results": "/results/", "crosstab": "/results/crosstab/?question=phases&by=sector",
        "trends": "/results/trends/", "standing": "/results/standing/", "report": "/report/",
    }

    for name, path in pages.items():
        # Act
        visit(page, base + path)  # axe and the CSP watch, in Norwegian
        shoot(page, f"phone-nb-{name}")

        # Assert: nothing scrolls sideways but the tables that say they do.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        expect(page.locator("html")).to_have_attribute("lang", "nb")

    # The matrix on the results page: a stacked chart with its alt text, and its table.
    visit(page, base + "/results/")
    matrix = page.locator("section", has=page.get_by_role(
        "heading", name="I hvilken grad er du involvert i hver fase av tjenesten?"))
    expect(matrix.get_by_role("img", name=re.compile("^Svar på «I hvilken grad"))).to_be_visible()
    expect(matrix.get_by_role("rowheader", name=re.compile("^Å yte tjenesten"))).to_be_visible()
    # Every number question shows its summary and either its ranges or why there are none.
    for number in page.locator("section:has(caption:text('Sammendrag'))").all():
        ranges = number.get_by_role("img", name=re.compile("intervall"))
        reason = number.get_by_text(re.compile("^Ingen figur med intervaller"))
        assert ranges.count() + reason.count() == 1
