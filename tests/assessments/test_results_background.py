"""A large round's scores are computed by a background task, never in the request: the
results page and the API show the newest scores computed, say how many answers they
include, and poll until newer ones are ready. Small rounds are scored in the request.

PEERWORK_RESULTS_INLINE_MAX is lowered so that a few answers count as a large round; the
task runs here by calling it, as the worker would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from assessments.conftest import open_round
from peerwork.assessments import services, tasks
from peerwork.assessments.models import Round, ShareLink
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.core.secrets import new_secret

HTMX = {"HX-Request": "true"}
TASK = "peerwork.assessments.tasks.refresh_round_scores"
CELL = r'{} <span class="meta">\(±[0-9.,]+, n={}\)</span>'


@pytest.fixture
def large(settings: Any) -> None:
    settings.PEERWORK_RESULTS_INLINE_MAX = 3


def submit(round_: Round, count: int, value: int, position: str = "colleague") -> None:
    """``count`` respondents who give ``value`` to every question, by the one-page form."""
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    with scopes_disabled():
        link = ShareLink.objects.get(round=round_, position=position)
    for _ in range(count):
        services.answer_all_from_link(
            link=link, form_key=new_secret(),
            answers={i.id: (value, "") for i in questionnaire.items_for(round_.stage)})


@pytest.fixture
def answered(world: Any) -> Round:
    round_ = open_round(world)
    submit(round_, 6, 2)
    return round_


def _url(round_: Round) -> str:
    return f"/o/{round_.organisation.slug}/assessments/{round_.pk}/results/"


def _api(round_: Round) -> str:
    return f"/api/v1/organisations/{round_.organisation.slug}/assessments/{round_.pk}/results"


def _flat(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _queued() -> list[tuple[str, dict[str, Any]]]:
    return [(t.task_path, t.args_kwargs["kwargs"])
            for t in DBTaskResult.objects.order_by("enqueued_at")]


def _run(round_: Round) -> None:
    tasks.refresh_round_scores.call(round_id=round_.pk)


def test_results_background_small_round_is_scored_in_the_request(world: Any,
                                                                 answered: Round) -> None:
    page = _flat(world.client_for(world.manager).get(_url(answered)))

    assert "6 submitted answers." in page
    assert re.search(CELL.format(r"2\.0", 6), page)
    assert 'id="results-updating"' not in page
    assert DBTaskResult.objects.count() == 0


def test_results_background_large_round_queues_one_task_and_shows_progress(
        world: Any, large: None, answered: Round) -> None:
    client = world.client_for(world.manager)

    first = _flat(client.get(_url(answered)))
    second = _flat(client.get(_url(answered)))

    notice = ("The figures of “Fjordvik readiness 2027” (6 answers) are being computed; this "
              "page shows them when they are ready.")
    assert notice in first
    assert notice in second
    assert f'hx-get="{_url(answered)}?updating={answered.pk}.-" hx-trigger="every 5s"' in first
    assert "Scores per area" not in first
    assert "submitted answers" not in first
    assert _queued() == [(TASK, {"round_id": answered.pk})]


def test_results_background_task_scores_and_the_poll_reloads_the_page(
        world: Any, large: None, answered: Round) -> None:
    client = world.client_for(world.manager)
    client.get(_url(answered))
    poll = f"{_url(answered)}?updating={answered.pk}.-"
    waiting = client.get(poll, headers=HTMX)

    _run(answered)

    ready = client.get(poll, headers=HTMX)
    page = _flat(client.get(_url(answered)))
    assert (waiting.status_code, waiting.get("HX-Refresh")) == (204, None)
    assert (ready.status_code, ready["HX-Refresh"]) == (204, "true")
    assert "6 submitted answers." in page
    assert re.search(CELL.format(r"2\.0", 6), page)
    assert 'id="results-updating"' not in page
    assert len(_queued()) == 1


def test_results_background_new_answers_show_the_older_scores_with_a_notice(
        world: Any, large: None, answered: Round) -> None:
    _run(answered)
    submit(answered, 2, 5)
    client = world.client_for(world.manager)

    stale = _flat(client.get(_url(answered)))
    _run(answered)
    fresh = _flat(client.get(_url(answered)))

    assert ("Updating: the results of “Fjordvik readiness 2027” include 6 of 8 answers; this "
            "page refreshes when the new figures are ready.") in stale
    assert "6 submitted answers." in stale
    assert re.search(CELL.format(r"2\.0", 6), stale)  # the table of the 6 answers alone
    assert not re.search(CELL.format(r"2\.75", 8), stale)
    assert "8 submitted answers." in fresh
    assert re.search(CELL.format(r"2\.8", 8), fresh)
    assert 'id="results-updating"' not in fresh
    assert _queued() == [(TASK, {"round_id": answered.pk})]  # by the stale view


def test_results_background_notice_in_norwegian(world: Any, large: None, answered: Round,
                                                nb_catalogue: None) -> None:
    _run(answered)
    submit(answered, 2, 5)
    client = world.client_for(world.manager)
    client.post("/language/", {"language": "nb", "next": "/"})

    page = _flat(client.get(_url(answered)))

    assert ("Oppdaterer: resultatene fra «Fjordvik readiness 2027» omfatter 6 av 8 svar; siden "
            "lastes på nytt når de nye tallene er klare.") in page


def test_results_background_trend_waits_for_an_earlier_large_round(
        world: Any, large: None, answered: Round) -> None:
    later = open_round(world, title="Fjordvik readiness 2028")
    submit(later, 2, 4)  # small enough to score in the request
    client = world.client_for(world.manager)

    waiting = _flat(client.get(_url(later)))
    _run(answered)
    ready = _flat(client.get(_url(later)))

    assert ("The figures of “Fjordvik readiness 2027” (6 answers) are being computed") in waiting
    assert "Change since earlier rounds" not in waiting
    assert "2 submitted answers." in waiting  # the round's own scores are shown
    assert _queued() == [(TASK, {"round_id": answered.pk})]
    assert "Change since earlier rounds" in ready
    assert 'id="results-updating"' not in ready


def test_results_background_api_answers_202_then_says_how_many_answers(
        world: Any, large: None, answered: Round) -> None:
    client = world.client_for(world.manager)

    computing = client.get(_api(answered))
    _run(answered)
    fresh = client.get(_api(answered)).json()
    submit(answered, 2, 5)
    stale = client.get(_api(answered)).json()

    assert (computing.status_code, computing["Retry-After"]) == (202, "5")
    assert computing.json() == {
        "detail": "The results are being computed; ask again in a few seconds.",
        "submitted": 6, "retry_after": 5}
    assert (fresh["respondents"], fresh["submitted"], fresh["updating"]) == (6, 6, False)
    assert (stale["respondents"], stale["submitted"], stale["updating"]) == (6, 8, True)
    job = next(e for e in stale["elements"] if e["element_id"] == "precondition.job_description")
    assert (job["total"]["n"], job["total"]["mean"]) == (6, 2.0)


def test_results_background_task_of_a_deleted_round_does_nothing(world: Any) -> None:
    tasks.refresh_round_scores.call(round_id=999_999)

    assert DBTaskResult.objects.count() == 0
