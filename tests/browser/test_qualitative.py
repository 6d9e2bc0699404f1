"""Qualitative analysis in the browser: a peer co-researcher codes meaning units with
the keyboard alone and with the mouse, and every page of a project passes axe and the
CSP watch. Screenshots for a person to look at go to /tmp/shots/."""

from __future__ import annotations

from pathlib import Path

from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from tests.qualitative.conftest import make_team

from browser.support import check_page, visit
from peerwork.qualitative import services
from peerwork.qualitative.models import MeaningUnit

SHOTS = Path("/tmp/shots")


def tab_to(page: Page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def units(document) -> list[tuple[str, list[str]]]:
    with scopes_disabled():
        return [(u.text, sorted(u.codes.values_list("name", flat=True)))
                for u in MeaningUnit.objects.filter(document=document).order_by("start")]


def test_qualitative_code_with_the_keyboard_alone(page: Page, world, log_in):
    team = make_team(world)
    log_in(team.analyst)
    text = team.document.text
    first_two = text[:text.index("rollen.") + len("rollen")]
    second_turn = text[text.index("P2:"):]
    visit(page, f"/o/{world.org.slug}/analysis/{team.project.pk}/documents/{team.document.pk}/")

    tab_to(page, "doc-text")
    page.keyboard.press("ArrowDown")        # the first sentence
    page.keyboard.press("Shift+ArrowDown")  # and the next
    page.keyboard.press("Shift+ArrowLeft")  # less its full stop
    expect(page.locator("#selection-status")).to_contain_text("Det tok tid å finne rollen")
    page.keyboard.press("c")
    page.keyboard.type("likeverd")
    page.keyboard.press("Enter")
    expect(page.locator("#units-heading")).to_have_text("1 meaning unit")
    expect(page.locator("#doc-text")).to_be_focused()
    page.keyboard.press("ArrowDown")        # the sentence after the unit, past the emoji
    page.keyboard.press("c")
    page.keyboard.type("rolle")
    page.keyboard.press("Enter")
    expect(page.locator("#units-heading")).to_have_text("2 meaning units")
    check_page(page)

    assert units(team.document) == [(first_two, ["likeverd"]), (second_turn, ["rolle"])]


POINT_AT = """([words, last]) => {
    // The screen position of a character of ``words`` in the document, across <mark>s.
    const root = document.getElementById('doc-text');
    let at = root.textContent.indexOf(words) + (last ? words.length - 1 : 0);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && at >= node.length) { at -= node.length; }
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + 1);
    const box = range.getBoundingClientRect();
    return {x: last ? box.right - 1 : box.left + 1, y: box.top + box.height / 2};
}"""


def drag_over(page: Page, words: str) -> None:
    start = page.evaluate(POINT_AT, [words, False])
    end = page.evaluate(POINT_AT, [words, True])
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=5)
    page.mouse.up()


def test_qualitative_code_with_the_mouse(page: Page, world, log_in):
    team = make_team(world)
    text = team.document.text
    # An earlier unit, drawn as a <mark> inside the stretch the mouse will select.
    services.mark_unit(actor=team.lead, document=team.document, start=text.index("likeverdige"),
                       end=text.index("likeverdige") + len("likeverdige"), code_ids=[team.code.pk])
    log_in(team.analyst)
    visit(page, f"/o/{world.org.slug}/analysis/{team.project.pk}/documents/{team.document.pk}/")

    across = "som likeverdige 👩🏽‍⚕️ i teamet"
    drag_over(page, across)
    expect(page.locator("#selection-status")).to_contain_text(across)
    page.get_by_label("Code", exact=True).fill("erfaring")
    page.get_by_role("button", name="Code this unit").click()
    expect(page.locator("#units-heading")).to_have_text("2 meaning units")
    words = "Erfaringen min ble brukt"
    drag_over(page, words)
    expect(page.locator("#selection-status")).to_contain_text(words)
    page.get_by_label("Code", exact=True).fill("erfaring")
    page.get_by_role("button", name="Code this unit").click()
    expect(page.locator("#coding-status")).to_have_text(
        "The meaning unit is coded. Arrow down selects the next sentence.")
    expect(page.locator("#units-heading")).to_have_text("3 meaning units")
    page.screenshot(path=str(SHOTS / "qualitative-document.png"), full_page=True)

    assert units(team.document) == [(across, ["erfaring"]), ("likeverdige", ["likeverd"]),
                                    (words, ["erfaring"])]


def test_qualitative_every_page_is_accessible(page: Page, world, log_in):
    team = make_team(world)
    unit = services.mark_unit(actor=team.analyst, document=team.document, start=4, end=30,
                              code_ids=[team.code.pk])
    services.save_condensate(actor=team.analyst, group=team.subgroup, text="Vi ble sett.",
                             golden_quote_id=unit.pk)
    services.add_statement(actor=team.analyst, group=team.group, text="De ble sett.",
                           source_ids=[unit.pk])
    services.add_memo(actor=team.lead, project=team.project, text="Et notat", code_id=team.code.pk)
    services.add_comment(actor=team.validator, project=team.project, step=3, text="Stemmer")
    log_in(team.lead)
    base = f"/o/{world.org.slug}/analysis/{team.project.pk}/"
    visit(page, f"/o/{world.org.slug}/")
    page.get_by_role("link", name="Qualitative analysis").click()
    check_page(page)
    for path in ["", "codebook/", "steps/1/", "steps/2/", "steps/3/", "steps/4/",
                 f"groups/{team.group.pk}/", f"groups/{team.subgroup.pk}/", "speakers/", "report/",
                 f"codes/{team.code.pk}/", f"groups/{team.group.pk}/edit/",
                 f"team/?document={team.document.pk}&first={team.analyst.pk}&second={team.lead.pk}",
                 f"documents/{team.document.pk}/"]:
        visit(page, base + path)
        page.screenshot(path=str(SHOTS / f"qualitative-{path.split('/')[0] or 'project'}.png"),
                        full_page=True)
    visit(page, base)
    page.get_by_label("File", exact=True).first.set_input_files(
        files=[{"name": "x.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}])
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="The import failed")).to_be_visible()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Norsk bokmål").click()
    visit(page, base + f"documents/{team.document.pk}/")
    expect(page.get_by_role("button", name="Kod denne enheten")).to_be_visible()
