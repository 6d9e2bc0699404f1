"""A role's life after its documents are agreed, in the browser: the manager names the
people who receive the peer worker, reads a Norwegian onboarding plan in the English
interface and drafts the English one too, revises a final job description, archives
and restores the role, and deletes a role made by mistake. Every page is checked with
axe and the CSP console watch; screenshots go to /tmp/shots/."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from tests.roles.conftest import design_role

from browser.support import check_page, visit
from peerwork.roles import services
from peerwork.roles.models import DocumentVersion, RoleDesign

from .test_roles_impact import main, shot


def final_job_description(world, role) -> None:
    version = services.save_document(actor=world.manager, role=role, kind="job_description",
                                     language="en", based_on=None)
    for user, side in ((world.manager, "manager"), (world.peer, "peer_worker")):
        services.confirm_document(actor=user, role=role, kind="job_description", language="en",
                                  number=version.number, side=side)


def manager_names_the_people(page: Page, role_url: str) -> None:
    visit(page, role_url + "edit/")
    form = main(page)
    form.get_by_label("Contact person").fill("Kari Nordmann")
    form.get_by_label("Buddy or mentor").fill("Per Hansen, senior peer worker")
    form.get_by_label("External supervisor or coach").fill("Line Berg")
    form.get_by_role("button", name="Save the role").click()
    expect(main(page).get_by_text("The role is saved.")).to_be_visible()
    expect(main(page).get_by_role("heading", name="Senior buddy")).to_have_count(0)
    check_page(page)


def manager_reads_a_norwegian_plan_and_drafts_the_english_one(page: Page, role_url: str) -> None:
    visit(page, role_url + "documents/onboarding_plan/nb/")
    main(page).get_by_role("button", name="Draft it from the role design").click()
    article = main(page).locator("article")
    expect(article).to_have_attribute("lang", "nb")
    expect(article.get_by_role("heading", level=1)).to_contain_text("Introduksjonsplan")
    expect(article.get_by_text("Erfaren fadder: Per Hansen, senior peer worker")).to_be_visible()
    expect(main(page).get_by_text("This document is in Norwegian Bokmål.")).to_be_visible()
    check_page(page)
    shot(page, "document-nb-in-english")
    main(page).get_by_role("button", name="Draft it in English too").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Onboarding plan: Erfaringskonsulent, ROP-teamet")
    expect(main(page).get_by_role("link", name="Show the Norwegian Bokmål document")).to_be_visible()
    check_page(page)


def manager_revises_the_final_job_description(page: Page, role_url: str) -> None:
    visit(page, role_url + "documents/job_description/en/")
    expect(main(page).get_by_role("heading", name="Final")).to_be_visible()
    shot(page, "document-final")
    main(page).get_by_role("button", name="Start a new version").click()
    expect(main(page).get_by_text("Version 1 stays in force until")).to_be_visible()
    expect(main(page).get_by_role("link", name="Version 2")).to_be_visible()
    check_page(page)
    shot(page, "document-revision")


def manager_archives_and_restores(page: Page, world, role_url: str) -> None:
    visit(page, role_url)
    main(page).get_by_role("button", name="Archive the role").click()
    expect(main(page).get_by_text("This role was archived on")).to_be_visible()
    check_page(page)
    shot(page, "archived")
    visit(page, f"/o/{world.org.slug}/roles/")
    main(page).get_by_role("link", name="Show the archived role (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archived peer worker roles")
    check_page(page)
    main(page).get_by_role("link", name="Erfaringskonsulent, ROP-teamet").click()
    main(page).get_by_role("link", name="Delete the role").click()
    expect(main(page).get_by_text("This role cannot be deleted")).to_be_visible()
    check_page(page)
    shot(page, "delete-refused")
    main(page).get_by_role("link", name="Back to the role").click()
    main(page).get_by_role("button", name="Restore the role").click()
    expect(main(page).get_by_text("The role is restored and in use again.")).to_be_visible()
    check_page(page)


def manager_deletes_a_mistake(page: Page, world, mistake_url: str) -> None:
    visit(page, mistake_url + "delete/")
    shot(page, "delete-confirm")
    main(page).get_by_role("button", name="Delete the role").click()
    expect(main(page).get_by_text("The role “Typo” is deleted.")).to_be_visible()
    check_page(page)


@pytest.mark.browser
def test_roles_lifecycle_people_languages_revision_archive_delete(page: Page, world, log_in):
    # Arrange: a role with a final job description, and one made by mistake.
    role = design_role(world, contact_person="", buddy="", supervisor="")
    final_job_description(world, role)
    mistake = design_role(world, title="Typo")
    role_url = f"/o/{world.org.slug}/roles/{role.pk}/"
    log_in(world.manager)

    # Act
    manager_names_the_people(page, role_url)
    manager_reads_a_norwegian_plan_and_drafts_the_english_one(page, role_url)
    manager_revises_the_final_job_description(page, role_url)
    manager_archives_and_restores(page, world, role_url)
    manager_deletes_a_mistake(page, world, f"/o/{world.org.slug}/roles/{mistake.pk}/")

    # Assert
    with scopes_disabled():
        kinds = sorted(DocumentVersion.objects.filter(role=role)
                       .values_list("kind", "language", "number"))
        titles = list(RoleDesign.objects.values_list("title", "archived"))
    assert kinds == [("job_description", "en", 1), ("job_description", "en", 2),
                     ("onboarding_plan", "en", 1), ("onboarding_plan", "nb", 1)]
    assert titles == [("Erfaringskonsulent, ROP-teamet", None)]


@pytest.mark.browser
def test_roles_lifecycle_english_document_in_the_norwegian_interface_passes_axe(page: Page, world,
                                                                               log_in):
    # Arrange
    role = design_role(world)
    final_job_description(world, role)
    log_in(world.manager)
    visit(page, f"/o/{world.org.slug}/roles/{role.pk}/documents/job_description/en/")
    page.get_by_role("banner").get_by_role("button", name="Norsk bokmål", exact=True).click()

    # Act / Assert: the page in Norwegian, the document in English.
    expect(main(page).get_by_text("Dette dokumentet er på engelsk.")).to_be_visible()
    expect(main(page).locator("article").get_by_role("heading", level=1)).to_have_text(
        "Job description: Erfaringskonsulent, ROP-teamet")
    expect(main(page).get_by_role("button", name="Start en ny versjon")).to_be_visible()
    check_page(page)
    shot(page, "document-en-in-norwegian")
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "document-en-in-norwegian-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
