"""The results-updating notice in the browser: a large wave's page shows the newest
tables with the notice, passes axe and the CSP console watch, and reloads by itself
(HTMX polling, no inline script) once the background task has computed newer ones.
Screenshots for a person to look at go to /tmp/shots/."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser.support import check_page, visit
from peerwork.surveys import services, tasks
from surveys.conftest import open_wave
from surveys.results_seed import answers, submit_many

SHOTS = Path("/tmp/shots")
SECTORS = ["municipal"] * 12 + ["specialist"] * 10 + ["ngo"] * 3


@pytest.mark.browser
def test_results_updating_notice_reloads_the_page_when_ready(page: Page, world: Any,
                                                             log_in: Any, settings: Any) -> None:
    settings.PEERWORK_RESULTS_INLINE_MAX = 10
    wave = open_wave(world)
    submit_many(wave, SECTORS)
    tasks.refresh_wave_results.call(wave_id=wave.pk, what=tasks.TABLES)
    rng = random.Random(5)
    for index in range(5):
        services.submit_whole(wave=wave, key=f"late-{index}", answers=answers(index, rng, "municipal"))
    log_in(world.peer)
    page.set_default_navigation_timeout(30_000)

    visit(page, f"/o/{world.org.slug}/surveys/waves/{wave.pk}/results/")
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("include 25 of 30 answers")
    expect(page.get_by_text("25 submitted answers.")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "survey-results-updating.png"), full_page=False)
    tasks.refresh_wave_results.call(wave_id=wave.pk, what=tasks.TABLES)

    # The notice polls every 5 s; the next poll finds the new tables and reloads.
    expect(page.get_by_text("30 submitted answers.")).to_be_visible(timeout=15_000)
    expect(page.locator("#results-updating")).to_have_count(0)
    check_page(page)
