"""The definition format: validation messages, the data shapes, skip-logic expressions."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from tests.surveys.conftest import small_definition

from peerwork.surveys import expressions
from peerwork.surveys.definition import DefinitionError, load_definition, validate_definition


def test_definition_loads_questions_in_order_with_their_shapes() -> None:
    definition = load_definition(small_definition())
    ids = [q.id for q in definition.questions()]
    assert ids == ["sector", "fte", "salary", "tasks", "jd_clear", "started", "phases",
                   "title_text", "comment"]
    sector = definition.question("sector")
    assert sector is not None
    assert sector.background is True
    assert sector.choices[0] == ("municipal", {"en": "Municipal", "nb": "Kommunal"})
    likert = definition.question("jd_clear")
    assert likert is not None
    assert [v for v, _ in likert.choices] == ["1", "2", "3", "4", "5", "dk"]
    assert likert.label("nb") == "Stillingsbeskrivelsen min er tydelig"
    salary = definition.question("salary")
    assert salary is not None
    assert (salary.unit, salary.min, salary.max) == ("NOK", 0, 2000000)
    phases = definition.question("phases")
    assert phases is not None
    assert [r.id for r in phases.rows] == ["design", "delivery"]
    assert definition.variables()[:6] == ["sector", "fte", "salary", "tasks__groups",
                                          "tasks__one_to_one", "jd_clear"]
    assert "phases__design" in definition.variables()


def test_definition_schema_errors_name_the_place() -> None:
    data = small_definition()
    data["sections"][0]["questions"][0]["type"] = "slider"
    messages = validate_definition(data)
    assert len(messages) == 1
    assert messages[0].startswith("sections/0/questions/0/type:")


def test_definition_refuses_duplicate_ids_unknown_scale_bad_range_and_late_references() -> None:
    data = small_definition()
    questions = data["sections"][0]["questions"]
    questions[1]["min"], questions[1]["max"] = 100, 0
    questions[2]["relevant"] = "${comment} = 'x'"
    questions[3]["id"] = "sector"
    data["sections"][1]["questions"][0]["scale"] = "agree7"
    with pytest.raises(DefinitionError) as caught:
        load_definition(data)
    text = " | ".join(caught.value.messages)
    assert "Question “fte”: the smallest value (100) is greater than the largest (0)." in text
    assert "Question “salary”: the skip logic reads comment, which is not an earlier question." in text
    assert "Question “sector”: two questions have this id." in text
    assert "Question “jd_clear”: unknown scale “agree7”" in text


def test_definition_problems_read_in_norwegian_too(nb_catalogue: None) -> None:
    data = small_definition()
    data["sections"][0]["questions"][1]["min"], data["sections"][0]["questions"][1]["max"] = 100, 0
    del data["sections"][0]["questions"][0]["label"]
    with translation.override("nb"):
        schema_problem = validate_definition(data)
        del data["sections"][0]["questions"][0]
        range_problem = validate_definition(data)
    assert schema_problem == ["sections/0/questions/0: «label» mangler."]
    assert "Spørsmål «fte»: minste verdi (100) er større enn største verdi (0)." in range_problem


def test_definition_refuses_what_is_not_a_mapping() -> None:
    assert validate_definition(["a", "list"]) == [
        "A definition must be an object (a mapping of keys to values)."]


@pytest.mark.parametrize(("text", "answers", "expected"), [
    ("${a} = 'x'", {"a": "x"}, True),
    ("${a} = 'x'", {}, False),
    ("${a} != 'x'", {}, True),
    ("${n} >= 50 and ${n} < 100", {"n": 50}, True),
    ("${n} > 10", {"n": None}, False),
    ("${n} > 10", {"n": "9"}, False),
    ("selected(${m}, 'b') or ${a} = 'y'", {"m": ["a", "b"]}, True),
    ("not(selected(${m}, 'b'))", {"m": ["a"]}, True),
    ("not ${a} = 'x'", {"a": "x"}, False),
    ("count-selected(${m}) > 1", {"m": ["a", "b"]}, True),
    ("(${a} = 'x' or ${a} = 'y') and ${n} = 3", {"a": "y", "n": 3}, True),
])
def test_expressions_evaluate_like_xlsform(text: str, answers: dict[str, object], expected: bool) -> None:
    assert expressions.is_true(expressions.parse(text), answers) is expected


@pytest.mark.parametrize(("text", "message"), [
    ("${a} = ", "the expression ends too early"),
    ("__import__('os')", "unexpected character at position 1: “__import__”"),
    ("${a} = 'x' ${b}", "unexpected “${b}”"),
    ("selected(${a})", "selected() takes 2 argument(s)"),
    ("open('x')", "unexpected “open”"),
])
def test_expressions_refuse_anything_else_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(expressions.ExpressionError) as caught:
        expressions.parse(text)
    assert str(caught.value) == message


def test_expressions_refuse_deep_nesting() -> None:
    with pytest.raises(expressions.ExpressionError):
        expressions.parse("(" * 50 + "${a}" + ")" * 50)


def test_shipped_templates_are_valid_bilingual_and_cite_their_sources() -> None:
    from peerwork.surveys.shipped import shipped_templates  # noqa: PLC0415

    templates = shipped_templates()
    assert list(templates) == ["national-peer-worker", "io5-institutions", "model4-impact"]
    for key, (raw, definition) in templates.items():
        assert raw["key"] == key
        assert definition.sources, key
        for source in definition.sources:
            assert re.fullmatch(r"00\d_[0-9a-f]{16}\.txt", source["document"]), source
            assert re.fullmatch(r"\d+(-\d+)?", source["lines"]), source
        for question in definition.questions():
            assert question.label("en"), question.id
            assert question.label("nb"), question.id
            assert question.label("en") != question.label("nb") or question.type == "number", question.id


def test_national_template_asks_every_topic_of_the_issue() -> None:
    from peerwork.surveys.shipped import shipped_templates  # noqa: PLC0415

    definition = shipped_templates()["national-peer-worker"][1]
    topics = {"role_form", "sector", "region", "municipality_size", "contract", "fte", "salary",
              "pay_scale", "grade", "seniority_credit", "training", "jd_exists", "jd_matches",
              "own_role", "supervision", "supervisor", "equal_treatment", "union", "user_rep",
              "phases", "works_well", "improve"}
    assert topics <= set(definition.by_id)
    phases = definition.question("phases")
    assert phases is not None
    assert [r.id for r in phases.rows] == ["commissioning", "design", "delivery", "assessment"]
    salary = definition.question("salary")
    assert salary is not None
    assert salary.unit == "NOK"
    assert {q.id for q in definition.background()} == {"role_form", "sector", "region",
                                                       "municipality_size", "contract"}


def test_published_version_is_frozen_and_hash_checked(db: None) -> None:
    from django.core.exceptions import ValidationError  # noqa: PLC0415
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from peerwork.orgs.enums import OrganisationType  # noqa: PLC0415
    from peerwork.orgs.models import Organisation  # noqa: PLC0415
    from peerwork.surveys import queries, services  # noqa: PLC0415
    from peerwork.surveys.models import SurveyVersion  # noqa: PLC0415

    org = Organisation.objects.create(slug="n", name="National", type=OrganisationType.NATIONAL)
    survey = services.create_survey(actor=None, organisation=org, definition=small_definition())
    version = services.draft_of(survey)
    assert version is not None
    services.publish_version(actor=None, version=version)
    version.definition["title"]["en"] = "Changed"
    with pytest.raises(ValidationError):
        version.save()
    with scopes_disabled():
        SurveyVersion.objects.filter(pk=version.pk).update(definition=small_definition(key="other"))
        tampered = SurveyVersion.objects.get(pk=version.pk)
    queries._DEFINITIONS.clear()
    with pytest.raises(queries.TamperedVersion):
        queries.definition_of(tampered)
