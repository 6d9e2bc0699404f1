"""Full-page screenshots of key pages at desktop and phone widths, for a person to look
at (set PEERWORK_SCREENSHOTS=/some/dir to keep them); the phone pages must not scroll
sideways."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser.support import visit

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.browser
@pytest.mark.parametrize("size", list(WIDTHS))
def test_screenshots_of_start_element_and_members(page: Page, world, log_in, tmp_path: Path,
                                                  size: str):
    # Arrange
    folder = Path(os.environ.get("PEERWORK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    viewport = WIDTHS[size]
    page.set_viewport_size(viewport)
    log_in(world.org_admin)
    pages = {
        "start": "/",
        "element": "/library/element/precondition.hiring_policy.seniority/",
        "members": f"/o/{world.org.slug}/members/",
    }

    for name, path in pages.items():
        # Act
        visit(page, path)
        page.screenshot(path=folder / f"{name}-{viewport['width']}.png", full_page=True)

        # Assert
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
