"""Renaming, moving and deleting codes and code groups through the services, and undo."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from peerwork.qualitative import codebook_changes, services
from peerwork.qualitative.models import Code, CodeGroup, CodingAction, MeaningUnit, Memo


def names(unit: MeaningUnit) -> list[str]:
    with scopes_disabled():
        return sorted(unit.codes.values_list("name", flat=True))


def test_codebook_rename_code_and_undo(team):
    codebook_changes.rename_code(actor=team.analyst, code=team.code, name="  å bli sett ")
    with scopes_disabled():
        renamed = Code.objects.get(pk=team.code.pk).name
        logged = list(CodingAction.objects.values_list("kind", "unit", "data"))
    services.undo_last(actor=team.analyst, project=team.project)
    with scopes_disabled():
        assert renamed == "å bli sett"
        assert logged == [("code_rename", None, {"code": team.code.pk, "name": "å bli sett",
                                                 "old": "likeverd"})]
        assert Code.objects.get(pk=team.code.pk).name == "likeverd"


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Give the code a name."),
    ("x" * 201, "The text is too long (at most 200 characters)."),
    ("rolle", "There is already a code with this name."),
])
def test_codebook_rename_code_refuses_bad_names(team, name, message):
    with pytest.raises(ValidationError) as caught:
        codebook_changes.rename_code(actor=team.analyst, code=team.code, name=name)
    with scopes_disabled():
        assert caught.value.messages == [message]
        assert Code.objects.get(pk=team.code.pk).name == "likeverd"
        assert CodingAction.objects.count() == 0


def test_codebook_delete_code_keeps_units_and_memos_and_undo_restores(team):
    both = services.mark_unit(actor=team.analyst, document=team.document, start=0, end=5,
                              code_ids=[team.code.pk, team.other_code.pk])
    only = services.mark_unit(actor=team.analyst, document=team.document, start=10, end=20,
                              code_ids=[team.code.pk])
    memo = services.add_memo(actor=team.lead, project=team.project, text="Om likeverd",
                             code_id=team.code.pk)
    pk, guid = team.code.pk, team.code.guid  # delete() clears the instance's pk

    count = codebook_changes.delete_code(actor=team.analyst, code=team.code)

    with scopes_disabled():
        assert count == 2
        assert not Code.objects.filter(pk=pk).exists()
        assert MeaningUnit.objects.count() == 2
        assert Memo.objects.get(pk=memo.pk).code_id is None
    assert (names(both), names(only)) == (["rolle"], [])  # the second stays, uncoded

    services.undo_last(actor=team.analyst, project=team.project)
    with scopes_disabled():
        restored = Code.objects.get(pk=pk)
        assert (restored.name, restored.guid, restored.group_id) == ("likeverd", guid, team.subgroup.pk)
        assert Memo.objects.get(pk=memo.pk).code_id == pk
    assert (names(both), names(only)) == (["likeverd", "rolle"], ["likeverd"])


def test_codebook_undo_of_a_deleted_code_whose_name_was_taken_meanwhile(team):
    codebook_changes.delete_code(actor=team.analyst, code=team.code)
    services.create_code(actor=team.lead, project=team.project, name="likeverd")
    services.undo_last(actor=team.analyst, project=team.project)
    with scopes_disabled():
        assert sorted(Code.objects.filter(project=team.project).values_list("name", flat=True)) == [
            "likeverd", "likeverd (2)", "rolle"]


def test_codebook_rename_group_unique_at_its_level_only(team):
    services.create_group(actor=team.lead, project=team.project, name="Likeverd")  # top level: free
    with pytest.raises(ValidationError) as caught:
        codebook_changes.rename_group(actor=team.analyst, group=team.group, name="Likeverd")
    # A subgroup may share its parent's name: it is another level.
    codebook_changes.rename_group(actor=team.analyst, group=team.subgroup, name="Medskaping")
    with scopes_disabled():
        assert caught.value.messages == ["There is already a code group with this name here."]
        assert sorted(CodeGroup.objects.values_list("name", "parent__name"), key=repr) == [
            ("Likeverd", None), ("Medskaping", "Medskaping"), ("Medskaping", None)]


@pytest.mark.parametrize("name", ["", " \n ", "x" * 201])
def test_codebook_rename_group_refuses_empty_and_long_names(team, name):
    with pytest.raises(ValidationError):
        codebook_changes.rename_group(actor=team.analyst, group=team.group, name=name)
    with scopes_disabled():
        assert CodeGroup.objects.get(pk=team.group.pk).name == "Medskaping"


def test_codebook_move_group_to_top_and_back_with_undo(team):
    codebook_changes.move_group(actor=team.analyst, group=team.subgroup, parent_id=None)
    with scopes_disabled():
        assert CodeGroup.objects.get(pk=team.subgroup.pk).parent_id is None
    services.undo_last(actor=team.analyst, project=team.project)
    with scopes_disabled():
        assert CodeGroup.objects.get(pk=team.subgroup.pk).parent_id == team.group.pk


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_codebook_move_group_refuses_cycles(team, target):
    deeper = services.create_group(actor=team.lead, project=team.project, name="Dypere",
                                   parent_id=team.subgroup.pk)
    parent = {"self": team.group, "child": team.subgroup, "grandchild": deeper}[target]
    with pytest.raises(ValidationError) as caught:
        codebook_changes.move_group(actor=team.analyst, group=team.group, parent_id=parent.pk)
    with scopes_disabled():
        assert caught.value.messages == ["A code group cannot go under itself or one of its own subgroups."]
        assert CodeGroup.objects.get(pk=team.group.pk).parent_id is None


def test_codebook_move_group_refuses_a_name_taken_there_and_other_projects(team, world):
    twin = services.create_group(actor=team.lead, project=team.project, name="Likeverd")
    other = services.create_project(actor=world.manager, organisation=world.org, title="Annet")
    foreign = services.create_group(actor=world.manager, project=other, name="Fremmed")
    with pytest.raises(ValidationError) as taken:
        codebook_changes.move_group(actor=team.analyst, group=twin, parent_id=team.group.pk)
    with pytest.raises(ValidationError) as elsewhere:
        codebook_changes.move_group(actor=team.analyst, group=twin, parent_id=foreign.pk)
    assert taken.value.messages == ["There is already a code group with this name here."]
    assert elsewhere.value.messages == ["That item is not part of this project."]


def test_codebook_delete_group_only_when_empty(team):
    with pytest.raises(ValidationError) as caught:
        codebook_changes.delete_group(actor=team.analyst, group=team.group)
    codebook_changes.move_code(actor=team.analyst, code=team.code, group_id=team.group.pk)
    pk, guid = team.subgroup.pk, team.subgroup.guid  # delete() clears the instance's pk
    codebook_changes.delete_group(actor=team.analyst, group=team.subgroup)
    with scopes_disabled():
        assert caught.value.messages == [
            "Only an empty code group can be deleted. Move or delete its codes and subgroups first."]
        assert list(CodeGroup.objects.values_list("name", flat=True)) == ["Medskaping"]

    services.undo_last(actor=team.analyst, project=team.project)  # the deletion
    services.undo_last(actor=team.analyst, project=team.project)  # the move of the code
    with scopes_disabled():
        restored = CodeGroup.objects.get(pk=pk)
        assert (restored.name, restored.parent_id, restored.guid) == ("Likeverd", team.group.pk, guid)
        assert Code.objects.get(pk=team.code.pk).group_id == pk


def test_codebook_delete_group_refused_once_step_three_is_written(team):
    empty = services.create_group(actor=team.lead, project=team.project, name="Tom")
    services.save_condensate(actor=team.lead, group=empty, text="Jeg ble sett.")
    with pytest.raises(ValidationError) as caught:
        codebook_changes.delete_group(actor=team.analyst, group=empty)
    with scopes_disabled():
        assert caught.value.messages == [
            "Steps 3 or 4 are written for this code group, so it cannot be deleted."]
        assert CodeGroup.objects.filter(pk=empty.pk).exists()


def test_codebook_undo_is_per_analyst(team):
    codebook_changes.rename_code(actor=team.analyst, code=team.code, name="sett")
    assert services.undo_last(actor=team.lead, project=team.project) is None
    with scopes_disabled():
        assert Code.objects.get(pk=team.code.pk).name == "sett"
