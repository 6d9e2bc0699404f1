"""The shipped library: it loads, validates against its schema, and holds every
structure the domain needs, in both languages."""

from __future__ import annotations

import json

import jsonschema
import pytest

from peerwork.framework.library import DATA_DIR, LANGUAGES, Library, get_library, load

from .conftest import read_yaml

STRUCTURES = [
    "role_form", "precondition", "attention_point", "barrier", "involvement_level",
    "service_cycle", "peer_role", "model4", "influence_study", "stc", "io5_process",
]
# Titles that are the same word in English and Norwegian.
SAME_TITLE_IN_BOTH = {"barrier.stigma"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load(DATA_DIR)


def top_level(library: Library, structure_id: str) -> list[str]:
    structure = library.structure(structure_id)
    assert structure is not None
    return [e.id for e in structure.elements]


def children(library: Library, element_id: str) -> list[str]:
    element = library.element(element_id)
    assert element is not None
    return [c.id for c in element.children]


def test_library_shipped_data_validates_against_schema() -> None:
    schema = json.loads((DATA_DIR / "library.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    manifest = read_yaml(DATA_DIR / "manifest.yaml")
    validator = jsonschema.Draft202012Validator(schema)

    errors = {name: [e.message for e in validator.iter_errors(
        read_yaml(DATA_DIR / "structures" / f"{name}.yaml"))] for name in manifest["structures"]}

    assert errors == {name: [] for name in STRUCTURES}


def test_library_shipped_data_loads_in_manifest_order(library: Library) -> None:
    assert library.version == "2026.1"
    assert [s.id for s in library.structures] == STRUCTURES
    assert [s.order for s in library.structures] == list(range(1, len(STRUCTURES) + 1))
    assert sorted(library.documents) == ["000", "001", "002", "003", "004"]


def test_library_in_use_is_the_shipped_one(library: Library) -> None:
    assert get_library().version == library.version
    assert list(get_library().elements) == list(library.elements)


def test_library_preconditions_are_ten_with_hiring_policy_seniority(library: Library) -> None:
    assert top_level(library, "precondition") == [
        "precondition.vision", "precondition.cultural_change", "precondition.working_conditions",
        "precondition.job_description", "precondition.training", "precondition.preparation",
        "precondition.hiring_policy", "precondition.onboarding", "precondition.support",
        "precondition.absence_policy",
    ]
    seniority = library.element("precondition.hiring_policy.seniority")
    assert seniority is not None
    assert (seniority.structure, seniority.parent, seniority.label, seniority.depth) == (
        "precondition", "precondition.hiring_policy", "7.6", 1)
    assert seniority.title == {"en": "Seniority: not alone when inexperienced",
                               "nb": "Erfaring: ikke alene som uerfaren"}
    assert (seniority.source.document, seniority.source.lines) == ("003", "319, 415")
    assert seniority.related == ("attention_point.resistance_isolation",
                                 "barrier.unclear_roles", "precondition.onboarding.senior_buddy")


def test_library_attention_points_are_nine(library: Library) -> None:
    assert top_level(library, "attention_point") == [
        "attention_point.workload", "attention_point.loyalty_conflict",
        "attention_point.medical_file", "attention_point.trust_privacy",
        "attention_point.coercive_treatment", "attention_point.distance_proximity",
        "attention_point.living_system_world", "attention_point.resistance_isolation",
        "attention_point.expertise",
    ]


def test_library_role_forms_barriers_levels_and_peer_roles(library: Library) -> None:
    assert top_level(library, "role_form") == ["role_form.peer_support_worker",
                                               "role_form.care_provider"]
    assert top_level(library, "barrier") == [
        "barrier.recognition", "barrier.unclear_roles", "barrier.stigma",
        "barrier.pay_conditions", "barrier.culture", "barrier.training",
    ]
    assert top_level(library, "involvement_level") == [
        "involvement_level.individual", "involvement_level.service", "involvement_level.system"]
    assert top_level(library, "peer_role") == [
        "peer_role.predetermined_services", "peer_role.peer_support",
        "peer_role.co_creation_partner"]
    studies = {e: library.elements[e].attributes["studies"]
               for e in top_level(library, "peer_role")}
    assert studies == {"peer_role.predetermined_services": 21, "peer_role.peer_support": 145,
                       "peer_role.co_creation_partner": 6}


def test_library_service_cycle_has_four_phases_two_rules_and_citizen_roles(
        library: Library) -> None:
    structure = library.structure("service_cycle")
    assert structure is not None
    elements = {e.id: e for e in structure.elements}
    phases = sorted((e.attributes["phase_order"], e.id, e.attributes["stage"])
                    for e in elements.values() if "phase_order" in e.attributes)
    rules = {e.id: (e.attributes["requires_early_phase"], e.attributes["requires_delivery"])
             for e in elements.values() if "requires_delivery" in e.attributes}

    assert phases == [
        (1, "service_cycle.commissioning", "early"), (2, "service_cycle.design", "early"),
        (3, "service_cycle.delivery", "late"), (4, "service_cycle.assessment", "late"),
    ]
    assert rules == {"service_cycle.co_production": (False, True),
                     "service_cycle.co_creation": (True, True)}
    assert children(library, "service_cycle.citizen_role") == [
        "service_cycle.citizen_role.co_initiator", "service_cycle.citizen_role.co_designer",
        "service_cycle.citizen_role.co_implementer"]


def test_library_model4_has_role_function_condition_outcome_groups(library: Library) -> None:
    assert top_level(library, "model4") == ["model4.role", "model4.function",
                                            "model4.condition", "model4.outcome"]
    sizes = {group: len(children(library, group)) for group in top_level(library, "model4")}
    assert sizes == {"model4.role": 2, "model4.function": 3, "model4.condition": 4,
                     "model4.outcome": 9}


def test_library_influence_study_has_three_categories_of_three_sub_themes(
        library: Library) -> None:
    categories = top_level(library, "influence_study")
    assert categories == ["influence_study.empowered_roles", "influence_study.fluidity",
                          "influence_study.cultural_catalysts"]
    labels = [library.elements[c].label for category in categories
              for c in children(library, category)]
    assert labels == ["1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "3c"]


def test_library_stc_and_io5_process_are_ordered_steps(library: Library) -> None:
    assert top_level(library, "stc") == ["stc.overall_impression", "stc.meaning_units",
                                         "stc.condensation", "stc.synthesis", "stc.validation"]
    io5 = library.structure("io5_process")
    assert io5 is not None
    assert [e.label for e in io5.elements] == [str(n) for n in range(1, 10)]
    assert all(not e.children for e in io5.elements)


def test_library_every_element_is_explained_in_both_languages(library: Library) -> None:
    missing = [(e.id, field, language) for e in library.elements.values()
               for field in ("title", "summary", "why") for language in LANGUAGES
               if not getattr(e, field)[language].strip()]
    same_title = {e.id for e in library.elements.values() if e.title["en"] == e.title["nb"]}
    same_text = [e.id for e in library.elements.values()
                 if e.summary["en"] == e.summary["nb"] or e.why["en"] == e.why["nb"]]

    assert missing == []
    assert same_title == SAME_TITLE_IN_BOTH
    assert same_text == []


def test_library_every_element_cites_a_document_and_lines(library: Library) -> None:
    cited = {e.source.document for e in library.elements.values()}
    assert cited <= set(library.documents)
    assert all(e.source.lines for e in library.elements.values())
    assert all(s.source.document in library.documents for s in library.structures)


def test_library_related_links_resolve_and_ids_are_unique(library: Library) -> None:
    walked = [e.id for s in library.structures for e in s.walk()]
    assert len(walked) == len(set(walked)) == len(library.elements) == 142
    dangling = [(e.id, r) for e in library.elements.values() for r in e.related
                if r not in library.elements]
    assert dangling == []
