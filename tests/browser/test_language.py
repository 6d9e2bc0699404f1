"""The header's language switch, and a logged-in user's choice kept on the account."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.support import check_page, visit
from conftest import PASSWORD
from peerwork.accounts.models import User


def switch_language(page: Page, name: str) -> None:
    page.get_by_role("banner").get_by_role("button", name=name, exact=True).click()


@pytest.mark.browser
def test_language_switch_to_norwegian_and_back(page: Page):
    # Arrange
    visit(page, "/library/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Act
    switch_language(page, "Norsk bokmål")

    # Assert: the same page, in Norwegian, interface and content alike.
    expect(page).to_have_url(re.compile(r"/library/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rammeverksbibliotek")
    expect(page.get_by_role("link", name="Ti forutsetninger for å lykkes med erfaringskonsulenter")
           ).to_be_visible()
    check_page(page)

    # Act
    switch_language(page, "English")

    # Assert
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Framework library")
    check_page(page)


@pytest.mark.browser
def test_language_choice_is_kept_on_the_account_across_logins(page: Page, world):
    # Arrange: the peer worker logs in through the form, in English.
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill("peer@fjordvik.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Your account")).to_be_visible()
    check_page(page)

    # Act: switch to Norwegian, log out, and forget the browser's language cookie.
    switch_language(page, "Norsk bokmål")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    check_page(page)
    page.get_by_role("banner").get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Logg inn")).to_be_visible()
    check_page(page)
    page.context.clear_cookies()
    visit(page, "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Email").fill("peer@fjordvik.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Assert: the account remembers Norwegian.
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("banner").get_by_role("link", name="Kontoen din")).to_be_visible()
    check_page(page)
    assert User.objects.get(pk=world.peer.pk).language == "nb"
