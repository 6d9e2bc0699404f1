"""The readiness questionnaire and the recommendations: complete, valid and frozen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peerwork.assessments import questionnaires
from peerwork.assessments.enums import Position, RoleForm, Stage
from peerwork.assessments.questionnaires import QuestionnaireError, get_questionnaire, load
from peerwork.assessments.recommendations import for_element, get_recommendations
from peerwork.framework.library import get_library

SCORED = ("precondition", "attention_point", "barrier")


def scored_elements() -> list[str]:
    library = get_library()
    return [e.id for s in SCORED for e in library.structure(s).walk()]


def test_questionnaire_measures_every_precondition_sub_item_attention_point_and_barrier():
    questionnaire = get_questionnaire()
    measured = {m for item in questionnaire.items.values() for m in item.measures}
    assert [e for e in scored_elements() if e not in measured] == []


def test_questionnaire_every_item_speaks_to_every_position_in_both_languages():
    for item in get_questionnaire().items.values():
        assert set(item.text) == set(Position.values)
        for text in item.text.values():
            assert text["en"].strip()
            assert text["nb"].strip()
            assert text["en"] != text["nb"]


def test_questionnaire_every_stage_scores_every_area():
    questionnaire = get_questionnaire()
    library = get_library()
    tops = [e.id for s in SCORED for e in library.structure(s).elements]
    for stage in Stage.values:
        assert set(tops) <= set(questionnaire.element_items(library, stage))


def test_questionnaire_published_version_cannot_change(tmp_path: Path, monkeypatch):
    # Arrange: a copy of the data in which one published word is changed.
    copy = tmp_path / "questionnaires"
    shutil.copytree(questionnaires.QUESTIONNAIRE_DIR, copy)
    path = copy / "readiness-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Don't know", "Not sure", 1),
                    encoding="utf-8")
    monkeypatch.setattr(questionnaires, "QUESTIONNAIRE_DIR", copy)

    # Act / Assert
    with pytest.raises(QuestionnaireError, match="published and may not change"):
        load("readiness", 1)


def test_questionnaire_item_measuring_unknown_element_is_refused(tmp_path: Path, monkeypatch):
    copy = tmp_path / "questionnaires"
    shutil.copytree(questionnaires.QUESTIONNAIRE_DIR, copy)
    (copy / "published.json").write_text("{}", encoding="utf-8")
    path = copy / "readiness-1.yaml"
    first = get_questionnaire().items_for("preparing")[0].measures[0]
    path.write_text(path.read_text(encoding="utf-8").replace(first, "precondition.no_such_thing", 1),
                    encoding="utf-8")
    monkeypatch.setattr(questionnaires, "QUESTIONNAIRE_DIR", copy)

    with pytest.raises(QuestionnaireError, match=r"measures unknown element 'precondition\.no_such_thing'"):
        load("readiness", 1)


def test_questionnaire_every_area_has_a_recommendation_for_every_round_setting():
    library = get_library()
    tops = [e.id for s in SCORED for e in library.structure(s).elements]
    for stage in Stage.values:
        for role_form in RoleForm.values:
            missing = [t for t in tops if not for_element(t, stage=stage, role_form=role_form)]
            assert missing == [], (stage, role_form)


def test_questionnaire_recommendations_named_in_the_brief_exist():
    by_element = {e for r in get_recommendations() for e in r.elements}
    for element in ("precondition.hiring_policy.seniority", "precondition.onboarding.senior_buddy",
                    "precondition.hiring_policy.hiring_committee", "attention_point.medical_file"):
        assert element in by_element


def test_questionnaire_medical_file_advice_depends_on_the_form_of_the_role():
    outside = {r.id for r in for_element("attention_point.medical_file", stage="first_year",
                                         role_form="role_form.peer_support_worker")}
    inside = {r.id for r in for_element("attention_point.medical_file", stage="first_year",
                                        role_form="role_form.care_provider")}
    assert outside != inside
