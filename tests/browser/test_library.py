"""Browsing and searching the framework library, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.support import check_page, visit

STRUCTURE = "Ten preconditions for successful peer work"
ELEMENT = "Seniority: not alone when inexperienced"
PHONE = {"width": 360, "height": 740}


def main(page: Page):
    return page.get_by_role("main")


@pytest.mark.browser
def test_library_browse_structure_element_and_related(page: Page):
    # Arrange
    visit(page, "/library/")

    # Act: a structure, then one of its elements, then a related element.
    main(page).get_by_role("link", name=STRUCTURE).click()
    expect(page).to_have_url(re.compile(r"/library/precondition/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(STRUCTURE)
    check_page(page)
    main(page).get_by_role("link", name=re.compile(re.escape(ELEMENT))).click()

    # Assert
    expect(page).to_have_url(re.compile(r"/library/element/precondition\.hiring_policy\.seniority/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"7.6 {ELEMENT}")
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link")).to_have_text(
        ["Framework library", STRUCTURE, "Hiring policy", ELEMENT])
    check_page(page)

    # Act
    related = page.get_by_role("region", name="Related elements")
    related.get_by_role("link", name="Resistance and isolation").click()

    # Assert
    expect(page).to_have_url(
        re.compile(r"/library/element/attention_point\.resistance_isolation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("8 Resistance and isolation")
    check_page(page)


@pytest.mark.browser
def test_library_search_box_finds_an_element(page: Page):
    # Arrange
    visit(page, "/library/")

    # Act
    page.get_by_role("searchbox", name="Search the library").fill("seniority")
    page.get_by_role("searchbox", name="Search the library").press("Enter")

    # Assert
    expect(page).to_have_url(re.compile(r"/library/search/\?q=seniority$"))
    expect(page.get_by_role("status")).to_have_text("2 elements match “seniority”.")
    check_page(page)
    results = main(page).get_by_role("list").last.get_by_role("link")
    expect(results.first).to_have_text(ELEMENT)  # a title match ranks first
    results.first.click()
    expect(page).to_have_url(re.compile(r"/library/element/precondition\.hiring_policy\.seniority/$"))
    check_page(page)


@pytest.mark.browser
@pytest.mark.parametrize("path", [
    "/library/",
    "/library/precondition/",
    "/library/element/precondition.hiring_policy.seniority/",
    "/library/search/?q=peer",
    "/library/report/",
])
def test_library_page_has_no_sideways_scroll_on_a_phone(page: Page, path: str):
    # Arrange
    page.set_viewport_size(PHONE)

    # Act
    visit(page, path)

    # Assert
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
