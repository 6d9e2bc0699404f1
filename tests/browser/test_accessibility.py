"""axe-core on the pages the other browser tests do not pass through, in English and
in Norwegian. (Every browser test checks each page it visits; see support.check_page.)"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from browser.support import CONSOLE, assert_no_csp_violations, check_page, visit
from peerwork.accounts import services as account_services
from peerwork.orgs import services
from peerwork.orgs.enums import Role


@pytest.mark.browser
def test_accessibility_account_pages(page: Page, world, log_in):
    # Arrange
    log_in(world.peer)

    # Act / Assert
    visit(page, "/me/")
    visit(page, "/me/api-keys/")
    page.get_by_label("Name of the new key").fill("Survey export")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_label("Key", exact=True)).to_have_value(re.compile(r"^pw_[\w-]{43}$"))
    check_page(page)
    visit(page, "/accounts/2fa/")
    visit(page, "/accounts/password/change/")


@pytest.mark.browser
def test_accessibility_organisation_admin_pages(page: Page, world, log_in):
    # Arrange
    log_in(world.org_admin)
    slug = world.org.slug

    # Act / Assert
    visit(page, f"/o/{slug}/")
    visit(page, f"/o/{slug}/settings/")
    visit(page, f"/o/{slug}/members/")
    visit(page, f"/o/{slug}/audit/")

    # A form with an error shows it accessibly too.
    visit(page, f"/o/{slug}/members/")
    page.get_by_label("Email address").fill("peer@fjordvik.test")  # already a member
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".field-error")).to_have_count(1)
    check_page(page)


@pytest.mark.browser
def test_accessibility_platform_pages(page: Page, world, log_in):
    # Arrange
    log_in(world.platform_admin)

    # Act / Assert
    visit(page, "/platform/")
    visit(page, "/platform/audit/")
    visit(page, f"/platform/{world.org.slug}/invite/")


@pytest.mark.browser
def test_accessibility_invitation_pages(page: Page, world):
    # Arrange
    issued = services.invite_member(actor=world.org_admin, organisation=world.org,
                                    email="new@fjordvik.test", role=Role.PEER_WORKER)

    # Act / Assert
    visit(page, urlsplit(issued.url).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Fjordvik psykisk helse")
    visit(page, "/invitations/not-a-token/", status=404)


@pytest.mark.browser
def test_accessibility_not_found_page(page: Page):
    visit(page, "/library/element/no.such.element/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


@pytest.mark.browser
def test_accessibility_in_norwegian(page: Page, world, log_in):
    # Arrange
    account_services.set_preferences(user=world.org_admin, language="nb")
    log_in(world.org_admin)

    # Act / Assert
    visit(page, "/library/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    visit(page, "/library/element/precondition.hiring_policy.seniority/")
    visit(page, "/library/search/?q=erfaring")
    visit(page, f"/o/{world.org.slug}/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medlemmer i Fjordvik psykisk helse")
    visit(page, "/me/")
    visit(page, "/nowhere/", status=404)


@pytest.mark.browser
def test_csp_violation_is_caught_by_the_console_watch(page: Page):
    # Arrange: a page served with the real policy.
    response = page.goto("/library/")
    assert response is not None
    assert "style-src 'self'" in response.headers["content-security-policy"]

    # Act: what a template with an inline style would do.
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>p{}</style>')")
    page.wait_for_timeout(200)

    # Assert
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        assert_no_csp_violations(CONSOLE[page])
    CONSOLE[page].clear()  # seen on purpose; the fixture's final check must pass
