"""Checks every browser test applies to every page it visits: axe-core's WCAG 2.0/2.1 A
and AA rules, and no Content-Security-Policy violation in the console."""

from __future__ import annotations

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
