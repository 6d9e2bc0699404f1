"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live
server, with every page's console watched for Content-Security-Policy violations."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from browser.support import CONSOLE, assert_no_csp_violations
from peerwork.accounts.models import User

# Playwright's sync API runs an event loop in the test thread, from the first browser test
# to the end of the session; Django would otherwise refuse the ORM calls that fixtures and
# tests (also later, non-browser ones) make in that thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

NB_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES" / "django.po"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # `playwright install` cannot download here; use the system's Chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    # Replaces pytest-playwright's own fixture, which reads --base-url and which pytest 9
    # deprecates (it is defined as an instance method of a plugin class).
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A British English browser, so pages start in English whatever the machine's locale.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed Norsk bokmål catalogue, compiled now: *.mo files are build products
    (not in git), so the tree's may be missing or older than the .po."""
    locale = tmp_path_factory.mktemp("locale")
    target = locale / "nb" / "LC_MESSAGES"
    target.mkdir(parents=True)
    polib.pofile(str(NB_CATALOGUE)).save_as_mofile(str(target / "django.mo"))
    return locale


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
