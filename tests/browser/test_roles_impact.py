"""Role design and the impact log in the browser: the manager designs a role, reads its
classification and checks, drafts and edits the job description, confirms it and
downloads it as a PDF; the peer worker confirms it too, then logs an improvement (past
the personal-data warning) and moves it through every stage. Every page is checked
with axe and the CSP console watch. Screenshots for a person to look at go to /tmp/shots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from browser.support import check_page, visit
from peerwork.impact.models import Improvement
from peerwork.roles.models import DocumentVersion

SHOTS = Path("/tmp/shots")
ROLE = "Erfaringskonsulent, ROP-teamet"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"roles-{name}.png"), full_page=True)


def main(page: Page):
    return page.get_by_role("main")


def manager_designs_a_role(page: Page, world) -> None:
    visit(page, f"/o/{world.org.slug}/")
    main(page).get_by_role("link", name="Peer worker roles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer worker roles")
    check_page(page)
    main(page).get_by_role("link", name="Design a role").click()
    check_page(page)
    form = main(page)
    form.get_by_label("Title of the role").fill(ROLE)
    form.get_by_label("Care provider with experiential expertise inside the team").check()
    form.get_by_label("Team or unit").fill("ROP-teamet")
    form.get_by_label("Peer worker in the role").select_option(label="Peer")
    form.get_by_role("textbox", name="Target group").fill("Adults with co-occurring substance use and mental "
                                           "health problems.")
    form.get_by_label("Lived experience sought").fill("Own recovery from substance use.")
    form.get_by_label("The lived experience matches the target group").check()
    form.get_by_role("group", name="Design").get_by_label("Service").check()
    form.get_by_role("group", name="Delivery").get_by_label("Individual").check()
    form.get_by_label("Co-producing service delivery").check()
    form.get_by_label("Tasks").fill("Individual follow-up\nRecovery groups")
    form.get_by_label("A peer worker sits on the hiring committee").check()
    form.get_by_label("As a team member: reads and writes in the medical file").check()
    shot(page, "design")
    form.get_by_role("button", name="Save the role").click()


def manager_reads_the_analysis(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(ROLE)
    body = main(page)
    expect(body.get_by_text("Partner in co-creation", exact=True)).to_be_visible()
    expect(body.get_by_text("Transformative potential: step 3 of 3.")).to_be_visible()
    expect(body.get_by_role("heading", name="Seniority: not alone when inexperienced")).to_be_visible()
    expect(body.get_by_role("heading", name="Supervision")).to_be_visible()
    check_page(page)
    shot(page, "detail")
    # The edit page, too, must pass.
    body.get_by_role("link", name="Edit the role").click()
    expect(page.get_by_label("Title of the role")).to_have_value(ROLE)
    check_page(page)
    page.go_back()


def manager_drafts_edits_confirms_and_downloads(page: Page) -> Path:
    main(page).get_by_role("link", name="Not drafted yet (Job description, English)").click()
    expect(main(page).get_by_text("This document has not been drafted yet.")).to_be_visible()
    check_page(page)
    main(page).get_by_role("button", name="Draft it from the role design").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Job description: {ROLE}")
    check_page(page)
    text = main(page).get_by_label("Text")
    text.fill(text.input_value() + "\n\n# Working hours\nDaytime, 80 % position.")
    main(page).get_by_role("button", name="Save as a new version").click()
    expect(main(page).get_by_role("heading", name="Working hours")).to_be_visible()
    expect(main(page).get_by_role("link", name="Version 2")).to_be_visible()
    main(page).get_by_role("button", name="Confirm as the manager").click()
    expect(main(page).get_by_text("Your confirmation is recorded.")).to_be_visible()
    check_page(page)
    shot(page, "document")
    with page.expect_download() as download_info:
        main(page).get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-job_description-en-v2.pdf")
    return Path(download.path())


def peer_worker_confirms(page: Page, world, role_url: str) -> None:
    visit(page, role_url)
    main(page).get_by_role("link", name="Version 2 (Job description, English)").click()
    main(page).get_by_role("button", name="Confirm as the peer worker").click()
    expect(main(page).get_by_text("This document is final")).to_be_visible()
    check_page(page)


def peer_worker_logs_an_improvement(page: Page, world) -> None:
    visit(page, f"/o/{world.org.slug}/impact/")
    main(page).get_by_role("link", name="Log an improvement").click()
    check_page(page)
    form = main(page)
    form.get_by_role("textbox", name=re.compile("^Title")).fill("Evening phone line for families")
    form.get_by_label("What the problem was").fill(
        "Families had nobody to call after four. One mother left her number, 912 34 567.")
    form.get_by_label("Service users' experience, heard by the peer worker").check()
    form.get_by_label("Boundary spanning: bridging and translating knowledge").check()
    form.get_by_role("group", name="Level of impact").get_by_label("Service").check()
    form.get_by_role("button", name="Save").click()
    # The warning comes first, with the text kept.
    expect(main(page).get_by_text("This text may identify someone.")).to_be_visible()
    expect(main(page).get_by_text("a phone number: “912 34 567”")).to_be_visible()
    check_page(page)
    shot(page, "warning")
    main(page).get_by_label("What the problem was").fill("Families had nobody to call after four.")
    main(page).get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening phone line for families")
    check_page(page)


def peer_worker_moves_it_through_the_stages(page: Page) -> None:
    for label in ["Raised with management", "Designed", "Piloted", "Implemented", "Assessed"]:
        main(page).get_by_role("button", name=f"Move to “{label}”").click()
        expect(main(page).get_by_text("The stage is saved.")).to_be_visible()
    expect(main(page).get_by_role("button", name=re.compile("^Move to"))).to_have_count(0)
    check_page(page)
    shot(page, "improvement")
    main(page).get_by_role("link", name="Edit").click()
    check_page(page)
    page.go_back()


@pytest.mark.browser
def test_roles_impact_design_a_role_and_log_an_improvement(page: Page, world, log_in):
    # Arrange
    log_in(world.manager)

    # Act: the manager designs the role and agrees the job description.
    manager_designs_a_role(page, world)
    manager_reads_the_analysis(page)
    role_url = page.url
    pdf = manager_drafts_edits_confirms_and_downloads(page)

    # Act: the peer worker confirms, logs an improvement and follows it through.
    log_in(world.peer)
    peer_worker_confirms(page, world, role_url)
    peer_worker_logs_an_improvement(page, world)
    peer_worker_moves_it_through_the_stages(page)

    # Assert: the log, its filter and the yearly summary show it.
    visit(page, f"/o/{world.org.slug}/impact/?stage=assessed")
    expect(main(page).get_by_role("link", name="Evening phone line for families")).to_be_visible()
    button = main(page).get_by_role("link", name="Log an improvement").bounding_box()
    summary_link = main(page).get_by_role("link", name=re.compile(r"^Impact summary \d{4}$"))
    summary = summary_link.bounding_box()
    assert button is not None
    assert summary is not None
    assert summary["x"] >= button["x"] + button["width"] + 8  # not glued to the button
    shot(page, "log")
    main(page).get_by_role("link", name=re.compile(r"^Impact summary \d{4}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^What peer workers changed in \d{4}$"))
    check_page(page)
    shot(page, "summary")
    assert pdf.read_bytes().startswith(b"%PDF-")
    with scopes_disabled():
        final = DocumentVersion.objects.get(number=2)
        entry = Improvement.objects.get()
    assert final.is_final
    assert "Working hours" in final.body
    assert entry.stage == "assessed"
    assert "912" not in entry.problem


@pytest.mark.browser
def test_roles_impact_pages_in_norwegian_pass_axe(page: Page, world, log_in):
    # Arrange: Norwegian pages have longer words; they must pass too.
    log_in(world.manager)
    visit(page, f"/o/{world.org.slug}/roles/")
    page.get_by_role("banner").get_by_role("button", name="Norsk bokmål", exact=True).click()

    # Act / Assert
    expect(page.get_by_role("heading", level=1)).to_have_text("Roller for erfaringskonsulenter")
    check_page(page)
    visit(page, f"/o/{world.org.slug}/roles/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utform en rolle")
    visit(page, f"/o/{world.org.slug}/impact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forbedringslogg")
