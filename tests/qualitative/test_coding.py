"""Projects, pseudonyms, coding with its log and undo, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django_scopes import scopes_disabled
from tests.qualitative.conftest import TRANSCRIPT_VTT

from peerwork.qualitative import queries, services
from peerwork.qualitative.models import CodingAction, MeaningUnit, Speaker, SpeakerKey
from peerwork.qualitative.rules import CODE, LEAD


def test_coding_import_pseudonymises_speakers(team):
    text = team.document.text
    assert "Kari" not in text
    assert "Ola" not in text
    assert text.startswith("P1: Vi ble sett på som likeverdige 👩🏽‍⚕️ i teamet.")
    with scopes_disabled():
        keys = dict(SpeakerKey.objects.values_list("speaker__pseudonym", "real_name"))
    assert keys == {"P1": "Kari Nordmann", "P2": "Ola Hansen"}


def test_coding_second_transcript_reuses_pseudonyms(team):
    services.import_document(actor=team.lead, project=team.project, filename="g2.vtt",
                             data=TRANSCRIPT_VTT.encode())
    with scopes_disabled():
        assert Speaker.objects.filter(project=team.project).count() == 2


def test_coding_code_key_deleted_leaves_pseudonyms(team):
    count = services.delete_code_key(actor=team.lead, project=team.project)
    assert count == 2
    assert [name for _s, name in queries.speakers_of(team.project, with_key=True)] == ["", ""]


def test_coding_mark_unit_with_emoji_offsets(team):
    text = team.document.text
    start = text.index("likeverdige")
    end = text.index("i teamet") + len("i teamet")
    unit = services.mark_unit(actor=team.analyst, document=team.document, start=start, end=end,
                              code_ids=[team.code.pk])
    assert unit.text == "likeverdige 👩🏽‍⚕️ i teamet"
    with scopes_disabled():
        assert list(unit.codes.values_list("name", flat=True)) == ["likeverd"]
        assert list(CodingAction.objects.values_list("kind", flat=True)) == ["code", "mark"]


@pytest.mark.parametrize(("start", "end"), [(5, 5), (7, 3), (-1, 4), (0, 10_000)])
def test_coding_bad_spans_are_refused(team, start, end):
    with pytest.raises(ValidationError):
        services.mark_unit(actor=team.analyst, document=team.document, start=start, end=end,
                           code_ids=[])


def test_coding_undo_walks_back_each_action(team):
    unit = services.mark_unit(actor=team.analyst, document=team.document, start=0, end=2,
                              code_ids=[team.code.pk])
    services.add_code(actor=team.analyst, unit=unit, code_id=team.other_code.pk)
    services.delete_unit(actor=team.analyst, unit=unit)
    with scopes_disabled():
        assert MeaningUnit.objects.count() == 0

        services.undo_last(actor=team.analyst, project=team.project)  # the deletion
        restored = MeaningUnit.objects.get()
        assert sorted(restored.codes.values_list("name", flat=True)) == ["likeverd", "rolle"]
        services.undo_last(actor=team.analyst, project=team.project)  # the second code
        assert list(restored.codes.values_list("name", flat=True)) == ["likeverd"]
        services.undo_last(actor=team.analyst, project=team.project)  # the first code
        services.undo_last(actor=team.analyst, project=team.project)  # the mark
        assert MeaningUnit.objects.count() == 0
        assert services.undo_last(actor=team.analyst, project=team.project) is None


def test_coding_undo_touches_only_own_actions(team):
    services.mark_unit(actor=team.analyst, document=team.document, start=0, end=2, code_ids=[])
    assert services.undo_last(actor=team.lead, project=team.project) is None
    with scopes_disabled():
        assert MeaningUnit.objects.count() == 1


def test_coding_codes_of_another_project_are_refused(team, world):
    other = services.create_project(actor=world.manager, organisation=world.org, title="Annet")
    foreign = services.create_code(actor=world.manager, project=other, name="fremmed")
    with pytest.raises(ValidationError):
        services.mark_unit(actor=team.analyst, document=team.document, start=0, end=2,
                           code_ids=[foreign.pk])


def test_coding_roles_decide_access(team, world):
    assert queries.get_project_for(team.analyst, world.org, team.project.pk, roles=CODE)[1] == "analyst"
    with pytest.raises(Http404):
        queries.get_project_for(team.validator, world.org, team.project.pk, roles=CODE)
    with pytest.raises(Http404):
        queries.get_project_for(team.analyst, world.org, team.project.pk, roles=LEAD)
    with pytest.raises(Http404):  # an org member outside the project
        queries.get_project_for(world.analyst, world.org, team.project.pk)
    with pytest.raises(Http404):  # another organisation
        queries.get_project_for(world.charlie, world.other_org, team.project.pk)


def test_coding_project_keeps_a_lead(team):
    with pytest.raises(ValidationError):
        services.set_member(actor=team.lead, project=team.project, user_id=team.lead.pk,
                            role="analyst")


def test_coding_agreement_between_two_analysts(team):
    services.mark_unit(actor=team.analyst, document=team.document, start=0, end=20,
                       code_ids=[team.code.pk])
    services.mark_unit(actor=team.lead, document=team.document, start=10, end=30,
                       code_ids=[team.code.pk])
    [row] = queries.compare(team.document, team.analyst, team.lead)
    n = len(team.document.text)
    assert (row.result.first, row.result.second, row.result.both, row.result.length) == (20, 20, 10, n)
    assert row.result.percent == pytest.approx(100 * (n - 20) / n)


def test_coding_condensate_and_synthesis_link_units(team):
    unit = services.mark_unit(actor=team.analyst, document=team.document, start=0, end=20,
                              code_ids=[team.code.pk])
    assert [u.pk for u in queries.units_of_group(team.group)] == [unit.pk]
    condensate = services.save_condensate(actor=team.analyst, group=team.subgroup,
                                          text="Vi ble sett.", golden_quote_id=unit.pk)
    statement = services.add_statement(actor=team.analyst, group=team.group,
                                       text="Erfaringskonsulentene opplevde likeverd.",
                                       source_ids=[unit.pk])
    with scopes_disabled():
        assert condensate.golden_quote_id == unit.pk
        assert list(statement.sources.values_list("pk", flat=True)) == [unit.pk]
    with pytest.raises(ValidationError):
        services.add_statement(actor=team.analyst, group=team.group, text="Uten kilde", source_ids=[])
