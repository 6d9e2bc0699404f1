import re
import pytest
from playwright.sync_api import expect
from conftest import PASSWORD, make_user
from peerwork.orgs import services
from peerwork.orgs.enums import Role

@pytest.mark.browser
@pytest.mark.parametrize("w", [1280, 360])
def test_shots(page, world, w):
    page.set_viewport_size({"width": w, "height": 800})
    ada = make_user("ada@fjordvik.test", "Ada")
    services.add_member(actor=world.platform_admin, organisation=world.org, user=ada, role=Role.ANALYST)
    page.goto("/accounts/login/")
    page.screenshot(path=f"/tmp/shots/x-login-{w}.png", full_page=True)
    page.get_by_label("Email").fill("ada@fjordvik.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile("activate"))
    page.screenshot(path=f"/tmp/shots/x-totp-{w}.png", full_page=True)
    print(w, "totp scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
    page.goto("/library/report/")
    page.screenshot(path=f"/tmp/shots/x-report-{w}.png")
    print(w, "report scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
    page.goto("/accounts/logout/")
    page.screenshot(path=f"/tmp/shots/x-logout-{w}.png", full_page=True)
