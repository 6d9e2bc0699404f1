"""A readiness and integration assessment round, walked through as people do it: the
manager opens it on a desktop; eleven respondents answer on their phones through the
share links (one taps every answer, one leaves half-way and comes back through the
private link, one answers in Norwegian); the manager reads the results and plans.

Every page is checked with axe and the CSP console watch; respondents' pages also must
not scroll sideways at 360 px. Screenshots for a person to look at go to /tmp/shots/."""

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

from browser.support import CONSOLE, assert_no_csp_violations, check_page, visit
from conftest import PASSWORD
from peerwork.assessments.models import Round
from peerwork.assessments.questionnaires import get_questionnaire

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/shots")
TITLE = "Fjordvik readiness, spring"
PARTS = 12  # of readiness-1 in a first-year round
QUESTIONS = 90
AGREE, DISAGREE = ("Somewhat agree", 4), ("Somewhat disagree", 2)
# Managers and colleagues agree throughout. Peer workers disagree in these parts (vision,
# support) and agree elsewhere: two areas where the groups differ, the rest where not.
GAP_PARTS = {1, 9}

PhoneFactory = Callable[[], Page]


def choice(position: str, part: int) -> tuple[str, int]:
    return DISAGREE if position == "peer_worker" and part in GAP_PARTS else AGREE


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


def progress(page: Page, part: int, answered: int | None = None) -> None:
    """The line above each part, e.g. "Part 2 of 12 · 3 of 90 questions answered"."""
    text = rf"Part {part} of {PARTS} ·\s+"
    text += rf"{answered} of {QUESTIONS}" if answered is not None else r"\d+ of \d+"
    expect(main(page).get_by_text(re.compile(rf"^{text} questions answered$"))).to_be_visible()


def tap(question: Locator, label: str) -> None:
    """Tap an answer and wait until the page says it is saved (HTMX, on change)."""
    question.get_by_role("radio", name=label, exact=True).check()
    expect(question.get_by_role("status")).to_have_text(re.compile(r"^(Saved\.|Lagret\.)$"))


def next_part(page: Page, part: int) -> None:
    page.get_by_role("button", name="Save and review" if part == PARTS else "Save and continue",
                     exact=True).click()


def start(page: Page, link: str) -> str:
    """Open a share link and start; returns the private code."""
    page.goto(link)
    page.get_by_role("button", name="Start", exact=True).click()
    progress(page, 1)
    return private_code(page)


def answer_by_form(code: str, round_: Round, position: str) -> None:
    """Answer every question through the no-JavaScript form: fast, and the same answers
    a person would give by tapping."""
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    sections = [s for s in questionnaire.sections if any(i.applies_to(round_.stage) for i in s.items)]
    assert len(sections) == PARTS
    client = Client()
    for index, section in enumerate(sections):
        value = choice(position, index + 1)[1]
        body = {f"value-{i.id}": str(value) for i in section.items if i.applies_to(round_.stage)}
        response = client.post(f"/answer/{code}/?section={index}", {**body, "go": "next"})
        assert response.status_code == 302, response.content[:500]


def submit(page: Page, code: str) -> None:
    """From the review page (reloaded, so the count includes answers given meanwhile by
    the no-JS form): everything answered, submit, thanked."""
    expect(page).to_have_url(re.compile(rf"/answer/{re.escape(code)}/submit/$"))
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit your answers")
    expect(main(page)).to_contain_text(f"You have answered {QUESTIONS} of {QUESTIONS} questions.")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


# --- Fixtures --------------------------------------------------------------------------


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[PhoneFactory]:
    """New pages, each in a browser context of its own (a respondent's own phone), with
    the console watched for CSP violations like the `page` fixture's."""
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


# --- The people ------------------------------------------------------------------------


def manager_opens_a_round(page: Page, world: Any) -> dict[str, str]:
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
    anonymous.check()
    page.get_by_label("Closing date").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Open the round").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("The round is open.")
    facts = main(page).locator("dl")
    expect(facts).to_contain_text("First year with peer workers")
    expect(facts).to_contain_text("Anonymous")
    check_page(page)
    links = {position: page.get_by_label(label, exact=True).input_value()
             for position, label in [("manager", "Manager"), ("colleague", "Professional colleague"),
                                     ("peer_worker", "Peer worker")]}
    assert len(set(links.values())) == 3
    for link in links.values():
        assert re.fullmatch(r"http://[^/]+/a/[\w-]+/", link), link
    return links


def peer_worker_taps_through_everything(page: Page, link: str) -> None:
    """Every answer tapped, part after part, each page checked on a 360 px screen."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Peer workers in our service: readiness and integration assessment")
    expect(main(page)).to_contain_text("Your answers are anonymous.")
    check_phone_page(page)
    code = start(page, link)
    answered = 0
    for part in range(1, PARTS + 1):
        progress(page, part, answered)
        check_phone_page(page)
        items = questions(page)
        count = items.count()
        for index in range(count):
            tap(items.nth(index), choice("peer_worker", part)[0])
        answered += count
        if part == 1:
            # Each answer's whole label is the tap target, at least 44 px high.
            boxes = items.get_by_role("radio").evaluate_all(
                "radios => radios.map(r => r.labels[0].getBoundingClientRect().toJSON())")
            assert len(boxes) == count * 6
            assert min(b["height"] for b in boxes) >= 44, boxes
            assert min(b["width"] for b in boxes) >= 44, boxes
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / "questionnaire-part-360.png", full_page=True)
        if part == 2:
            # A keyboard user presses Enter on the answer: forward, not back a part.
            items.last.get_by_role("radio", checked=True).press("Enter")
        else:
            next_part(page, part)
    assert answered == QUESTIONS
    check_phone_page(page)
    submit(page, code)
    check_phone_page(page)


def colleague_leaves_and_resumes(phone: PhoneFactory, link: str, round_: Round) -> None:
    """Some answers, the browser closed without "Save and continue", and later, on the
    private link, the earlier answers are still there."""
    page = phone()
    code = start(page, link)
    tap(questions(page).nth(0), AGREE[0])
    tap(questions(page).nth(1), "Don't know")
    next_part(page, 1)
    progress(page, 2, 2)
    tap(questions(page).first, AGREE[0])
    private_link = main(page).get_by_role("link", name="your private link").get_attribute("href")
    assert private_link == f"/answer/{code}/"
    page.context.close()

    later = phone()
    later.goto(private_link)
    progress(later, 1, 3)
    check_phone_page(later)
    expect(questions(later).nth(0).get_by_role("radio", name=AGREE[0])).to_be_checked()
    expect(questions(later).nth(1).get_by_role("radio", name="Don't know")).to_be_checked()
    expect(questions(later).nth(2).get_by_role("radio", checked=True)).to_have_count(0)
    next_part(later, 1)
    progress(later, 2, 3)
    expect(questions(later).first.get_by_role("radio", name=AGREE[0])).to_be_checked()

    answer_by_form(code, round_, "colleague")
    later.goto(f"/answer/{code}/submit/")
    submit(later, code)


def peer_worker_answers_in_norwegian(phone: PhoneFactory, link: str, round_: Round) -> None:
    page = phone()
    page.goto(link)
    switch_language(page, "Norsk bokmål")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Erfaringskonsulenter i tjenesten: kartlegging av forutsetninger og integrering")
    check_phone_page(page)
    page.get_by_role("button", name="Begynn", exact=True).click()
    expect(main(page).get_by_text(re.compile(r"^Del 1 av 12 ·\s+0 av 90 spørsmål"))).to_be_visible()
    expect(page.get_by_role("button", name="Lagre og fortsett")).to_be_visible()
    check_phone_page(page)
    tap(questions(page).first, "Nokså uenig")
    code = private_code(page)
    switch_language(page, "English")
    answer_by_form(code, round_, "peer_worker")
    page.goto(f"/answer/{code}/submit/")
    submit(page, code)


def respondent_answers_quickly(phone: PhoneFactory, link: str, position: str, round_: Round) -> None:
    """The first answer of every part tapped; to keep the test fast, the rest of the
    answers go through the no-JS form."""
    page = phone()
    code = start(page, link)
    for part in range(1, PARTS + 1):
        tap(questions(page).first, choice(position, part)[0])
        next_part(page, part)
    answer_by_form(code, round_, position)
    submit(page, code)


def manager_reads_results_and_plans(page: Page) -> None:
    # Participation: counts only.
    page.reload()
    participation = main(page).get_by_role("table", name=re.compile("^Who has answered"))
    for position, count in [("Manager", "1"), ("Professional colleague", "5"), ("Peer worker", "5")]:
        row = participation.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=position, exact=True))
        expect(row.get_by_role("cell")).to_have_text([count, count])

    main(page).get_by_role("navigation", name="Assessment round").get_by_role(
        "link", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results: {TITLE}")
    expect(main(page)).to_contain_text("11 submitted answers.")
    check_page(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "results-1280.png", full_page=True)

    # The scores table: the lone manager is merged with the colleagues, never shown alone.
    table = main(page).get_by_role("table", name=re.compile("^Average score"))
    headers = table.get_by_role("columnheader")
    for index, name in enumerate(["Area", "All respondents", "Managers and colleagues",
                                  "Peer workers", "Gap"]):
        expect(headers.nth(index)).to_have_text(name)
    expect(main(page).get_by_text(re.compile(r"^Managers?$"))).to_have_count(0)
    vision = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="1 Vision on recovery and the use of experiential expertise"))
    calm = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2 Cultural change"))
    for row, cells in [(vision, ["3.1 (±1.0, n=11)", "4.0 (±0.0, n=6)", "2.0 (±0.0, n=5)", "2.0 differs"]),
                       (calm, ["4.0 (±0.0, n=11)", "4.0 (±0.0, n=6)", "4.0 (±0.0, n=5)", "0.0"])]:
        for index, text in enumerate(cells):
            expect(row.get_by_role("cell").nth(index)).to_have_text(text)
    # The gaps stand out, in words and in colour.
    expect(table.locator("tr.gap")).to_have_count(2)
    expect(vision).to_have_class("gap")
    shade = "cell => getComputedStyle(cell).backgroundColor"
    assert vision.get_by_role("cell").first.evaluate(shade) != calm.get_by_role("cell").first.evaluate(shade)

    # Findings, weakest first, with what to do about them.
    findings = main(page).get_by_role("region", name="Weakest areas and differing views")
    expect(findings.get_by_role("heading", level=3)).to_have_text(
        ["Vision on recovery and the use of experiential expertise", "Support"])
    finding = findings.get_by_role("article").first
    expect(finding).to_contain_text(
        "The groups see this differently: Peer workers lowest, Managers and colleagues highest"
        " (a gap of 2.0 points).")
    recommendation = finding.get_by_role("listitem").first
    action_title = recommendation.locator("strong").first.inner_text().rstrip(".")
    recommendation.get_by_label("Who is responsible").fill("Kari, team leader")
    due = timezone.localdate() + dt.timedelta(days=60)
    recommendation.get_by_label("Due date").fill(due.isoformat())
    recommendation.get_by_role("button", name="Add to the action plan").click()

    # The action plan lists it; it gets done.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action plan: {TITLE}")
    expect(page.get_by_role("status")).to_have_text("The action is added to the plan.")
    check_page(page)
    plan = main(page).get_by_role("table", name="Actions, by due date")
    row = plan.get_by_role("row").filter(has=page.get_by_text(action_title, exact=True))
    expect(row.get_by_role("cell")).to_have_text(
        [action_title, "Vision on recovery and the use of experiential expertise", "Kari, team leader",
         re.compile(r"\d"), re.compile("Planned")])
    status = row.get_by_label(f"Status of “{action_title}”")
    expect(status).to_have_value("planned")
    status.select_option(label="Done")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action plan: {TITLE}")
    expect(plan.get_by_label(f"Status of “{action_title}”")).to_have_value("done")
    check_page(page)

    # The results in Norwegian.
    main(page).get_by_role("navigation", name="Assessment round").get_by_role(
        "link", name="Results").click()
    switch_language(page, "Norsk bokmål")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Resultater: {TITLE}")
    expect(main(page).get_by_role("columnheader", name="Ledere og fagansatte")).to_be_visible()
    check_page(page)


# --- The round -------------------------------------------------------------------------


@pytest.mark.browser
def test_assessment_round_opened_answered_on_phones_and_acted_on(page: Page, phone: PhoneFactory,
                                                                   world):
    # Arrange: the manager opens a round on a desktop.
    page.set_viewport_size(DESKTOP)
    links = manager_opens_a_round(page, world)
    with scopes_disabled():
        round_ = Round.objects.get(title=TITLE)

    # Act: eleven people answer on their phones, each in a browser of their own.
    peer_worker_taps_through_everything(phone(), links["peer_worker"])
    colleague_leaves_and_resumes(phone, links["colleague"], round_)
    peer_worker_answers_in_norwegian(phone, links["peer_worker"], round_)
    for position, count in [("peer_worker", 3), ("colleague", 4), ("manager", 1)]:
        for _ in range(count):
            respondent_answers_quickly(phone, links[position], position, round_)

    # Assert: the manager sees who took part, the results, and acts on them.
    manager_reads_results_and_plans(page)
