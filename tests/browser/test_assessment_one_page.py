"""The whole questionnaire on one page, on a phone: from the share link's start page to
"Thank you", every page checked with axe and the CSP watch and without sideways scrolling."""

from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from assessments.conftest import link_of, open_round
from browser.support import check_page
from peerwork.assessments.models import Answer, Response

PHONE = {"width": 360, "height": 740}
QUESTIONS = 90


def check_phone_page(page: Page) -> None:
    check_page(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def test_one_page_form_answered_on_a_phone(page: Page, world: Any) -> None:
    # Arrange
    round_ = open_round(world)
    page.set_viewport_size(PHONE)
    page.goto(f"/a/{link_of(round_, 'colleague')}/")
    check_phone_page(page)

    # Act
    page.get_by_role("link", name="Answer all questions on one page instead").click()
    expect(page.get_by_text(f"All questions on one page · {QUESTIONS} questions")).to_be_visible()
    check_phone_page(page)
    groups = page.get_by_role("main").get_by_role("group").filter(has=page.get_by_role("radio"))
    expect(groups).to_have_count(QUESTIONS)
    for index in range(QUESTIONS):
        groups.nth(index).get_by_role("radio", name="Somewhat agree", exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()

    # Assert
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_phone_page(page)
    with scopes_disabled():
        response = Response.objects.get(round=round_)
        values = list(Answer.objects.filter(response=response).values_list("value", flat=True))
    assert response.submitted
    assert values == [4] * QUESTIONS


def test_private_link_all_on_one_page_is_accessible(page: Page, world: Any) -> None:
    round_ = open_round(world)
    page.set_viewport_size(PHONE)
    page.goto(f"/a/{link_of(round_, 'peer_worker')}/")
    page.get_by_role("button", name="Start", exact=True).click()

    page.get_by_role("link", name="Show all questions on one page").click()

    expect(page.get_by_role("main").get_by_role("group").filter(has=page.get_by_role("radio"))) \
        .to_have_count(QUESTIONS)
    check_phone_page(page)
