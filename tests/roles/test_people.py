"""The contact person, buddy and external supervisor of a role: designed, shown in the
onboarding and support plans, and a missing buddy flagged with its source."""

from __future__ import annotations

from django_scopes import scopes_disabled

from peerwork.roles.models import DocumentVersion, RoleDesign

from .conftest import API, DESIGN, call, design_role, form_data, keyed, url


def drafted(world, role, kind):
    world.client_for(world.manager).post(url(world, role.pk, "documents", kind, "en", "save"),
                                         {"generate": "1"})
    with scopes_disabled():
        return DocumentVersion.objects.get(role=role, kind=kind).body


def test_people_page_names_are_designed_and_shown(world):
    # Arrange
    client = world.client_for(world.manager)

    # Act
    created = client.post(url(world, "new"), form_data(contact_person="  Kari Nordmann ",
                                                       buddy="Per Hansen", supervisor=""))
    with scopes_disabled():
        role = RoleDesign.objects.get()
    detail = client.get(url(world, role.pk)).content.decode()
    form = client.get(url(world, role.pk, "edit")).content.decode()

    # Assert
    assert created.status_code == 302
    assert (role.contact_person, role.buddy, role.supervisor) == ("Kari Nordmann", "Per Hansen", "")
    assert "<dt>Buddy or mentor</dt><dd>Per Hansen</dd>" in detail
    assert "<dt>External supervisor or coach</dt><dd>Not named yet</dd>" in detail
    assert 'name="buddy" value="Per Hansen"' in form
    assert "Ideally an experienced peer worker" in form


def test_people_onboarding_and_support_plans_name_them(world):
    # Arrange
    role = design_role(world)

    # Act
    onboarding = drafted(world, role, "onboarding_plan")
    support = drafted(world, role, "support_plan")

    # Assert
    assert "- Contact person: Kari Nordmann\n" in onboarding
    assert "- Senior buddy: Per Hansen, senior peer worker\n" in onboarding
    assert "- Supervisor or coach: Line Berg, Erfaringssentrum\n" in onboarding
    assert "# Supervision\n- Supervisor or coach: Line Berg, Erfaringssentrum\n" in support


def test_people_plans_ask_for_names_not_given_yet(world):
    # Arrange
    role = design_role(world, contact_person="", buddy="", supervisor="")

    # Act
    onboarding = drafted(world, role, "onboarding_plan")

    # Assert
    assert "- Contact person: (name the person in the team" in onboarding
    assert "- Senior buddy: (name an experienced peer worker" in onboarding
    assert "- Supervisor or coach: (name who supervises or coaches" in onboarding


def test_people_page_missing_buddy_is_a_finding_with_its_source(world):
    # Arrange
    role = design_role(world, buddy="")

    # Act
    text = world.client_for(world.colleague).get(url(world, role.pk)).content.decode()

    # Assert
    assert "<h3>Senior buddy</h3>" in text
    assert "No buddy is named for the first months." in text
    assert "lines 335" in text  # 003, the senior buddy in the onboarding period
    assert "/library/element/precondition.onboarding.senior_buddy/" in text


def test_people_api_names_in_and_out_and_the_buddy_check(world):
    # Arrange
    client = keyed(world.manager)
    base = f"{API}/{world.org.slug}/roles"
    body = {k: v for k, v in DESIGN.items() if k not in {"buddy"}}

    # Act
    created = call(client, "post", base, body)
    too_long = call(client, "post", base, {**DESIGN, "supervisor": "x" * 201})
    updated = call(client, "put", f"{base}/{created.json()['id']}",
                   {**DESIGN, "version": 1, "buddy": "Ola, senior peer worker"})

    # Assert
    assert created.status_code == 201
    data = created.json()
    assert (data["contact_person"], data["buddy"], data["supervisor"]) == (
        "Kari Nordmann", "", "Line Berg, Erfaringssentrum")
    assert [(f["code"], f["source_document"], f["source_lines"]) for f in data["findings"]
            if f["code"] == "no_buddy"] == [("no_buddy", "003", "335")]
    assert too_long.status_code == 422
    assert updated.json()["buddy"] == "Ola, senior peer worker"
    assert "no_buddy" not in [f["code"] for f in updated.json()["findings"]]
