"""Checks every browser test applies to every page it visits: axe-core's WCAG 2.0/2.1 A
and AA rules, and no Content-Security-Policy violation in the console."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from weakref import WeakKeyDictionary

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}

# Console lines per page, filled by the `page` fixture.
CONSOLE: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


def assert_accessible(page: Page) -> None:
    """Run axe on the page as it is now; fail on any serious or critical violation."""
    results = AXE.run(page, options=AXE_OPTIONS)
    problems = [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]
    report = []
    for violation in problems:
        report.append(f"{violation['id']} ({violation['impact']}): {violation['help']}"
                      f" <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            report.append(f"    {', '.join(map(str, node['target']))}: "
                          f"{node.get('failureSummary', '').replace(chr(10), ' ')}")
    assert not problems, f"axe found problems on {page.url}:\n" + "\n".join(report)


def assert_no_csp_violations(messages: list[str]) -> None:
    violations = [m for m in messages if "Content Security Policy" in m]
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def check_page(page: Page) -> None:
    """What every visited page must pass: axe, and a console free of CSP violations."""
    assert_accessible(page)
    assert_no_csp_violations(CONSOLE.get(page, []))


def visit(page: Page, path: str, *, status: int = 200) -> None:
    """Open ``path`` and check the page."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path}: {response.status}"
    check_page(page)


def totp_code(secret: str) -> str:
    """The current six-digit code for a base32 secret, as an authenticator app shows
    it (RFC 6238: HMAC-SHA1, 30-second steps); written out here rather than borrowed
    from allauth, so the test does not check allauth against itself."""
    counter = int(time.time() // 30)
    key = base64.b32decode(secret.replace(" ", "").upper())
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp_code(secret: str) -> str:
    """A code that stays valid for a few seconds: the server accepts only the current
    step, so wait out the end of a step rather than race it."""
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return totp_code(secret)
