"""A survey wave walked through as people do it: a manager builds a survey from the
national template on a desktop, adds a question, previews, publishes and opens a wave;
a peer worker answers on a 360 px phone, leaves half-way, comes back on another phone
with the private link, and sends. Every page is checked with axe and the CSP watch;
the phone pages must not scroll sideways. Screenshots go to /tmp/shots/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from browser.support import CONSOLE, assert_no_csp_violations, check_page, visit
from peerwork.surveys.models import Response, Wave

PHONE = {"width": 360, "height": 740}
SHOTS = Path("/tmp/shots")


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Callable[[], Page]]:
    contexts = []
    messages: list[str] = []

    def new_phone() -> Page:
        context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        CONSOLE[page] = messages

        def record(message: ConsoleMessage) -> None:
            messages.append(f"{message.type}: {message.text} ({page.url})")

        page.on("console", record)
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error} ({page.url})"))
        return page

    yield new_phone
    for context in contexts:
        context.close()
    assert_no_csp_violations(messages)


def check_phone(page: Page, shot: str = "") -> None:
    check_page(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"
    if shot:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"survey-{shot}.png"), full_page=True)


def build_and_open(page: Page, slug: str) -> str:
    """The manager's part; returns the open link."""
    visit(page, f"/o/{slug}/")
    page.get_by_role("link", name="Surveys").click()
    check_page(page)
    page.get_by_role("link", name="New survey").click()
    check_page(page)
    page.get_by_label("National survey of peer workers").check()
    page.get_by_label("Short name").fill("national-2027")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit version 1 (draft)")
    check_page(page)
    page.get_by_text("Add a question to cycle").click()
    form = page.locator("form:has(input[name='prefix'][value='new-cycle'])")
    form.get_by_label("Id").fill("proud")
    form.get_by_label("Type").select_option("likert")
    form.get_by_label("Question in English").fill("I am proud of my work.")
    form.get_by_label("Question in Norwegian").fill("Jeg er stolt av arbeidet mitt.")
    form.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("I am proud of my work.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Preview as a respondent").click()
    check_page(page)
    # Skip logic in the preview: the follow-up appears only after "Yes".
    follow_up = page.locator("#item-jd_matches")
    expect(follow_up).to_be_hidden()
    page.locator("#item-jd_exists").get_by_label("Yes").check()
    expect(follow_up).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Publish this version").click()
    check_page(page)
    page.get_by_role("link", name="Open a wave").click()
    check_page(page)
    page.get_by_label("Title").fill("National survey 2027")
    page.get_by_label("Closing date").fill("2099-12-31")
    page.get_by_label("Contact").fill("survey@example.test")
    page.get_by_role("button", name="Open the wave").click()
    check_page(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "survey-wave.png"), full_page=True)
    return page.get_by_label("Link").input_value()


def settle(page: Page) -> None:
    """Leave the field being typed in (its change event saves it, HTMX) and let the save
    finish, as a person's pace would: the test server's in-memory SQLite locks whole
    tables, so a save racing the page's own POST would fail here where a file database
    waits."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_load_state("networkidle")


def answer_section(page: Page) -> None:
    """Give a plausible answer to what is visible on this page and go on."""
    for box in page.locator("fieldset.item:visible").all():
        radios = box.locator("input[type=radio]:visible")
        numbers = box.locator("input[inputmode]:visible")
        if box.get_attribute("id") == "item-fte":
            numbers.fill("80")
        elif box.get_attribute("id") == "item-salary":
            numbers.fill("455000")
        elif box.get_attribute("id") == "item-started_year":
            numbers.fill("2019")
        elif radios.count():
            for row in box.locator("fieldset.matrix-row").all() or [box]:
                row.locator("input[type=radio]").first.check()
        settle(page)


@pytest.mark.browser
def test_survey_built_published_and_answered_on_a_phone_with_resume(
    page: Page, phone: Any, world: Any, log_in: Any
) -> None:
    # Arrange: the manager builds and opens the wave on a desktop.
    log_in(world.manager)
    link = build_and_open(page, world.org.slug)
    path = "/" + link.split("/", 3)[3]

    # Act: a peer worker starts on a phone, answers two parts, and leaves.
    first = phone()
    visit(first, path)
    check_phone(first, "privacy")
    first.get_by_label("I have read the statement above and agree to take part.").check()
    first.get_by_role("button", name="Start").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Your position")
    check_phone(first, "section")
    first.locator("#q-fte").fill("250")
    settle(first)
    # The answer saved on leaving the field is refused, and the question says why at once.
    refused = first.locator("#status-fte")
    expect(refused).to_have_text("The largest answer allowed is 100.")
    expect(refused).to_have_attribute("role", "alert")
    first.get_by_role("button", name="Save and continue").click()
    expect(first.get_by_text("The largest answer allowed is 100.")).to_be_visible()
    check_phone(first, "error")
    answer_section(first)
    first.get_by_role("button", name="Save and continue").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Pay")
    private = first.get_by_role("link", name="your private link").get_attribute("href")
    answer_section(first)
    settle(first)
    first.get_by_role("button", name="Save and continue").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Training and job description")

    # ... and comes back later on another phone with the private link.
    second = phone()
    assert private is not None
    visit(second, private)
    expect(second.get_by_role("heading", level=1)).to_have_text("Training and job description")
    check_phone(second)
    while second.get_by_role("button", name="Save and continue").count():
        answer_section(second)
        second.get_by_role("button", name="Save and continue").click()
        check_phone(second)
    answer_section(second)
    second.get_by_role("button", name="Save and review").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Review and send")
    check_phone(second, "review")
    second.get_by_role("button", name="Send my answers").click()
    expect(second.get_by_text("Your answers have been saved.")).to_be_visible()
    check_phone(second, "done")

    # Assert: one submitted answer with the pay and the part-time share, nothing else.
    with scopes_disabled():
        wave = Wave.objects.get(title="National survey 2027")
        [response] = Response.objects.filter(wave=wave)
    assert response.status == "submitted"
    assert response.answers["fte"] == 80
    assert response.answers["salary"] == 455000
    assert response.answers["jd_exists"] == "yes"
