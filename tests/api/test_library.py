"""The framework library through /api/v1/library, and the OpenAPI document that
describes the API at /api/v1/openapi.json."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from django.test import Client
from schemathesis.specs.openapi.definitions import OPENAPI_31

from peerwork.framework.library import get_library

pytestmark = pytest.mark.django_db

API = "/api/v1/library"
TEXT_KEYS = {"en", "nb"}


def flatten(tree: list[dict[str, Any]]) -> Iterator[str]:
    for node in tree:
        yield node["id"]
        yield from flatten(node["children"])


def test_library_api_index_lists_version_and_structures(client: Client) -> None:
    response = client.get(API)

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "2026.1"
    assert [s["id"] for s in body["structures"]] == [s.id for s in get_library().structures]
    precondition = body["structures"][1]
    assert precondition == {
        "id": "precondition", "order": 2, "element_count": 61,
        "title": {"en": "Ten preconditions for successful peer work",
                  "nb": "Ti forutsetninger for å lykkes med erfaringskonsulenter"},
        "summary": get_library().structures[1].summary,
    }


def test_library_api_structure_has_its_elements_as_a_tree(client: Client) -> None:
    response = client.get(f"{API}/structures/precondition")

    assert response.status_code == 200
    body = response.json()
    structure = get_library().structure("precondition")
    assert structure is not None
    assert set(body) == {"id", "order", "title", "summary", "element_count", "source",
                         "elements"}
    assert body["source"] == {
        "document": "003", "lines": "84–106, 135–137, 159–205, 255–375", "note": None,
        "document_title": ("Erasmus+ European profile for Peer-worker, Intellectual Output 5: "
                           "recommendations for the use and positioning of peer workers"),
    }
    assert len(body["elements"]) == 10
    assert list(flatten(body["elements"])) == [e.id for e in structure.walk()]
    hiring = body["elements"][6]
    assert (hiring["id"], hiring["label"], set(hiring)) == (
        "precondition.hiring_policy", "7", {"id", "label", "title", "summary", "children"})


def test_library_api_structure_note_is_bilingual(client: Client) -> None:
    body = client.get(f"{API}/structures/peer_role").json()

    assert set(body["source"]["note"]) == TEXT_KEYS
    assert body["source"]["note"]["nb"].startswith("Studien sier at de to første typene")


def test_library_api_element_has_every_field(client: Client) -> None:
    element = get_library().elements["precondition.hiring_policy.seniority"]

    response = client.get(f"{API}/elements/precondition.hiring_policy.seniority")

    assert response.status_code == 200
    assert response.json() == {
        "id": "precondition.hiring_policy.seniority",
        "structure": "precondition",
        "parent": "precondition.hiring_policy",
        "label": "7.6",
        "title": {"en": "Seniority: not alone when inexperienced",
                  "nb": "Erfaring: ikke alene som uerfaren"},
        "summary": element.summary,
        "why": element.why,
        "source": {
            "document": "003", "lines": "319, 415", "note": None,
            "document_title": ("Erasmus+ European profile for Peer-worker, Intellectual Output "
                               "5: recommendations for the use and positioning of peer workers"),
        },
        "related": ["attention_point.resistance_isolation", "barrier.unclear_roles",
                    "precondition.onboarding.senior_buddy"],
        "attributes": {"recommended_peer_workers_per_team": 2,
                       "experienced_peer_worker_may_work_alone": True},
        "children": [],
    }


def test_library_api_element_keeps_machine_facts(client: Client) -> None:
    body = client.get(f"{API}/elements/peer_role.peer_support").json()

    assert body["attributes"] == {"studies": 145, "studies_percent": 84.3,
                                  "transformative_potential": 2}


def test_library_api_element_lists_its_children(client: Client) -> None:
    body = client.get(f"{API}/elements/service_cycle.citizen_role").json()

    assert body["children"] == ["service_cycle.citizen_role.co_initiator",
                                "service_cycle.citizen_role.co_designer",
                                "service_cycle.citizen_role.co_implementer"]
    assert body["parent"] is None


def test_library_api_elements_lists_all_in_library_order(client: Client) -> None:
    response = client.get(f"{API}/elements")

    assert response.status_code == 200
    assert [e["id"] for e in response.json()] == list(get_library().elements)


def test_library_api_elements_of_one_structure(client: Client) -> None:
    body = client.get(f"{API}/elements", {"structure": "peer_role"}).json()

    assert [e["id"] for e in body] == ["peer_role.predetermined_services",
                                       "peer_role.peer_support", "peer_role.co_creation_partner"]


def test_library_api_elements_search_in_english_by_default(client: Client) -> None:
    body = client.get(f"{API}/elements", {"q": "buddy"}).json()

    assert [e["id"] for e in body] == ["precondition.onboarding.senior_buddy",
                                       "precondition.onboarding"]


def test_library_api_elements_search_in_norwegian(client: Client) -> None:
    norwegian = client.get(f"{API}/elements", {"q": "fadder", "lang": "nb"}).json()
    english = client.get(f"{API}/elements", {"q": "fadder", "lang": "en"}).json()

    assert [e["id"] for e in norwegian] == ["precondition.onboarding.senior_buddy",
                                            "precondition.onboarding"]
    assert english == []


def test_library_api_elements_search_within_a_structure(client: Client) -> None:
    inside = client.get(f"{API}/elements", {"q": "buddy", "structure": "precondition"}).json()
    outside = client.get(f"{API}/elements", {"q": "buddy", "structure": "barrier"}).json()

    assert len(inside) == 2
    assert outside == []


def test_library_api_blank_query_lists_everything(client: Client) -> None:
    body = client.get(f"{API}/elements", {"q": "   ", "structure": "stc"}).json()

    assert [e["id"] for e in body] == ["stc.overall_impression", "stc.meaning_units",
                                       "stc.condensation", "stc.synthesis", "stc.validation"]


@pytest.mark.parametrize(("path", "detail"), [
    (f"{API}/structures/no_such_structure", "No such structure."),
    (f"{API}/elements/precondition.no_such_element", "No such element."),
    (f"{API}/elements?structure=no_such_structure", "No such structure."),
])
def test_library_api_unknown_id_is_404_json(client: Client, path: str, detail: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("query", [{"lang": "de"}, {"lang": "EN"}, {"lang": ""},
                                   {"q": "x" * 201}, {"structure": "s" * 61}])
def test_library_api_bad_parameter_is_422(client: Client, query: dict[str, str]) -> None:
    response = client.get(f"{API}/elements", query)

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", next(iter(query))]]


def test_library_api_is_public_and_read_only(client: Client) -> None:
    assert client.get(API).status_code == 200
    assert client.post(API).status_code == 405
    assert client.delete(f"{API}/elements/stc.synthesis").status_code == 405


def test_openapi_document_is_valid_openapi_3(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    errors = [e.message for e in jsonschema.Draft202012Validator(OPENAPI_31).iter_errors(document)]
    assert errors == []
    refs = set(_refs(document))
    assert refs
    assert {r.removeprefix("#/components/schemas/") for r in refs} <= set(
        document["components"]["schemas"])


def test_openapi_document_lists_the_library_operations(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()

    paths = document["paths"]
    library = {p: sorted(ops) for p, ops in paths.items() if p.startswith(API)}
    assert library == {
        API: ["get"],
        f"{API}/structures/{{structure_id}}": ["get"],
        f"{API}/elements": ["get"],
        f"{API}/elements/{{element_id}}": ["get"],
    }
    assert sorted(paths[f"{API}/elements/{{element_id}}"]["get"]["responses"]) == ["200", "404"]
    assert sorted(paths[f"{API}/elements"]["get"]["responses"]) == ["200", "404", "422"]
    parameters = {p["name"]: p["schema"] for p in paths[f"{API}/elements"]["get"]["parameters"]}
    assert parameters["lang"]["pattern"] == "^(en|nb)$"
    assert "/api/v1/reports/jobs/{job_id}" in paths


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
