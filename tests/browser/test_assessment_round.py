"""A readiness and integration assessment round walked through as people do it: the
manager opens it on a desktop, eleven respondents answer on their phones through the
share links (one clicking every answer, one leaving half-way and coming back through
the private link, one in Norwegian), and the manager reads the results and plans."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect

from assessments.conftest import answer_everything
from browser.support import CONSOLE, assert_no_csp_violations, check_page, visit
from conftest import PASSWORD
from peerwork.assessments.models import Round

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/shots")
TITLE = "Fjordvik readiness, spring"
PARTS = 12  # sections of readiness-1 in a first-year round
QUESTIONS = 90
# Managers and colleagues agree, peer workers disagree: a gap of two points everywhere.
AGREE, DISAGREE = ("Somewhat agree", 4), ("Somewhat disagree", 2)

PhonePage = Callable[[], Page]


# --- Helpers ---------------------------------------------------------------------------


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def switch_language(page: Page, name: str) -> None:
    page.get_by_role("banner").get_by_role("button", name=name, exact=True).click()


def check_phone_page(page: Page) -> None:
    """axe and the CSP watch, and no sideways scrolling on a 360 px screen."""
    check_page(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def private_code(page: Page) -> str:
    match = re.search(r"/answer/([^/?]+)/", page.url)
    assert match is not None, page.url
    return match.group(1)


def questions(page: Page) -> Locator:
    """The questions, each a group of radio buttons (a comment box is a group too)."""
    return main(page).get_by_role("group").filter(has=page.get_by_role("radio"))


def answer(question: Locator, label: str) -> None:
    """Tap an answer and wait until the page says it is saved (HTMX, on change)."""
    question.get_by_role("radio", name=label, exact=True).check()
    expect(question.get_by_role("status")).to_have_text(re.compile(r"^(Saved\.|Lagret\.)$"))


def answer_first_question_of_each_part(page: Page, label: str) -> None:
    """From part 1, tap the first answer of every part and move on; ends on the review."""
    for part in range(1, PARTS + 1):
        expect(main(page).get_by_text(re.compile(rf"^(Part|Del) {part} (of|av) {PARTS}"))).to_be_visible()
        answer(questions(page).first, label)
        last = part == PARTS
        page.get_by_role("button", name="Save and review" if last else "Save and continue").click()


def submit(page: Page, code: str, answered: int = QUESTIONS) -> None:
    """From the review page: everything answered, submit, thanked."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit your answers")
    page.reload()  # the count includes answers given meanwhile by the no-JS form
    expect(main(page)).to_contain_text(f"You have answered {answered} of {QUESTIONS} questions")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page).to_have_url(re.compile(rf"/answer/{re.escape(code)}/submit/$"))


def answer_by_form(code: str, value: int, round_: Round) -> None:
    """The rest of the questionnaire through the no-JavaScript form, to keep the test fast."""
    answer_everything(Client(), code, value, round_)


def start(page: Page, link: str) -> str:
    page.goto(link)
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/answer/[^/]+/$"))
    return private_code(page)


# --- Fixtures --------------------------------------------------------------------------


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[PhonePage]:
    """New pages, each in its own browser context (a respondent's own phone), with the
    console watched for CSP violations like the `page` fixture's."""
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


# --- The round -------------------------------------------------------------------------


def open_round_as_manager(page: Page, world: Any) -> dict[str, str]:
    """Log in, find the assessments, open a round; returns the share links by position."""
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(world.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Your account")).to_be_visible()
    page.get_by_role("banner").get_by_role("link", name=world.org.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.org.name)
    check_page(page)

    main(page).get_by_role("link", name="Readiness and integration assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness and integration assessments")
    expect(main(page)).to_contain_text("No rounds yet.")
    check_page(page)

    main(page).get_by_role("link", name="Start a new round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new round")
    check_page(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("radio", name="First year with peer workers").check()
    page.get_by_role("radio", name="Care provider with experiential expertise inside the team").check()
    anonymous = page.get_by_role("checkbox", name="Anonymous answers")
    expect(anonymous).to_be_checked()  # the recommended choice comes ticked
    anonymous.uncheck()
    anonymous.check()
    page.get_by_label("Closing date").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Open the round").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("The round is open.")
    expect(main(page)).to_contain_text("Anonymous")
    check_page(page)
    links = {position: page.get_by_label(label, exact=True).input_value()
             for position, label in [("manager", "Manager"), ("colleague", "Professional colleague"),
                                     ("peer_worker", "Peer worker")]}
    assert len(set(links.values())) == 3
    for link in links.values():
        assert re.fullmatch(r"http://[^/]+/a/[\w-]+/", link), link
    return links


def answer_everything_in_the_browser(page: Page, link: str) -> None:
    """A peer worker on a phone taps through every part, checking each page on the way."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Peer workers in our service: readiness and integration assessment")
    expect(main(page)).to_contain_text("Your answers are anonymous.")
    check_phone_page(page)
    code = start(page, link)
    answered = 0
    for part in range(1, PARTS + 1):
        expect(main(page)).to_contain_text(
            f"Part {part} of {PARTS} · {answered} of {QUESTIONS} questions answered")
        check_phone_page(page)
        if part == 1:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / "questionnaire-part-360.png", full_page=True)
        items = questions(page)
        count = items.count()
        assert count > 0
        for index in range(count):
            answer(items.nth(index), DISAGREE[0])
        answered += count
        last = part == PARTS
        page.get_by_role("button", name="Save and review" if last else "Save and continue").click()
    assert answered == QUESTIONS
    check_phone_page(page)
    submit(page, code)
    check_phone_page(page)


def leave_and_resume(phone: PhonePage, link: str, round_: Round) -> None:
    """A colleague answers some questions, closes the phone's browser, and carries on
    later through the private link, finding the earlier answers still there."""
    page = phone()
    code = start(page, link)
    first, second = questions(page).nth(0), questions(page).nth(1)
    answer(first, AGREE[0])
    answer(second, "Don't know")
    page.get_by_role("button", name="Save and continue").click()
    expect(main(page)).to_contain_text("Part 2 of 12 · 2 of 90 questions answered")
    answer(questions(page).first, AGREE[0])
    private_link = main(page).get_by_role("link", name="your private link").get_attribute("href")
    page.context.close()  # mid-way, without "Save and continue"

    later = phone()
    later.goto(private_link)
    expect(main(later)).to_contain_text("Part 1 of 12 · 3 of 90 questions answered")
    check_phone_page(later)
    expect(questions(later).nth(0).get_by_role("radio", name=AGREE[0])).to_be_checked()
    expect(questions(later).nth(1).get_by_role("radio", name="Don't know")).to_be_checked()
    expect(questions(later).nth(2).get_by_role("radio", checked=True)).to_have_count(0)
    later.get_by_role("button", name="Save and continue").click()
    expect(questions(later).first.get_by_role("radio", name=AGREE[0])).to_be_checked()

    answer_by_form(code, AGREE[1], round_)
    later.goto(f"/answer/{code}/submit/")
    submit(later, code)


def answer_in_norwegian(phone: PhonePage, link: str, round_: Round) -> None:
    page = phone()
    page.goto(link)
    switch_language(page, "Norsk bokmål")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Erfaringskonsulenter i tjenesten: kartlegging av forutsetninger og integrering")
    check_phone_page(page)
    page.get_by_role("button", name="Start").click()
    expect(main(page)).to_contain_text("Del 1 av 12")
    check_phone_page(page)
    answer(questions(page).first, "Nokså uenig")
    code = private_code(page)
    switch_language(page, "English")
    answer_by_form(code, DISAGREE[1], round_)
    page.goto(f"/answer/{code}/submit/")
    submit(page, code)


def answer_quickly(phone: PhonePage, link: str, choice: tuple[str, int], round_: Round) -> None:
    """Tap the first answer of every part; the rest goes through the no-JS form."""
    page = phone()
    code = start(page, link)
    answer_first_question_of_each_part(page, choice[0])
    answer_by_form(code, choice[1], round_)
    submit(page, code)


def read_results_and_plan(page: Page, world: Any) -> None:
    main(page).get_by_role("navigation", name="Assessment round").get_by_role(
        "link", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results: {TITLE}")
    expect(main(page)).to_contain_text("11 submitted answers.")
    check_page(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "results-1280.png", full_page=True)

    # The scores table: the lone manager is merged with the colleagues, never shown alone.
    table = main(page).get_by_role("table", name=re.compile("^Average score"))
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Area", "All respondents", "Managers and colleagues", "Peer workers", "Gap"])
    expect(main(page).get_by_text(re.compile(r"^Managers?$"))).to_have_count(0)
    vision = table.get_by_role("row", name=re.compile("Vision on recovery"))
    expect(vision.get_by_role("cell")).to_have_text(
        [re.compile(r"^3\.1 \(±1\.0, n=11\)"), re.compile(r"^4\.0 \(±0\.0, n=6\)"),
         re.compile(r"^2\.0 \(±0\.0, n=5\)"), "2.0 differs"])
    # The gap is highlighted, in words as well as in colour.
    expect(vision).to_have_class(re.compile(r"\bgap\b"))
    assert vision.evaluate("row => getComputedStyle(row).backgroundColor") not in (
        "rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")

    # A finding with what to do about it.
    findings = main(page).get_by_role("region", name="Weakest areas and differing views")
    finding = findings.get_by_role("article").filter(
        has=page.get_by_role("button", name="Add to the action plan")).first
    expect(finding).to_contain_text(
        "The groups see this differently: Peer workers lowest, Managers and colleagues highest")
    recommendation = finding.get_by_role("listitem").filter(
        has=page.get_by_role("button", name="Add to the action plan")).first
    expect(recommendation.get_by_role("button", name="Add to the action plan")).to_be_visible()
    action_title = recommendation.locator("strong").first.inner_text().rstrip(".")
    recommendation.get_by_label("Who is responsible").fill("Kari, team leader")
    due = timezone.localdate() + dt.timedelta(days=60)
    recommendation.get_by_label("Due date").fill(due.isoformat())
    recommendation.get_by_role("button", name="Add to the action plan").click()

    # The action plan.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action plan: {TITLE}")
    expect(page.get_by_role("status")).to_have_text("The action is added to the plan.")
    check_page(page)
    plan = main(page).get_by_role("table", name="Actions, by due date")
    row = plan.get_by_role("row", name=re.compile(re.escape(action_title)))
    expect(row).to_contain_text("Kari, team leader")
    status = row.get_by_label(f"Status of “{action_title}”")
    expect(status).to_have_value("planned")
    status.select_option(label="Done")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action plan: {TITLE}")
    expect(plan.get_by_role("row", name=re.compile(re.escape(action_title))).get_by_label(
        f"Status of “{action_title}”")).to_have_value("done")
    check_page(page)

    # The results in Norwegian.
    main(page).get_by_role("navigation", name="Assessment round").get_by_role(
        "link", name="Results").click()
    switch_language(page, "Norsk bokmål")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Resultater: {TITLE}")
    expect(main(page).get_by_role("columnheader", name="Ledere og fagansatte")).to_be_visible()
    check_page(page)


@pytest.mark.browser
def test_assessment_round_from_opening_to_action_plan(page: Page, phone: PhonePage, world):
    # Arrange: the manager opens a round on a desktop.
    page.set_viewport_size(DESKTOP)
    links = open_round_as_manager(page, world)
    with scopes_disabled():
        round_ = Round.objects.get(title=TITLE)

    # Act: eleven people answer on their phones, each in their own browser.
    answer_everything_in_the_browser(phone(), links["peer_worker"])
    leave_and_resume(phone, links["colleague"], round_)
    answer_in_norwegian(phone, links["peer_worker"], round_)
    for _ in range(3):
        answer_quickly(phone, links["peer_worker"], DISAGREE, round_)
    for _ in range(4):
        answer_quickly(phone, links["colleague"], AGREE, round_)
    answer_quickly(phone, links["manager"], AGREE, round_)

    # Assert: participation, then results and the action plan.
    page.reload()
    participation = main(page).get_by_role("table", name=re.compile("^Who has answered"))
    for position, count in [("Manager", "1"), ("Professional colleague", "5"), ("Peer worker", "5")]:
        row = participation.get_by_role("row", name=position, exact=False).filter(
            has=page.get_by_role("rowheader", name=position, exact=True))
        expect(row.get_by_role("cell")).to_have_text([count, count])
    read_results_and_plan(page, world)
