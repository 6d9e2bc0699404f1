"""Editing the codebook through the pages and the API: who may, bad names, cycles,
other organisations' ids."""

from __future__ import annotations

import json

import pytest
from django_scopes import scopes_disabled
from tests.qualitative.test_api import api, post, url

from peerwork.qualitative import services
from peerwork.qualitative.models import Code, CodeGroup, MeaningUnit


def base(world, team):
    return f"/o/{world.org.slug}/analysis/{team.project.pk}/"


def patch(client, path, body):
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def code_names(team):
    with scopes_disabled():
        return sorted(Code.objects.filter(project=team.project).values_list("name", flat=True))


def group_places(team):
    """(name, parent's name) of every group, in a fixed order."""
    with scopes_disabled():
        return sorted(CodeGroup.objects.filter(project=team.project).values_list("name", "parent__name"),
                      key=repr)


AS_SEEDED = [("Likeverd", "Medskaping"), ("Medskaping", None)]


@pytest.fixture
def foreign(world):
    """A code and a group of Secretdal, another organisation."""
    project = services.create_project(actor=world.charlie, organisation=world.other_org, title="Secretdal")
    group = services.create_group(actor=world.charlie, project=project, name="Fremmed")
    code = services.create_code(actor=world.charlie, project=project, name="fremmed", group_id=group.pk)
    return code, group


# --- Pages -------------------------------------------------------------------------------


def test_codebook_page_links_to_editing_for_coders_only(world, team):
    analyst = world.client_for(team.analyst).get(base(world, team) + "codebook/").content.decode()
    viewer = world.client_for(team.viewer).get(base(world, team) + "codebook/").content.decode()
    code_link = f'href="{base(world, team)}codes/{team.code.pk}/"'
    group_link = f'href="{base(world, team)}groups/{team.group.pk}/edit/"'
    assert code_link in analyst
    assert group_link in analyst
    assert code_link not in viewer
    assert group_link not in viewer


def test_codebook_pages_rename_code(world, team):
    client = world.client_for(team.analyst)
    page = client.get(base(world, team) + f"codes/{team.code.pk}/")
    response = client.post(base(world, team) + f"codes/{team.code.pk}/",
                           {"what": "rename", "rename-name": "å bli sett"})
    assert page.status_code == 200
    assert 'value="likeverd"' in page.content.decode()
    assert response.status_code == 302
    assert code_names(team) == ["rolle", "å bli sett"]


@pytest.mark.parametrize(("name", "message"), [
    ("", "This field is required."),
    ("x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ("rolle", "There is already a code with this name."),
])
def test_codebook_pages_rename_code_bad_names_are_400(world, team, name, message):
    response = world.client_for(team.analyst).post(base(world, team) + f"codes/{team.code.pk}/",
                                                   {"what": "rename", "rename-name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert code_names(team) == ["likeverd", "rolle"]


def test_codebook_pages_delete_code_keeps_the_units(world, team):
    services.mark_unit(actor=team.analyst, document=team.document, start=0, end=5, code_ids=[team.code.pk])
    response = world.client_for(team.analyst).post(base(world, team) + f"codes/{team.code.pk}/",
                                                   {"what": "delete"}, follow=True)
    assert response.status_code == 200
    assert ("The code is deleted; 1 meaning unit lost it and stays in its document. "
            "Undo brings the code back.") in response.content.decode()
    assert code_names(team) == ["rolle"]
    with scopes_disabled():
        assert list(MeaningUnit.objects.get().codes.all()) == []


def test_codebook_pages_move_code_out_of_its_group(world, team):
    response = world.client_for(team.lead).post(base(world, team) + f"codes/{team.code.pk}/",
                                                {"what": "move", "move-group": ""})
    assert response.status_code == 302
    with scopes_disabled():
        assert Code.objects.get(pk=team.code.pk).group_id is None


def test_codebook_pages_rename_and_move_group(world, team):
    client = world.client_for(team.analyst)
    path = base(world, team) + f"groups/{team.subgroup.pk}/edit/"
    renamed = client.post(path, {"what": "rename", "rename-name": "Å bli sett"})
    moved = client.post(path, {"what": "move", "move-parent": ""})
    assert (renamed.status_code, moved.status_code) == (302, 302)
    assert group_places(team) == [("Medskaping", None), ("Å bli sett", None)]


def test_codebook_pages_group_twice_at_one_level_is_refused(world, team):
    services.create_group(actor=team.lead, project=team.project, name="Likeverd")
    response = world.client_for(team.analyst).post(
        base(world, team) + f"groups/{team.subgroup.pk}/edit/", {"what": "move", "move-parent": ""})
    assert response.status_code == 400
    assert "There is already a code group with this name here." in response.content.decode()
    assert group_places(team) == [("Likeverd", "Medskaping"), ("Likeverd", None), ("Medskaping", None)]


def test_codebook_pages_group_cannot_go_under_its_subgroup(world, team):
    client = world.client_for(team.analyst)
    path = base(world, team) + f"groups/{team.group.pk}/edit/"
    page = client.get(path).content.decode()
    response = client.post(path, {"what": "move", "move-parent": str(team.subgroup.pk)})
    assert f'<option value="{team.subgroup.pk}"' not in page  # not offered
    assert response.status_code == 400
    assert "a group cannot go under itself or one of its own subgroups." in response.content.decode()
    assert group_places(team) == AS_SEEDED


def test_codebook_pages_delete_group_only_when_empty(world, team):
    client = world.client_for(team.lead)
    refused = client.post(base(world, team) + f"groups/{team.group.pk}/edit/", {"what": "delete"})
    empty = services.create_group(actor=team.lead, project=team.project, name="Tom")
    deleted = client.post(base(world, team) + f"groups/{empty.pk}/edit/", {"what": "delete"})
    assert refused.status_code == 400
    assert ("Only an empty code group can be deleted. Move or delete its codes and subgroups first."
            in refused.content.decode())
    assert deleted.status_code == 302
    assert group_places(team) == AS_SEEDED


def test_codebook_pages_validator_and_viewer_get_404(world, team):
    for user in (team.validator, team.viewer):
        client = world.client_for(user)
        for path, body in [(f"codes/{team.code.pk}/", {"what": "rename", "rename-name": "x"}),
                           (f"codes/{team.code.pk}/", {"what": "delete"}),
                           (f"groups/{team.group.pk}/edit/", {"what": "rename", "rename-name": "x"}),
                           (f"groups/{team.subgroup.pk}/edit/", {"what": "move", "move-parent": ""})]:
            assert client.get(base(world, team) + path).status_code == 404
            assert client.post(base(world, team) + path, body).status_code == 404
    assert code_names(team) == ["likeverd", "rolle"]
    assert group_places(team) == AS_SEEDED


def test_codebook_pages_other_organisations_ids_are_404(world, team, foreign):
    code, group = foreign
    client = world.client_for(team.lead)
    for path in (f"codes/{code.pk}/", f"groups/{group.pk}/edit/"):
        assert client.get(base(world, team) + path).status_code == 404
        assert client.post(base(world, team) + path, {"what": "delete"}).status_code == 404
    outsider = world.client_for(world.charlie)
    assert outsider.post(base(world, team) + f"codes/{team.code.pk}/", {"what": "delete"}).status_code == 404
    with scopes_disabled():
        assert Code.objects.filter(pk=code.pk).exists()
    assert code_names(team) == ["likeverd", "rolle"]


def test_codebook_pages_undo_brings_a_deleted_code_back(world, team):
    client = world.client_for(team.analyst)
    client.post(base(world, team) + f"codes/{team.code.pk}/", {"what": "delete"})
    page = client.post(base(world, team) + "undo/", follow=True).content.decode()
    assert "Undone: Deleted a code." in page
    assert code_names(team) == ["likeverd", "rolle"]


# --- API ---------------------------------------------------------------------------------


def test_api_codebook_rename_and_move_code(world, team):
    client = api(team.analyst)
    renamed = patch(client, url(world, team, f"/codes/{team.code.pk}"), {"name": "sett"})
    moved = patch(client, url(world, team, f"/codes/{team.code.pk}"), {"group_id": None})
    assert renamed.status_code == 200
    assert renamed.json() == {"id": team.code.pk, "name": "sett", "group_id": team.subgroup.pk,
                              "description": ""}
    assert moved.json()["group_id"] is None


@pytest.mark.parametrize(("body", "status"), [
    ({"name": ""}, 422), ({"name": "x" * 201}, 422), ({"name": "   "}, 400), ({"name": "rolle"}, 400),
    ({"group_id": 10**6}, 400),
])
def test_api_codebook_rename_code_refusals(world, team, body, status):
    response = patch(api(team.analyst), url(world, team, f"/codes/{team.code.pk}"), body)
    assert response.status_code == status
    assert code_names(team) == ["likeverd", "rolle"]


def test_api_codebook_rename_and_move_in_one_call_is_all_or_nothing(world, team, foreign):
    _code, group = foreign
    response = patch(api(team.analyst), url(world, team, f"/codes/{team.code.pk}"),
                     {"name": "sett", "group_id": group.pk})
    assert response.status_code == 400
    assert response.json() == {"detail": "That item is not part of this project."}
    assert code_names(team) == ["likeverd", "rolle"]


def test_api_codebook_delete_code_keeps_units(world, team):
    client = api(team.analyst)
    post(client, url(world, team, f"/documents/{team.document.pk}/units"),
         {"start": 0, "end": 5, "code_ids": [team.code.pk]})
    deleted = client.delete(url(world, team, f"/codes/{team.code.pk}"))
    unit = client.get(url(world, team, f"/documents/{team.document.pk}")).json()["units"][0]
    undone = post(client, url(world, team, "/undo"), {})
    assert deleted.status_code == 204
    assert unit["code_ids"] == []
    assert undone.json() == {"undone": "code_delete"}
    assert code_names(team) == ["likeverd", "rolle"]


def test_api_codebook_rename_and_move_group(world, team):
    client = api(team.lead)
    response = patch(client, url(world, team, f"/groups/{team.subgroup.pk}"),
                     {"name": "Sett", "parent_id": None})
    assert response.status_code == 200
    assert response.json() == {"id": team.subgroup.pk, "name": "Sett", "parent_id": None, "description": ""}
    back = patch(client, url(world, team, f"/groups/{team.subgroup.pk}"), {"parent_id": team.group.pk})
    assert back.json()["parent_id"] == team.group.pk


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"parent_id": "subgroup"}, 400, "A code group cannot go under itself or one of its own subgroups."),
    ({"parent_id": "group"}, 400, "A code group cannot go under itself or one of its own subgroups."),
    ({"name": "   "}, 400, "Give the group a name."),
    ({"name": ""}, 422, None),
    ({"name": "x" * 201}, 422, None),
])
def test_api_codebook_group_refusals(world, team, body, status, detail):
    body = {k: getattr(team, v).pk if v in ("group", "subgroup") else v for k, v in body.items()}
    response = patch(api(team.analyst), url(world, team, f"/groups/{team.group.pk}"), body)
    assert response.status_code == status
    if detail is not None:
        assert response.json() == {"detail": detail}
    assert group_places(team) == AS_SEEDED


def test_api_codebook_group_name_twice_at_one_level(world, team):
    services.create_group(actor=team.lead, project=team.project, name="Annen")
    response = patch(api(team.analyst), url(world, team, f"/groups/{team.group.pk}"), {"name": "Annen"})
    assert response.status_code == 400
    assert response.json() == {"detail": "There is already a code group with this name here."}


def test_api_codebook_delete_group(world, team):
    client = api(team.analyst)
    refused = client.delete(url(world, team, f"/groups/{team.group.pk}"))
    empty = post(client, url(world, team, "/groups"), {"name": "Tom"}).json()["id"]
    deleted = client.delete(url(world, team, f"/groups/{empty}"))
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Only an empty code group can be deleted. Move or delete its "
                                        "codes and subgroups first."}
    assert deleted.status_code == 204
    assert group_places(team) == AS_SEEDED


def test_api_codebook_validator_viewer_and_outsiders_get_404(world, team, foreign):
    code, group = foreign
    ours = (team.code.pk, team.group.pk)
    attempts = [(api(team.validator), *ours), (api(team.viewer), *ours), (api(world.charlie), *ours),
                (api(team.lead), code.pk, group.pk)]
    for client, code_id, group_id in attempts:
        assert patch(client, url(world, team, f"/codes/{code_id}"), {"name": "x"}).status_code == 404
        assert client.delete(url(world, team, f"/codes/{code_id}")).status_code == 404
        assert patch(client, url(world, team, f"/groups/{group_id}"), {"parent_id": None}).status_code == 404
        assert client.delete(url(world, team, f"/groups/{group_id}")).status_code == 404
    assert code_names(team) == ["likeverd", "rolle"]
    assert group_places(team) == AS_SEEDED
    with scopes_disabled():
        assert Code.objects.get(pk=code.pk).name == "fremmed"
