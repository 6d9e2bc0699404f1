"""Pages for a wave's results: overview, crosstabs, trends, "where do I stand", the
report (page and PDF) and the exports. Thin: the funnel finds the wave, the
suppressed tables come from ``results_refresh`` (pages: the newest computed, while a
large wave's are computed in the background) or ``results_queries`` (exports)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.orgs.queries import get_organisation_for
from peerwork.reports.context import page_context
from peerwork.reports.services import request_report
from peerwork.reports.views import poll_answer, updating_context
from peerwork.surveys import exporters, queries, reports, results_queries, results_refresh
from peerwork.surveys.models import Wave
from peerwork.surveys.results_rules import EXPORT_ANSWERS, VIEW_RESULTS
from peerwork.surveys.results_tables import MISSING, OTHER, GroupNumbers, WaveResults


def _wave_for(request: HttpRequest, slug: str, wave_id: int) -> tuple[Any, Wave]:
    organisation = get_organisation_for(request.user, slug, perm=VIEW_RESULTS)
    return organisation, queries.get_wave_for(organisation, wave_id)


def _base(organisation: Any, wave: Wave, request: HttpRequest) -> dict[str, Any]:
    return {"organisation": organisation, "wave": wave, "survey": wave.survey,
            "lang": reports.lang(),
            "can_export_answers": request.user.has_perm(EXPORT_ANSWERS, organisation)}


def _backgrounds(wave: Wave) -> list[tuple[str, str]]:
    language = reports.lang()
    return [(q.id, q.label(language)) for q in results_queries.definition(wave).background()
            if q.type in ("single", "likert")]


@login_required
def wave_index(request: HttpRequest, slug: str) -> HttpResponse:
    """Every wave of the organisation's surveys, newest first, with links to its results."""
    organisation = get_organisation_for(request.user, slug, perm=VIEW_RESULTS)
    waves = [(survey, wave, results_queries.submitted_count(wave))
             for survey in queries.surveys_of(organisation) for wave in queries.waves_of(survey)]
    waves.sort(key=lambda row: (row[1].opens_on, row[1].pk), reverse=True)
    return render(request, "surveys/results/index.html", {"organisation": organisation,
                                                          "waves": waves})


def _updating(request: HttpRequest, states: list[results_refresh.Shown], *, ready: bool,
              ) -> tuple[HttpResponse | None, dict[str, Any]]:
    """The answer to the updating notice's poll, or the notice's context: one line per
    wave whose tables leave out answers, or, if ``ready`` is False (the charts or the
    split the page needs are being computed), for the first wave."""
    notices = [s.notice() for s in states if not s.current]
    if not ready and not notices:
        notices = [states[0].notice()]
    version = "-".join([*(s.version for s in states), str(ready)])
    return poll_answer(request, version), updating_context(request, notices, version)


def _this_first(wave: Wave, waves: list[results_refresh.Shown]) -> list[results_refresh.Shown]:
    return sorted(waves, key=lambda s: s.key != wave.pk)


def _splittable(tables: Any, *, but: str = "") -> list[tuple[str, str]]:
    return [(q.id, q.label.get(reports.lang(), "")) for q in tables.questions
            if q.type not in ("text", "longtext", "date") and q.id != but] if tables else []


@login_required
def results(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    organisation, wave = _wave_for(request, slug, wave_id)
    state = results_refresh.shown(wave)
    figures = results_refresh.figures(state)
    poll, updating = _updating(request, [state], ready=figures is not None)
    if poll:
        return poll
    return render(request, "surveys/results/overview.html", {
        **_base(organisation, wave, request), **updating, "results": state.results,
        "figures": figures or {}, "backgrounds": _backgrounds(wave),
        **reports.text_limit(reports.PAGE_TEXTS), "splittable": _splittable(state.results),
    })


@login_required
def crosstab(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    """A question split by a background variable; the picker is a plain GET form."""
    organisation, wave = _wave_for(request, slug, wave_id)
    question_id = request.GET.get("question", "")
    background_id = request.GET.get("by", "")
    backgrounds = dict(_backgrounds(wave))
    state = results_refresh.shown(wave)
    tables = state.results
    problem = ""
    splits: list[Any] | None = []
    if (question_id or background_id) and tables is not None:
        if background_id not in backgrounds or tables.question(question_id) is None:
            problem = _("Choose a question and a background variable from the lists.")
        else:
            splits = results_refresh.split(state, question_id, background_id)
    poll, updating = _updating(request, [state], ready=splits is not None)
    if poll:
        return poll
    context = {
        **_base(organisation, wave, request), **updating, "results": tables,
        "backgrounds": backgrounds.items(),
        "question": tables.question(question_id) if tables else None, "question_id": question_id,
        "background_id": background_id, "background_label": backgrounds.get(background_id, ""),
        "problem": problem, "splits": splits or [], "splits_ready": splits is not None,
        "numbers": [s for s in splits or [] if isinstance(s, GroupNumbers)],
        "MISSING": MISSING, "OTHER": OTHER, "splittable": _splittable(tables, but=background_id),
    }
    template = ("surveys/results/_crosstab.html" if request.headers.get("HX-Request")
                else "surveys/results/crosstab.html")
    return render(request, template, context, status=400 if problem else 200)


@login_required
def trends(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    organisation, wave = _wave_for(request, slug, wave_id)
    waves = results_refresh.survey_waves(wave)
    found = results_refresh.trends(wave, waves)
    poll, updating = _updating(request, _this_first(wave, waves), ready=found is not None)
    if poll:
        return poll
    return render(request, "surveys/results/trends.html", {
        **_base(organisation, wave, request), **updating, "trends": found})


@login_required
def standing(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    """ "Where do I stand": the published salary percentiles; the browser places the
    visitor's own salary among them (survey-standing.js) and never sends it."""
    organisation, wave = _wave_for(request, slug, wave_id)
    state = results_refresh.shown(wave)
    poll, updating = _updating(request, [state], ready=True)
    if poll:
        return poll
    tables = state.results
    salary = None
    if tables is not None and tables.shown:
        # The national survey's salary question; otherwise the first amount in kroner.
        salary = tables.by_match(results_queries.SALARY_MATCH) or next(
            (q for q in tables.questions if q.type == "number" and (q.unit or "").upper()
             in {"NOK", "KR"}), None)
    number = salary.number if salary is not None and salary.number is not None else None
    points = [(p, v) for p, v in number.percentiles if v is not None] if number else []
    return render(request, "surveys/results/standing.html", {
        **_base(organisation, wave, request), **updating, "question": salary, "number": number,
        "points": points, "computing": tables is None})


@login_required
def report(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    """The wave as a report page; the same template makes the PDF."""
    organisation, wave = _wave_for(request, slug, wave_id)
    waves = results_refresh.survey_waves(wave)
    context = results_refresh.report_context(wave, waves)
    poll, updating = _updating(request, _this_first(wave, waves), ready=context is not None)
    if poll:
        return poll
    if context is None:
        return render(request, "surveys/results/report_updating.html", {
            **_base(organisation, wave, request), **updating})
    return render(request, reports.TEMPLATE, page_context({**context, **updating}))


@login_required
@require_POST
def report_pdf(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    organisation, wave = _wave_for(request, slug, wave_id)
    job = request_report(kind=reports.KIND, language=reports.lang(), params={"wave": wave.pk},
                         requested_by=request.user, organisation=organisation)
    return redirect("reports:job", job_id=job.pk)


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {
    "aggregate.csv": CSV, "aggregate.xlsx": XLSX, "codebook.csv": CSV,
    "codebook.html": "text/html; charset=utf-8",
    "answers.csv": CSV, "answers.xlsx": XLSX, "answers.sav": "application/x-spss-sav",
}


def aggregate_labels() -> dict[str, str]:
    return {MISSING: _("No answer"), OTHER: _("Other answers, merged"),
            "true": _("Chosen"), "false": _("Not chosen")}


class NotReady(Exception):
    """A large wave's tables are being computed in the background; nothing to export yet."""

    def __init__(self, submitted: int) -> None:
        super().__init__(submitted)
        self.submitted = submitted


def aggregate_tables(wave: Wave) -> WaveResults:
    """The tables the results page shows now, with every free text: computed here for a
    small wave; for a large one the newest computed (the file says how many answers they
    hold), or NotReady while none are, so a request never reads a large wave's frame."""
    state = results_refresh.shown(wave)
    if state.results is None:
        raise NotReady(state.submitted)
    tables = results_queries.cached(wave, state.results.respondents, all_texts=True)
    if tables is not None:
        return tables
    # Only the capped copy is left in the cache (the full one was culled).
    if state.inline:
        return results_queries.results(wave, all_texts=True)
    results_refresh.request(wave, now=True)
    raise NotReady(state.submitted)


def export_body(wave: Wave, name: str, *, answers_allowed: bool) -> Any:
    """The chunks (or text) of one export; PermissionDenied for answer-level files
    the caller may not have, or from a wave with fewer than k responses; NotReady for
    an aggregate file of a large wave whose tables are not computed yet."""
    language = reports.lang()
    if name.startswith("aggregate."):
        rows = exporters.aggregate_rows(aggregate_tables(wave), language, aggregate_labels())
        if name.endswith(".csv"):
            return exporters.csv_chunks(rows)
        return exporters.file_chunks(exporters.xlsx_path(rows, sheet="results"))
    definition = results_queries.definition(wave)
    if name == "codebook.csv":
        return exporters.csv_chunks(exporters.codebook_rows(definition, language))
    if name == "codebook.html":
        return render_to_string("surveys/results/codebook.html", {
            "wave": wave, "rows": list(exporters.codebook_rows(definition, language))[1:]})
    if not answers_allowed:
        raise PermissionDenied
    if results_queries.submitted_count(wave) < results_queries.min_cell(wave):
        raise PermissionDenied
    # Straight from the database in chunks: memory stays flat however large the wave.
    answers = results_queries.stored_answers(wave)
    if name == "answers.csv":
        return exporters.csv_chunks(exporters.stored_rows(definition, answers, language))
    if name == "answers.xlsx":
        return exporters.file_chunks(exporters.xlsx_path(
            exporters.stored_rows(definition, answers, language), sheet="answers"))
    return exporters.file_chunks(exporters.sav_path_stored(definition, answers, language))


@login_required
def export(request: HttpRequest, slug: str, wave_id: int, name: str) -> HttpResponse | StreamingHttpResponse:
    organisation, wave = _wave_for(request, slug, wave_id)
    if name not in EXPORTS:
        raise Http404
    try:
        body = export_body(wave, name,
                           answers_allowed=request.user.has_perm(EXPORT_ANSWERS, organisation))
    except NotReady:
        messages.info(request, _("The figures of this wave are being computed; the file can be "
                                 "downloaded when this page shows them."))
        return redirect("surveys:results", slug, wave.pk)
    response: HttpResponse | StreamingHttpResponse
    if isinstance(body, str):
        response = HttpResponse(body, content_type=EXPORTS[name])
    else:
        response = StreamingHttpResponse(body, content_type=EXPORTS[name])
    stem, ext = name.split(".")
    response["Content-Disposition"] = (
        f'attachment; filename="peerwork-survey-wave-{wave.pk}-{stem}.{ext}"')
    return response
