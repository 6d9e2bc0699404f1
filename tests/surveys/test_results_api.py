"""Survey results through the API: the same suppressed tables, the same rights."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.accounts.services import create_api_token
from peerwork.surveys.models import Wave
from surveys.conftest import open_wave
from surveys.results_seed import submit_many

SECTORS = ["municipal"] * 12 + ["specialist"] * 10 + ["ngo"] * 3


@pytest.fixture
def answered(world: Any) -> Wave:
    wave = open_wave(world)
    submit_many(wave, SECTORS)
    return wave


def _base(wave: Wave, slug: str | None = None) -> str:
    return f"/api/v1/organisations/{slug or wave.organisation.slug}/surveys/waves/{wave.pk}"


def _key_client(user: Any) -> Client:
    key = create_api_token(user=user, name="results test").key
    return Client(headers={"authorization": f"Bearer {key}"})


def test_results_api_results_are_suppressed(world: Any, answered: Wave) -> None:
    response = world.client_for(world.peer).get(f"{_base(answered)}/results")

    assert response.status_code == 200
    body = response.json()
    assert (body["min_cell"], body["respondents"], body["shown"]) == (5, 25, True)
    sector = next(q for q in body["questions"] if q["id"] == "sector")
    counts = {c["value"]: c["count"] for c in sector["tables"][0]["categories"]}
    assert counts == {"municipal": 12, "specialist": None, "ngo": None, "__missing__": 0}
    salary = next(q for q in body["questions"] if q["id"] == "salary")
    assert salary["number"]["n"] == 25
    assert "p0" not in salary["number"]["percentiles"]
    assert "p100" not in salary["number"]["percentiles"]
    ranges = salary["number"]["ranges"]
    assert (ranges[0]["low"], ranges[-1]["high"], salary["number"]["no_ranges"]) == (None, None, "")
    assert all(r["count"] >= 5 for r in ranges)
    assert sum(r["count"] for r in ranges) == 25


def test_results_api_crosstab_merges_small_groups(world: Any, answered: Wave) -> None:
    response = world.client_for(world.peer).get(f"{_base(answered)}/crosstab",
                                                {"question": "salary", "by": "sector"})

    assert response.status_code == 200
    groups = [(g["group"]["value"], g["group"]["count"], g["statistics"]["shown"])
              for g in response.json()["groups"]]
    assert groups == [("municipal", 12, True), ("__other__", 13, True)]


def test_results_api_crosstab_needs_a_background_question(world: Any, answered: Wave) -> None:
    response = world.client_for(world.peer).get(f"{_base(answered)}/crosstab",
                                                {"question": "salary", "by": "fte"})

    assert response.status_code == 400


def test_results_api_answer_export_only_for_analysts(world: Any, answered: Wave) -> None:
    url = f"{_base(answered)}/exports/answers.csv"

    manager = _key_client(world.manager).get(url)
    analyst = world.client_for(world.analyst).get(url)

    assert manager.status_code == 403
    assert analyst.status_code == 200
    assert b"".join(analyst.streaming_content).decode("utf-8-sig").count("\n") == 26


def test_results_api_aggregate_export_for_members(world: Any, answered: Wave) -> None:
    response = world.client_for(world.colleague).get(f"{_base(answered)}/exports/aggregate.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("tail", ["results", "trends", "crosstab?question=jd_clear&by=sector",
                                  "exports/aggregate.csv"])
def test_results_api_is_404_for_other_tenants(world: Any, answered: Wave, tail: str) -> None:
    charlie = world.client_for(world.charlie)

    assert charlie.get(f"{_base(answered)}/{tail}").status_code == 404
    assert charlie.get(f"{_base(answered, world.other_org.slug)}/{tail}").status_code == 404


def test_results_api_unknown_export_is_404(world: Any, answered: Wave) -> None:
    assert world.client_for(world.analyst).get(f"{_base(answered)}/exports/x.zip").status_code == 404
