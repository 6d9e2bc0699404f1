"""Survey results and exports through the API: the same suppressed tables as the pages.

Every figure a wave's suppression withholds is null here too. Like the pages, a large
wave's results are the newest computed while a background task computes newer ones
(``results_refresh``). Answer-level exports answer 403 to anyone but national analysts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from peerwork.api.auth import AUTH
from peerwork.api.schemas import UPDATING_NOTE, Message, ResultsComputing, results_computing
from peerwork.orgs.queries import get_organisation_for
from peerwork.surveys import queries, results_queries, results_refresh, results_views
from peerwork.surveys.models import Wave
from peerwork.surveys.results_rules import EXPORT_ANSWERS, VIEW_RESULTS
from peerwork.surveys.results_tables import Crosstab, GroupNumbers, NumberSummary

router = Router(tags=["survey results"], auth=AUTH)


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys(errors, Message)}


class CategoryOut(Schema):
    value: str
    label: dict[str, str]
    count: int | None
    percent: float | None


class TableOut(Schema):
    variable: str
    label: dict[str, str]
    categories: list[CategoryOut]
    base: int | None
    base_is_answered: bool


class NumberRangeOut(Schema):
    """A histogram range, from ``low`` up to but not including ``high`` (null: open)."""

    low: float | None
    high: float | None
    count: int


class NumberOut(Schema):
    n: int | None
    shown: bool
    mean: float | None
    mean_low: float | None
    mean_high: float | None
    sd: float | None
    median: float | None
    median_low: float | None
    median_high: float | None
    percentiles: dict[str, float | None]
    ranges: list[NumberRangeOut]  # each holds at least k answers; [] when none can be shown
    no_ranges: str  # why there are none: "hidden", "few", "alike", or ""


class QuestionOut(Schema):
    id: str
    type: str
    label: dict[str, str]
    unit: str | None
    background: bool
    match: str
    tables: list[TableOut]
    number: NumberOut | None
    texts: list[str]  # at most 200 per question; the aggregate export lists all
    text_count: int


class WaveResultsOut(Schema):
    wave: int
    min_cell: int
    respondents: int  # answers these results include
    submitted: int  # answers submitted now
    updating: bool  # newer results are being computed
    shown: bool
    questions: list[QuestionOut]


class CrosstabOut(Schema):
    variable: str
    background: str
    rows: list[CategoryOut]
    columns: list[CategoryOut]
    cells: list[list[int | None]]


class GroupOut(Schema):
    group: CategoryOut
    statistics: NumberOut


class SplitOut(Schema):
    question: str
    background: str
    respondents: int
    submitted: int
    updating: bool
    crosstabs: list[CrosstabOut]
    groups: list[GroupOut]


class TrendRowOut(Schema):
    wave: str
    respondents: int
    submitted: int
    updating: bool
    shown: bool
    values: list[float | None]


class TrendOut(Schema):
    match: str
    title: str
    columns: list[str]
    rows: list[TrendRowOut]


def _wave(request: HttpRequest, slug: str, wave_id: int) -> tuple[Any, Wave]:
    organisation = get_organisation_for(request.user, slug, perm=VIEW_RESULTS)
    return organisation, queries.get_wave_for(organisation, wave_id)


def _number(n: NumberSummary) -> NumberOut:
    return NumberOut(n=n.n, shown=n.shown, mean=n.mean, mean_low=n.mean_low, mean_high=n.mean_high,
                     sd=n.sd, median=n.median, median_low=n.median_low, median_high=n.median_high,
                     percentiles={f"p{p}": v for p, v in n.percentiles},
                     ranges=[NumberRangeOut(low=low, high=high, count=count)
                             for low, high, count in n.bins],
                     no_ranges=n.no_bins)


def _category(c: Any) -> CategoryOut:
    return CategoryOut(value=c.value, label=c.label, count=c.count, percent=c.percent)


@router.get("/{slug}/surveys/waves/{wave_id}/results",
            response=_responses({200: WaveResultsOut, 202: ResultsComputing}, 401, 403, 404),
            summary="A wave's results per question, with small cells suppressed; the newest "
                    "computed (`respondents` of `submitted` answers), or 202 while none are",
            description="Every figure the wave's suppression withholds is null." + UPDATING_NOTE)
def wave_results(request: HttpRequest, response: HttpResponse, slug: str,
                 wave_id: int) -> WaveResultsOut | Status[ResultsComputing]:
    _organisation, wave = _wave(request, slug, wave_id)
    state = results_refresh.shown(wave)
    tables = state.results
    if tables is None:
        return results_computing(response, state.submitted)
    return WaveResultsOut(
        wave=wave.pk, min_cell=tables.k, respondents=tables.respondents,
        submitted=state.submitted, updating=not state.current, shown=tables.shown,
        questions=[QuestionOut(
            id=q.id, type=q.type, label=q.label, unit=q.unit, background=q.background,
            match=q.match, texts=list(q.texts), text_count=q.text_count,
            number=_number(q.number) if q.number else None,
            tables=[TableOut(variable=t.variable, label=t.label, base=t.base,
                             base_is_answered=t.base_is_answered,
                             categories=[_category(c) for c in t.categories]) for t in q.tables])
            for q in tables.questions])


@router.get("/{slug}/surveys/waves/{wave_id}/crosstab",
            response=_responses({200: SplitOut, 202: ResultsComputing}, 400, 401, 403, 404),
            summary="A question split by a background question, suppressed; of the newest "
                    "computed results, or 202 while it is being computed",
            description="The split covers the same answers as the wave's results." + UPDATING_NOTE)
def wave_crosstab(request: HttpRequest, response: HttpResponse, slug: str, wave_id: int,
                  question: str = "", by: str = "") -> SplitOut | Status[ResultsComputing]:
    # The query is optional in the schema so that outsiders get the funnel's 404 first.
    _organisation, wave = _wave(request, slug, wave_id)
    definition = results_queries.definition(wave)
    background = definition.question(by)
    if definition.question(question) is None or background is None or not background.background:
        raise HttpError(400, "question must be a question of the wave and by a background question")
    state = results_refresh.shown(wave)
    splits = results_refresh.split(state, question, by)
    if state.results is None or splits is None:
        return results_computing(response, state.submitted)
    return SplitOut(
        question=question, background=by, respondents=state.results.respondents,
        submitted=state.submitted, updating=not state.current,
        crosstabs=[CrosstabOut(variable=s.variable, background=s.background,
                               rows=[_category(c) for c in s.rows],
                               columns=[_category(c) for c in s.columns],
                               cells=[list(r) for r in s.cells])
                   for s in splits if isinstance(s, Crosstab)],
        groups=[GroupOut(group=_category(c), statistics=_number(n))
                for s in splits if isinstance(s, GroupNumbers) for c, n in s.groups])


@router.get("/{slug}/surveys/waves/{wave_id}/trends",
            response=_responses({200: list[TrendOut], 202: ResultsComputing}, 401, 403, 404),
            summary="This wave's questions matched across the survey's waves, with n per wave; "
                    "of each wave's newest computed results, or 202 while they are computed",
            description="Each row gives the wave's `respondents`, `submitted` and `updating`; "
                        "202 while any wave has no results computed yet." + UPDATING_NOTE)
def wave_trends(request: HttpRequest, response: HttpResponse, slug: str,
                wave_id: int) -> list[TrendOut] | Status[ResultsComputing]:
    _organisation, wave = _wave(request, slug, wave_id)
    waves = results_refresh.survey_waves(wave)
    found = results_refresh.trends(wave, waves)
    if found is None:
        this = next(s for s in waves if s.key == wave.pk)
        return results_computing(response, this.submitted)
    # A trend has one row per wave with tables, in the same order.
    tabled = [s for s in waves if s.results is not None]
    return [TrendOut(match=t.match, title=t.title, columns=list(t.columns),
                     rows=[TrendRowOut(wave=r.wave, respondents=r.respondents,
                                       submitted=s.submitted, updating=not s.current,
                                       shown=r.shown, values=list(r.numbers))
                           for r, s in zip(t.rows, tabled, strict=True)])
            for t in found]


@router.get("/{slug}/surveys/waves/{wave_id}/exports/{name}",
            response=_responses({200: None, 202: ResultsComputing}, 401, 403, 404),
            summary="A file: aggregate.csv|xlsx and codebook.csv|html for every member; "
                    "answers.csv|xlsx|sav for national analysts only; 202 while a large "
                    "wave's aggregate figures are first computed")
def wave_export(request: HttpRequest, response: HttpResponse, slug: str, wave_id: int,
                name: str) -> HttpResponse | StreamingHttpResponse | Status[ResultsComputing]:
    organisation, wave = _wave(request, slug, wave_id)
    if name not in results_views.EXPORTS:
        raise HttpError(404, "unknown export")
    try:
        body = results_views.export_body(
            wave, name, answers_allowed=request.user.has_perm(EXPORT_ANSWERS, organisation))
    except results_views.NotReady as exc:
        return results_computing(response, exc.submitted)
    except PermissionDenied as exc:
        raise HttpError(403, "answer-level data is for national analysts, "
                             "from waves with enough answers") from exc
    reply: HttpResponse | StreamingHttpResponse
    if isinstance(body, str):
        reply = HttpResponse(body, content_type=results_views.EXPORTS[name])
    else:
        reply = StreamingHttpResponse(body, content_type=results_views.EXPORTS[name])
    reply["Content-Disposition"] = f'attachment; filename="peerwork-survey-wave-{wave.pk}-{name}"'
    return reply
