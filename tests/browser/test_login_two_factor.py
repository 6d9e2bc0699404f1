"""Logging in through the real forms: a national analyst sets up two-factor
authentication on first login, and needs a code from then on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.support import check_page, fresh_totp_code, visit
from conftest import PASSWORD, make_user
from peerwork.orgs import services
from peerwork.orgs.enums import Role


def submit_login(page: Page, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.browser
def test_login_analyst_sets_up_two_factor_then_needs_a_code(page: Page, world):
    # Arrange: a national analyst (the role requires 2FA) who has no authenticator yet.
    ada = make_user("ada@fjordvik.test", "Ada")
    services.add_member(actor=world.platform_admin, organisation=world.org, user=ada,
                        role=Role.ANALYST)
    visit(page, "/")

    # Act: the first login lands on the authenticator set-up.
    submit_login(page, "ada@fjordvik.test")

    # Assert
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    check_page(page)
    secret_field = page.get_by_label("Authenticator secret")
    secret = secret_field.input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    # Readable in full and copyable (readonly, not disabled), for setting up a phone app by hand.
    expect(secret_field).to_be_enabled()
    expect(secret_field).to_have_attribute("readonly", "")
    assert secret_field.evaluate("field => field.scrollWidth <= field.clientWidth")

    # Act: confirm with the code an authenticator app would show.
    page.get_by_label("Authenticator code").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    # Assert: recovery codes are shown once, and the organisation opens.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    check_page(page)
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[0-9a-z]{8}", code) for code in codes), codes
    visit(page, f"/o/{world.org.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fjordvik psykisk helse")

    # Act: log out, then log in again.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    check_page(page)
    submit_login(page, "ada@fjordvik.test")

    # Assert: the password alone is not enough; a wrong code is refused.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    check_page(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    check_page(page)
    page.get_by_label("Code").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))  # the start page
    check_page(page)
    visit(page, f"/o/{world.org.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fjordvik psykisk helse")
