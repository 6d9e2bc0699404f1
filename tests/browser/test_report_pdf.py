"""The library as a PDF: requested in the browser, rendered by a real background
worker, followed on the job page, downloaded."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from browser.support import check_page, visit


def run_worker_once() -> None:
    """Run django-tasks' database worker until the queue is empty. It runs in this
    process because the live server's in-memory test database is visible only here: the
    server's threads share this thread's SQLite connection. The job page's polls only
    read, so they may interleave with the worker's writes."""
    # The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0,
                     verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.browser
def test_report_pdf_is_rendered_in_the_background_and_downloaded(page: Page):
    # Arrange
    visit(page, "/library/report/")

    # Act
    page.get_by_role("button", name="Download as PDF").click()

    # Assert: the job page shows the job waiting, and polls for progress.
    expect(page).to_have_url(re.compile(r"/reports/jobs/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report")
    expect(page.get_by_role("progressbar", name="Waiting to start")).to_be_visible()
    expect(page.get_by_text("0 % done.")).to_be_visible()
    check_page(page)

    # Act: a worker renders the PDF; the page's next poll shows the link.
    run_worker_once()
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible(timeout=10_000)
    check_page(page)
    with page.expect_download() as download_info:
        download_link.click()

    # Assert
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
