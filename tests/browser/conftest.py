"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live
server, with every page's console watched for Content-Security-Policy violations."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from browser.support import CONSOLE, assert_no_csp_violations
from conftest import compile_locale
from peerwork.accounts.models import User

CHROMIUM = "/usr/bin/chromium"  # `playwright install` cannot download here
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


# pytest-playwright keeps Playwright running for the whole session. Its sync API runs an
# event loop in the test thread, in which Django then refuses ORM calls unless
# DJANGO_ALLOW_ASYNC_UNSAFE is set; set for the session, the variable would reach the
# later tests' subprocesses too (check_production rightly fails on it). So Playwright,
# the browser and the variable live only as long as this package's tests.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(live_server: Any) -> dict[str, Any]:
    # A British English browser, so pages start in English whatever the machine's locale.
    return {"base_url": live_server.url, "locale": "en-GB",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed Norsk bokmål catalogue, compiled now: *.mo files are build products
    (not in git), so the tree's may be missing or older than the .po."""
    return compile_locale(tmp_path_factory.mktemp("locale"))


@pytest.fixture(autouse=True)
def browser_test_environment(compiled_locale: Path) -> Iterator[None]:
    """Serve the fresh catalogue; afterwards empty the database cache, which is no model
    table, so the flush after a transactional test would leave rate-limit counters and
    used TOTP codes behind for the next test."""
    with override_settings(LOCALE_PATHS=[compiled_locale]):
        yield
    cache.clear()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page whose console is recorded; the test fails on any CSP violation."""
    page = context.new_page()
    # Pages here answer in milliseconds; fail fast rather than after Playwright's 30 s.
    page.set_default_timeout(10_000)
    messages: list[str] = []
    CONSOLE[page] = messages

    def record(message: ConsoleMessage) -> None:
        messages.append(f"{message.type}: {message.text} ({page.url})")

    page.on("console", record)
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error} ({page.url})"))
    yield page
    CONSOLE.pop(page, None)
    assert_no_csp_violations(messages)


@pytest.fixture
def log_in(context: BrowserContext, live_server: Any) -> Callable[[User], None]:
    """Give the browser a session for a user, as if they had logged in (with 2FA where
    needed); the login form itself is tested in test_login_two_factor."""

    def log_in(user: User) -> None:
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }])

    return log_in
