"""A large wave's results are computed by a background task, never in the request: the
pages and the API show the newest results computed, say how many answers they include,
and poll until newer ones are ready. Small waves are computed in the request as before.

PEERWORK_RESULTS_INLINE_MAX is lowered so that 25 answers count as a large wave; the
task runs here by calling it, as the worker would.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from peerwork.surveys import results_queries, services, tasks
from peerwork.surveys.models import Wave
from surveys.conftest import open_wave
from surveys.results_seed import another_wave, answers, submit_many

SECTORS = ["municipal"] * 12 + ["specialist"] * 10 + ["ngo"] * 3
HTMX = {"HX-Request": "true"}
# The results page of these waves draws six charts (the choice, Likert, number and matrix
# questions); a page drawn in the background must show them all.
CHARTS = 6
TASK = "peerwork.surveys.tasks.refresh_wave_results"
COMPUTING = ("The figures of “Wave 2027” (25 answers) are being computed; this page shows them "
             "when they are ready.")
UPDATING = ("Updating: the results of “Wave 2027” include 25 of 30 answers; this page refreshes "
            "when the new figures are ready.")


@pytest.fixture
def large(settings: Any) -> None:
    settings.PEERWORK_RESULTS_INLINE_MAX = 10
    settings.PEERWORK_RESULTS_REFRESH_SECONDS = 60


@pytest.fixture
def answered(world: Any) -> Wave:
    wave = open_wave(world)
    submit_many(wave, SECTORS)
    return wave


def _url(name: str, wave: Wave) -> str:
    return reverse(f"surveys:{name}", args=[wave.organisation.slug, wave.pk])


def _flat(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _queued() -> list[tuple[str, dict[str, Any], bool]]:
    """(task, kwargs, deferred) of every task queued, oldest first."""
    return [(t.task_path, t.args_kwargs["kwargs"], t.task.run_after is not None)
            for t in DBTaskResult.objects.order_by("enqueued_at")]


def _more(wave: Wave, count: int, batch: str) -> None:
    """``count`` more municipal answers, submitted after the first 25."""
    rng = random.Random(batch)
    for index in range(count):
        services.submit_whole(wave=wave, key=f"{batch}-{wave.pk}-{index}",
                              answers=answers(100 + index, rng, "municipal"))


def _run(wave: Wave, what: str = tasks.TABLES) -> None:
    tasks.refresh_wave_results.call(wave_id=wave.pk, what=what)


def _poll_url(page: str) -> str:
    found = re.search(r'hx-get="([^"]+)" hx-trigger="every 5s" hx-swap="none"', page)
    assert found is not None, page
    return found.group(1).replace("&amp;", "&")


def test_results_small_wave_is_computed_in_the_request(world: Any, answered: Wave) -> None:
    page = _flat(world.client_for(world.peer).get(_url("results", answered)))

    assert "25 submitted answers" in page
    assert "Municipal</th> <td>12</td>" in page
    assert "data:image/svg+xml;base64," in page
    assert 'id="results-updating"' not in page
    assert DBTaskResult.objects.count() == 0


def test_results_large_wave_first_view_queues_one_task_and_shows_progress(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.peer)

    first = _flat(client.get(_url("results", answered)))
    second = _flat(client.get(_url("results", answered)))

    assert COMPUTING in first
    assert "Municipal</th>" not in first  # nothing computed, nothing shown
    assert "submitted answers" not in first
    assert f'hx-get="{_url("results", answered)}?updating={answered.pk}.--False"' in first
    assert COMPUTING in second
    assert _queued() == [(TASK, {"wave_id": answered.pk, "what": "tables"}, False)]


def test_results_task_computes_tables_and_charts_and_the_poll_reloads_the_page(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.peer)
    poll = _poll_url(client.get(_url("results", answered)).content.decode())
    waiting = client.get(poll, headers=HTMX)

    _run(answered)

    ready = client.get(poll, headers=HTMX)
    page = _flat(client.get(_url("results", answered)))
    assert (waiting.status_code, waiting.get("HX-Refresh"), waiting.content) == (204, None, b"")
    assert (ready.status_code, ready["HX-Refresh"]) == (204, "true")
    assert "25 submitted answers" in page
    assert "Municipal</th> <td>12</td>" in page
    assert "Voluntary</th> <td><span class=\"suppressed\">hidden" in page
    assert page.count('<figure class="chart">') == CHARTS
    assert 'id="results-updating"' not in page
    assert len(_queued()) == 1  # the page found everything; nothing more to do


def test_results_poll_without_htmx_is_the_plain_page(world: Any, large: None,
                                                     answered: Wave) -> None:
    _run(answered)

    response = world.client_for(world.peer).get(_url("results", answered), {"updating": "x"})

    assert response.status_code == 200
    assert "25 submitted answers" in _flat(response)


def test_results_task_draws_the_charts_in_norwegian_too(world: Any, large: None, answered: Wave,
                                                        nb_catalogue: None) -> None:
    _run(answered)
    client = world.client_for(world.peer)
    client.cookies["peerwork_language"] = "nb"

    page = _flat(client.get(_url("results", answered)))

    assert "25 innsendte svar" in page
    assert page.count('<figure class="chart">') == CHARTS
    assert 'id="results-updating"' not in page


def test_results_new_answers_show_the_older_tables_with_a_notice(world: Any, large: None,
                                                                 answered: Wave) -> None:
    _run(answered)
    _more(answered, 5, "b")
    client = world.client_for(world.peer)

    stale = _flat(client.get(_url("results", answered)))
    _run(answered)
    fresh = _flat(client.get(_url("results", answered)))

    assert UPDATING in stale
    # Every figure shown is the 25 answers' own: the tables and the charts of one count.
    assert "25 submitted answers" in stale
    assert "Municipal</th> <td>12</td>" in stale
    assert stale.count('<figure class="chart">') == CHARTS
    assert "30 submitted answers" in fresh
    assert "Municipal</th> <td>17</td>" in fresh
    assert 'id="results-updating"' not in fresh


def test_results_updating_notice_in_norwegian(world: Any, large: None, answered: Wave,
                                              nb_catalogue: None) -> None:
    _run(answered)
    _more(answered, 5, "b")
    client = world.client_for(world.peer)
    client.cookies["peerwork_language"] = "nb"

    page = _flat(client.get(_url("results", answered)))

    assert ("Oppdaterer: resultatene fra «Wave 2027» omfatter 25 av 30 svar; siden lastes på "
            "nytt når de nye tallene er klare.") in page
    assert ">Oppdater</a>" in page


def test_results_one_task_is_queued_while_one_waits(world: Any, large: None,
                                                    answered: Wave) -> None:
    client = world.client_for(world.peer)
    client.get(_url("results", answered))
    _more(answered, 5, "b")
    client.get(_url("results", answered))

    assert len(_queued()) == 1  # the queued task computes whatever is submitted when it runs
    _run(answered)
    _more(answered, 5, "c")
    client.get(_url("results", answered))
    client.get(_url("results", answered))

    # Started less than PEERWORK_RESULTS_REFRESH_SECONDS ago: the next one waits.
    assert _queued()[1:] == [(TASK, {"wave_id": answered.pk, "what": "tables"}, True)]


def test_results_refresh_interval_zero_runs_at_once(world: Any, settings: Any,
                                                    answered: Wave) -> None:
    settings.PEERWORK_RESULTS_INLINE_MAX = 10
    settings.PEERWORK_RESULTS_REFRESH_SECONDS = 0
    _run(answered)
    _more(answered, 5, "b")

    world.client_for(world.peer).get(_url("results", answered))

    assert _queued() == [(TASK, {"wave_id": answered.pk, "what": "tables"}, False)]


def test_results_closing_a_large_wave_queues_its_computation(
        world: Any, large: None, answered: Wave, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.close_wave(actor=world.analyst, wave=answered)

    assert _queued() == [(TASK, {"wave_id": answered.pk, "what": "tables"}, False)]


def test_results_closing_a_small_wave_queues_nothing(
        world: Any, answered: Wave, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.close_wave(actor=world.analyst, wave=answered)

    assert DBTaskResult.objects.count() == 0


def test_results_task_of_a_deleted_wave_does_nothing(world: Any, large: None) -> None:
    tasks.refresh_wave_results.call(wave_id=999_999, what=tasks.TABLES)

    assert DBTaskResult.objects.count() == 0


def test_results_crosstab_of_a_large_wave_is_computed_in_the_background(
        world: Any, large: None, answered: Wave) -> None:
    _run(answered)
    client = world.client_for(world.manager)
    query = {"question": "jd_clear", "by": "sector"}

    waiting = client.get(_url("crosstab", answered), query, headers=HTMX)
    _run(answered, "split:jd_clear:sector")
    ready = client.get(_url("crosstab", answered), query, headers=HTMX)

    assert waiting.status_code == 200
    assert COMPUTING in _flat(waiting)
    assert "Municipal <span class=\"meta\">(n=12)</span>" not in _flat(waiting)
    assert (f'hx-get="{_url("crosstab", answered)}?question=jd_clear&amp;by=sector&amp;'
            f'updating={answered.pk}.25-False"') in _flat(waiting)
    assert _queued()[-1] == (TASK, {"wave_id": answered.pk, "what": "split:jd_clear:sector"},
                             False)
    assert "Municipal <span class=\"meta\">(n=12)</span>" in _flat(ready)
    assert "Other groups, merged <span class=\"meta\">(n=13)</span>" in _flat(ready)
    assert 'id="results-updating"' not in _flat(ready)


def test_results_crosstab_of_stale_tables_splits_the_same_answers(
        world: Any, large: None, answered: Wave) -> None:
    _run(answered, "split:jd_clear:sector")
    _more(answered, 5, "b")

    page = _flat(world.client_for(world.manager).get(
        _url("crosstab", answered), {"question": "jd_clear", "by": "sector"}))

    assert UPDATING in page
    assert "Municipal <span class=\"meta\">(n=12)</span>" in page  # the 25 answers' split


def test_results_trends_of_large_waves_are_drawn_in_the_background(
        world: Any, large: None, answered: Wave) -> None:
    earlier = another_wave(world, answered, "Wave 2026")
    with scopes_disabled():
        Wave.objects.filter(pk=earlier.pk).update(
            opens_on=timezone.localdate() - dt.timedelta(days=365))
    submit_many(earlier, ["municipal"] * 20, seed=3)
    client = world.client_for(world.manager)

    waiting = _flat(client.get(_url("trends", answered)))
    for task in DBTaskResult.objects.order_by("enqueued_at"):
        tasks.refresh_wave_results.call(**task.args_kwargs["kwargs"])
    ready = _flat(client.get(_url("trends", answered)))

    assert COMPUTING in waiting
    assert "The figures of “Wave 2026” (20 answers) are being computed" in waiting
    assert "Trends appear when" not in waiting
    assert sorted(kw["what"] + str(kw["wave_id"] == answered.pk) for _t, kw, _d in _queued()) == [
        "tablesFalse", "tablesTrue", "trendsTrue"]
    assert ('<th scope="col">Wave 2026 <span class="meta">(n=20)</span></th>'
            '<th scope="col">Wave 2027 <span class="meta">(n=25)</span></th>') in ready
    assert 'id="results-updating"' not in ready


def test_results_report_page_of_a_large_wave_waits_for_its_charts(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.manager)

    waiting = _flat(client.get(_url("report", answered)))
    _run(answered)
    ready = _flat(client.get(_url("report", answered)))

    assert COMPUTING in waiting
    assert "Survey report: Wave 2027" in waiting
    assert "Answers, question by question" not in waiting
    assert "Answers, question by question" in ready
    assert ready.count('<figure class="chart">') == CHARTS
    assert 'id="results-updating"' not in ready


def test_results_standing_of_a_large_wave_says_it_is_computing(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.peer)

    waiting = _flat(client.get(_url("standing", answered)))
    _run(answered)
    ready = _flat(client.get(_url("standing", answered)))

    assert COMPUTING in waiting
    assert 'id="standing-points"' not in waiting
    assert "This wave has no published salary figures yet" not in waiting
    assert 'id="standing-points"' in ready


def _api(wave: Wave, what: str) -> str:
    return f"/api/v1/organisations/{wave.organisation.slug}/surveys/waves/{wave.pk}/{what}"


def test_results_api_answers_202_until_computed_then_says_how_many_answers(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.peer)

    computing = client.get(_api(answered, "results"))
    _run(answered)
    fresh = client.get(_api(answered, "results")).json()
    _more(answered, 5, "b")
    stale = client.get(_api(answered, "results")).json()

    assert (computing.status_code, computing["Retry-After"]) == (202, "5")
    assert computing.json() == {
        "detail": "The results are being computed; ask again in a few seconds.",
        "submitted": 25, "retry_after": 5}
    assert (fresh["respondents"], fresh["submitted"], fresh["updating"]) == (25, 25, False)
    assert (stale["respondents"], stale["submitted"], stale["updating"]) == (25, 30, True)
    sector = next(q for q in stale["questions"] if q["id"] == "sector")
    assert {c["value"]: c["count"] for c in sector["tables"][0]["categories"]} == {
        "municipal": 12, "specialist": None, "ngo": None, "__missing__": 0}
    assert len(_queued()) == 2


def test_results_api_crosstab_and_trends_of_a_large_wave(world: Any, large: None,
                                                         answered: Wave) -> None:
    client = world.client_for(world.peer)
    query = {"question": "salary", "by": "sector"}
    _run(answered)

    computing = client.get(_api(answered, "crosstab"), query)
    _run(answered, "split:salary:sector")
    split = client.get(_api(answered, "crosstab"), query).json()
    trends = client.get(_api(answered, "trends"))

    assert computing.status_code == 202
    assert (split["respondents"], split["submitted"], split["updating"]) == (25, 25, False)
    assert [(g["group"]["value"], g["group"]["count"]) for g in split["groups"]] == [
        ("municipal", 12), ("__other__", 13)]
    assert (trends.status_code, trends.json()) == (200, [])  # one wave: no trend


def test_results_api_documents_the_background_answers(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    results = schema["paths"]["/api/v1/organisations/{slug}/surveys/waves/{wave_id}/results"]["get"]

    assert "202" in results["responses"]
    assert "`respondents` of `submitted` answers" in results["summary"]
    assert "PEERWORK_RESULTS_INLINE_MAX" in results["description"]


def test_results_cache_lost_shows_progress_again(world: Any, large: None,
                                                 answered: Wave) -> None:
    _run(answered)
    cache.clear()

    page = _flat(world.client_for(world.peer).get(_url("results", answered)))

    assert COMPUTING in page
    assert results_queries.latest(answered) is None


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_results_db_worker_computes_a_large_wave(world: Any, large: None,
                                                 run_worker: Any) -> None:
    wave = open_wave(world)
    submit_many(wave, SECTORS)
    client = world.client_for(world.peer)
    client.get(_url("results", wave))

    run_worker()

    page = _flat(client.get(_url("results", wave)))
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert "25 submitted answers" in page
    assert page.count('<figure class="chart">') == CHARTS
    assert 'id="results-updating"' not in page


def test_results_aggregate_export_of_a_large_wave_waits_for_the_task_then_names_its_count(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.peer)
    export = reverse("surveys:export", args=[answered.organisation.slug, answered.pk,
                                             "aggregate.csv"])
    api = f"/api/v1/organisations/{answered.organisation.slug}/surveys/waves/{answered.pk}/exports/"

    waiting = client.get(export)
    waiting_api = client.get(api + "aggregate.csv")
    _run(answered)
    _more(answered, 5, "c")
    stale = b"".join(client.get(export).streaming_content).decode()

    assert waiting.status_code == 302
    assert waiting["Location"] == _url("results", answered)
    assert ("The figures of this wave are being computed; the file can be downloaded when this "
            "page shows them.") in _flat(client.get(waiting["Location"]))
    assert (waiting_api.status_code, waiting_api["Retry-After"]) == (202, "5")
    # The newest computed tables (25 answers) while the 30 are computed: never a frame
    # read in the request, and the file's own counts say which answers it holds.
    assert ",,,,respondents,25,,no" in stale
    assert ",12," in stale  # the 12 municipal answers of the 25; 17 of the 30
    assert len(_queued()) == 2


def test_results_aggregate_export_asks_again_when_only_the_capped_tables_are_left(
        world: Any, large: None, answered: Wave) -> None:
    client = world.client_for(world.peer)
    export = reverse("surveys:export", args=[answered.organisation.slug, answered.pk,
                                             "aggregate.csv"])
    _run(answered)
    DBTaskResult.objects.all().delete()
    cache.delete(":".join(str(p) for p in (results_queries.refresh_name(answered), "tables")))

    waiting = client.get(export)
    _run(answered)
    ready = client.get(export)

    assert waiting.status_code == 302
    assert [(kw["wave_id"], kw["what"]) for _t, kw, _d in _queued()] == [(answered.pk, "tables")]
    assert ready.status_code == 200
    assert ",,,,respondents,25,,no" in b"".join(ready.streaming_content).decode()
