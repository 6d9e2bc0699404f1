"""Assessment pages: staff run rounds and read results; respondents answer without an account."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from peerwork.assessments import exporters, queries, results_refresh, services
from peerwork.assessments import reports as assessment_reports
from peerwork.assessments.benchmark import benchmark_key, national_benchmark
from peerwork.assessments.enums import Position
from peerwork.assessments.forms import ActionForm, ActionStatusForm, InviteRespondentsForm, RoundForm
from peerwork.assessments.models import Action, Answer, Response
from peerwork.assessments.questionnaires import SCORED_STRUCTURES, get_questionnaire
from peerwork.core.cache_slots import latest
from peerwork.core.secrets import new_secret
from peerwork.framework.library import get_library
from peerwork.orgs.queries import get_organisation_for
from peerwork.reports.context import page_context
from peerwork.reports.services import request_report
from peerwork.reports.views import poll_answer, updating_context

MANAGE = "assessments.manage_rounds"
VIEW = "assessments.view_round"
# Findings shown at first on the results page, weakest first; the rest on request.
FINDINGS_SHOWN = 8
TABLE_CACHE_SECONDS = 24 * 3600
# The one-page form's key, as new_secret() makes it.
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{20,100}")
WHITE_SPACE = re.compile(r"\s+")


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


# --- Staff -------------------------------------------------------------------------


def _round_for(request: HttpRequest, slug: str, round_id: int, *, perm: str) -> tuple[Any, Any]:
    """The organisation and its round if the user holds ``perm`` there; 404 otherwise."""
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return organisation, queries.get_round_for(request.user, organisation, round_id, perm=perm)


@login_required
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm="assessments.view_round")
    return render(request, "assessments/round_list.html", {
        "organisation": organisation, "rounds": queries.rounds_of(organisation),
        "can_manage": request.user.has_perm(MANAGE, organisation),
    })


@login_required
def round_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(actor=request.user, organisation=organisation,
                                           **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The round is open. Share the links or invite people by email."))
            return redirect("assessments:round", slug=slug, round_id=round_.pk)
    return render(request, "assessments/round_new.html", {"organisation": organisation, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def round_detail(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    organisation, round_ = _round_for(request, slug, round_id, perm=VIEW)
    can_manage = request.user.has_perm(MANAGE, organisation)
    invite_form = InviteRespondentsForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if invite_form.is_valid():
            try:
                count = services.invite_respondents(
                    actor=request.user, round_=round_, emails=invite_form.cleaned_data["emails"],
                    position=invite_form.cleaned_data["position"], language=_language())
            except ValidationError as exc:
                invite_form.add_error(None, exc)
            else:
                messages.success(request, _("Invitations sent: %(n)s.") % {"n": count})
                return redirect("assessments:round", slug=slug, round_id=round_.pk)
    links = []
    if can_manage:
        with scope(organisation=organisation):
            # In the order of the counts above them: manager, colleague, peer worker.
            order = [p.value for p in Position]
            links = [(link, request.build_absolute_uri(reverse("assessments:link", args=[link.token])))
                     for link in sorted(round_.links.all(), key=lambda link: order.index(link.position))]
    return render(request, "assessments/round_detail.html", {
        "organisation": organisation, "round": round_, "can_manage": can_manage,
        "participation": queries.participation(round_), "links": links,
        "invite_form": invite_form, "is_open": services.is_open(round_),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def round_close(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    _organisation, round_ = _round_for(request, slug, round_id, perm=MANAGE)
    services.close_round(actor=request.user, round_=round_)
    messages.success(request, _("The round is closed."))
    return redirect("assessments:round", slug=slug, round_id=round_.pk)


@login_required
def round_results(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    organisation, round_ = _round_for(request, slug, round_id, perm=VIEW)
    # A large round's newest scores while newer ones are computed in the background.
    state = results_refresh.shown(round_)
    history, states = results_refresh.trend(state) if state.results is not None else (None, [state])
    version = "-".join(s.version for s in states)
    if (poll := poll_answer(request, version)) is not None:
        return poll
    context: dict[str, Any] = {
        "organisation": organisation, "round": round_, "scores": state.results,
        "can_manage": request.user.has_perm(MANAGE, organisation),
        **updating_context(request, [s.notice() for s in states if not s.current], version)}
    if state.results is None:
        return render(request, "assessments/results.html", context)
    scores = state.results
    language = _language()
    chart = None
    if history is not None:
        from peerwork.reports.charts import grouped_bar_chart, remembered  # noqa: PLC0415 - matplotlib on demand

        chart = remembered(
            grouped_bar_chart, slot=f"round-trend:{round_.pk}:{language}",
            labels=[f"{e.label} {e.title[language]}".strip() for e, _ in history.areas],
            series=[(f"{r.title} ({r.created:%Y})", [values[i] for _, values in history.areas])
                    for i, r in enumerate(history.rounds)],
            alt=_("Average score per precondition in each round, oldest first."),
            value_label=_("Average score"), category_label=_("Precondition"))
    national_key = benchmark_key()
    national = national_benchmark()
    found = queries.findings(round_, scores)
    show_all = request.GET.get("findings") == "all"
    table_rows = [(element, score, national.get(element.id))
                  for element, score in queries.area_rows(scores)]
    # The scores table changes only with a new submission or a new national benchmark; the
    # cache keeps only its latest rendering (core.cache_slots).
    scores_table = latest(
        f"peerwork:round-table:v2:{round_.pk}:{language}",
        f"{round_.questionnaire_version}:{round_.stage}:{scores.respondents}:{scores.k}:{national_key}",
        lambda: render_to_string("assessments/_scores_table.html",
                                 {"scores": scores, "rows": table_rows}, request),
        TABLE_CACHE_SECONDS)
    return render(request, "assessments/results.html", {
        **context,
        "findings": found if show_all else found[:FINDINGS_SHOWN], "findings_total": len(found),
        "scores_table": mark_safe(scores_table),  # noqa: S308 - our own template's output
        "language": language, "library": get_library(), "action_form": ActionForm(),
        "trend": history, "trend_chart": chart,
    })


@login_required
def round_actions(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    organisation, round_ = _round_for(request, slug, round_id, perm=VIEW)
    can_manage = request.user.has_perm(MANAGE, organisation)
    form = ActionForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            element = form.cleaned_data["element"]
            if element and get_library().element(element) is None:
                form.add_error(None, _("Unknown area."))
            else:
                services.add_action(actor=request.user, round_=round_, **form.cleaned_data)
                messages.success(request, _("The action is added to the plan."))
                return redirect("assessments:actions", slug=slug, round_id=round_.pk)
    return render(request, "assessments/actions.html", {
        "organisation": organisation, "round": round_, "actions": queries.actions_of(round_),
        "form": form, "can_manage": can_manage, "library": get_library(),
        "status_form": ActionStatusForm(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def action_status(request: HttpRequest, slug: str, round_id: int, action_id: int) -> HttpResponse:
    organisation, round_ = _round_for(request, slug, round_id, perm=MANAGE)
    with scope(organisation=organisation):
        action = Action.objects.filter(round=round_, pk=action_id).first()
    if action is None:
        raise Http404
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a status."), status=400)
    services.set_action_status(actor=request.user, action=action, status=form.cleaned_data["status"])
    return redirect("assessments:actions", slug=slug, round_id=round_.pk)


# --- Respondents ----------------------------------------------------------------------


def _closed(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "assessments/answer_closed.html", {"message": message}, status=status)


def start_link(request: HttpRequest, token: str) -> HttpResponse:
    """An open link: show who asks and why, then start on POST."""
    link = services.find_share_link(token)
    if link is None:
        raise Http404
    if request.method == "POST":
        try:
            # A round that is not anonymous records who answered, if they are logged in.
            respondent = request.user if request.user.is_authenticated else None
            started = services.start_from_link(link=link, respondent=respondent)
        except ValidationError as exc:
            return _closed(request, " ".join(exc.messages), 410)
        return redirect("assessments:answer", code=started.code)
    return render(request, "assessments/answer_start.html", {
        "round": link.round, "organisation": link.round.organisation, "position": link.position,
        "link": link,
        "questionnaire": get_questionnaire(link.round.questionnaire, link.round.questionnaire_version),
        "open": services.is_open(link.round), "min_cell": settings.PEERWORK_MIN_CELL,
    })


def start_invited(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return render(request, "assessments/answer_invited.html", {"token": token})
    try:
        started = services.start_from_invitation(token=token)
    except LookupError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return _closed(request, " ".join(exc.messages), 410)
    return redirect("assessments:answer", code=started.code)


def _response_or_404(code: str) -> Response:
    response = services.find_response(code)
    if response is None:
        raise Http404
    return response


def _read_answers(post: Any, questionnaire: Any,
                  items: list[Any]) -> tuple[dict[str, services.AnswerInput], dict[str, str]]:
    """The answers a form posted for ``items`` (unanswered ones left out), and a message
    for each one that cannot be read."""
    answers: dict[str, services.AnswerInput] = {}
    errors: dict[str, str] = {}
    for item in items:
        raw = post.get(f"value-{item.id}", "")
        comment = post.get(f"comment-{item.id}", "")
        if raw == "":
            continue
        try:
            value = None if raw == "dont_know" else int(raw)
        except ValueError:
            errors[item.id] = _("Choose one of the answers on the scale.")
            continue
        try:
            services.check_value(questionnaire, value, comment)
        except ValidationError as exc:
            errors[item.id] = " ".join(exc.messages)
            continue
        answers[item.id] = (value, comment)
    return answers, errors


def _as_saved(answers: dict[str, services.AnswerInput]) -> dict[str, Answer]:
    """Posted answers in the shape the form shows saved ones, to show them again."""
    return {item_id: Answer(item=item_id, value=value, comment=comment)
            for item_id, (value, comment) in answers.items()}


def _sections_for(questionnaire: Any, stage: str) -> list[Any]:
    return [s for s in questionnaire.sections if any(i.applies_to(stage) for i in s.items)]


def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One part of the questionnaire, or all of it (``?section=all``); POST saves every
    answer on the page in one transaction (no JavaScript needed), the HTMX version saves
    each answer as it is given."""
    response = _response_or_404(code)
    round_ = response.round
    if response.submitted:
        return render(request, "assessments/answer_done.html", {"round": round_})
    if not services.is_open(round_):
        return _closed(request, _("This round is closed. Thank you for your interest."), 410)
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    sections = _sections_for(questionnaire, round_.stage)
    saved = {a.item: a for a in Answer.objects.filter(response=response)}
    show_all = request.GET.get("section") == "all"
    if show_all:
        index = len(sections) - 1
    elif "section" in request.GET:
        try:
            index = min(max(int(request.GET["section"]), 0), len(sections) - 1)
        except ValueError:
            index = 0
    else:
        # Coming back by the private link: open the first part with a question left.
        index = next((i for i, s in enumerate(sections)
                      if any(it.applies_to(round_.stage) and it.id not in saved for it in s.items)),
                     len(sections) - 1)
    shown = sections if show_all else [sections[index]]
    items = [i for s in shown for i in s.items if i.applies_to(round_.stage)]
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers, errors = _read_answers(request.POST, questionnaire, items)
        if answers:
            try:
                services.save_answers(response=response, answers=answers)
            except ValidationError as exc:
                return _closed(request, " ".join(exc.messages), 409 if response.submitted else 410)
        if not errors:
            target = request.POST.get("go", "next")
            if target == "submit" or show_all:
                return redirect("assessments:review", code=code)
            next_index = index - 1 if target == "back" else index + 1
            if 0 <= next_index < len(sections):
                return redirect(reverse("assessments:answer", args=[code]) + f"?section={next_index}")
            return redirect("assessments:review", code=code)
        saved = {a.item: a for a in Answer.objects.filter(response=response)}
        saved.update(_as_saved(answers))
    answered = sum(1 for i in questionnaire.items_for(round_.stage) if i.id in saved)
    total = len(questionnaire.items_for(round_.stage))
    return render(request, "assessments/answer.html", {
        "round": round_, "response": response, "code": code, "questionnaire": questionnaire,
        "shown": shown, "show_all": show_all, "index": index, "sections": sections,
        "saved": saved, "errors": errors, "answered": answered, "total": total,
        "position": response.position,
    }, status=400 if errors else 200)


def answer_all(request: HttpRequest, token: str) -> HttpResponse:
    """An open link's whole questionnaire on one page, saved and submitted at once.

    Nothing is stored until the respondent submits. The form carries a random key that
    becomes the response's private code (never shown again), so a second post of the same
    form is refused (409)."""
    link = services.find_share_link(token) if request.method == "POST" else _recent_link(token)
    if link is None:
        raise Http404
    round_ = link.round
    if not link.active or not services.is_open(round_):
        return _closed(request, _("This round is closed. Thank you for your interest."), 410)
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    sections = _sections_for(questionnaire, round_.stage)
    context = {"round": round_, "questionnaire": questionnaire, "link": link,
               "organisation": round_.organisation, "total": len(questionnaire.items_for(round_.stage))}
    if request.method == "POST":
        form_key = request.POST.get("form_key", "")
        if not FORM_KEY.fullmatch(form_key):
            return _closed(request, _("This form is out of date. Open the link again to answer."), 400)
        answers, errors = _read_answers(request.POST, questionnaire, questionnaire.items_for(round_.stage))
        if not errors:
            try:
                respondent = request.user if request.user.is_authenticated else None
                services.answer_all_from_link(link=link, form_key=form_key, answers=answers,
                                              respondent=respondent)
            except services.AlreadySubmittedError as exc:
                return _closed(request, " ".join(exc.messages), 409)
            except ValidationError as exc:
                if services.is_open(round_):
                    errors[""] = " ".join(exc.messages)
                else:
                    return _closed(request, " ".join(exc.messages), 410)
            else:
                # The thanks come in the response, as on a survey: one request fewer for
                # every respondent; a browser's "resubmit?" then meets the 409 above.
                return render(request, "assessments/answer_done.html")
        items_html = render_to_string("assessments/_answer_sections.html", {
            "sections": sections, "stage": round_.stage, "questionnaire": questionnaire,
            "position": link.position, "saved": _as_saved(answers), "errors": errors}, request=request)
        return render(request, "assessments/answer_all.html", {
            **context, "form_key": form_key, "items_html": items_html, "errors": errors}, status=400)
    return render(request, "assessments/answer_all.html", {
        **context, "form_key": new_secret(),
        "items_html": _fresh_sections_html(round_.questionnaire, round_.questionnaire_version,
                                           round_.stage, link.position, translation.get_language()),
    })


_recent_links: dict[str, tuple[float, Any]] = {}


def _recent_link(token: str) -> Any:
    """The share link, looked up at most every PEERWORK_LINK_CACHE_SECONDS per process.
    Showing the empty form is the hottest path a round has (benchmarks.md); a lookup is a
    third of its cost. Submissions never use this."""
    now = time.monotonic()
    found = _recent_links.get(token)
    if found is not None and now - found[0] < settings.PEERWORK_LINK_CACHE_SECONDS:
        return found[1]
    link = services.find_share_link(token)
    if len(_recent_links) >= 1000:
        _recent_links.clear()
    _recent_links[token] = (now, link)
    return link


@lru_cache(maxsize=256)
def _fresh_sections_html(questionnaire_id: str, version: int, stage: str, position: str,
                         language: str) -> str:
    """The empty one-page form's questions. They depend only on a published (frozen)
    questionnaire, so each worker renders them once per stage, position and language."""
    questionnaire = get_questionnaire(questionnaire_id, version)
    with translation.override(language):
        html = render_to_string("assessments/_answer_sections.html", {
            "sections": _sections_for(questionnaire, stage), "stage": stage,
            "questionnaire": questionnaire, "position": position, "saved": {}, "errors": {}})
    # The template's indentation is a tenth of the page a phone downloads; no element here
    # keeps white space (the comment boxes are empty).
    return mark_safe(WHITE_SPACE.sub(" ", html))  # noqa: S308 - our own rendered template


@require_POST
def answer_item(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    """Save one answer (HTMX); answers with a short status for the screen reader."""
    response = _response_or_404(code)
    raw = request.POST.get(f"value-{item_id}", "")
    comment = request.POST.get(f"comment-{item_id}", "")
    try:
        value = None if raw == "dont_know" else int(raw)
        services.save_answer(response=response, item_id=item_id, value=value, comment=comment)
    except ValueError:
        return HttpResponse(_("Choose one of the answers on the scale."), status=400)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=409 if response.submitted else 400)
    return HttpResponse(_("Saved."))


def review(request: HttpRequest, code: str) -> HttpResponse:
    response = _response_or_404(code)
    round_ = response.round
    if request.method == "POST":
        try:
            services.submit(response=response)
        except ValidationError as exc:
            status = 409 if response.submitted else 400
            return render(request, "assessments/answer_review.html", {
                "round": round_, "code": code, "error": " ".join(exc.messages)}, status=status)
        return render(request, "assessments/answer_done.html", {"round": round_})
    if response.submitted:
        return render(request, "assessments/answer_done.html", {"round": round_})
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    answered = Answer.objects.filter(response=response).count()
    return render(request, "assessments/answer_review.html", {
        "round": round_, "code": code, "answered": answered,
        "total": len(questionnaire.items_for(round_.stage)),
    })



@login_required
def round_report(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """The round as a memorandum page; the same template makes the PDF."""
    _organisation, round_ = _round_for(request, slug, round_id, perm=VIEW)
    return render(request, assessment_reports.TEMPLATE,
                  page_context(assessment_reports.report_context(round_)))


@login_required
@require_POST
def round_report_pdf(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    organisation, round_ = _round_for(request, slug, round_id, perm=VIEW)
    job = request_report(kind=assessment_reports.KIND, language=_language(),
                         params={"round": round_.pk}, requested_by=request.user,
                         organisation=organisation)
    return redirect("reports:job", job_id=job.pk)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def round_export(request: HttpRequest, slug: str, round_id: int, detail: str,
                 fmt: str) -> HttpResponse:
    """Scores for every member; answers only from rounds that are not anonymous, for managers."""
    organisation, round_ = _round_for(request, slug, round_id, perm=VIEW)
    if fmt not in EXPORT_TYPES or detail not in {"scores", "answers"}:
        raise Http404
    if detail == "answers":
        if round_.anonymous or not request.user.has_perm(MANAGE, organisation):
            raise Http404
        rows = exporters.answer_rows(round_)
    else:
        rows = exporters.score_rows(round_, queries.round_scores(round_))
    body: str | bytes = (exporters.to_csv(rows) if fmt == "csv"
                         else exporters.to_xlsx(rows, sheet=detail))
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="peerwork-round-{round_.pk}-{detail}.{fmt}"')
    return response


@login_required
def benchmark(request: HttpRequest) -> HttpResponse:
    """National analysts: how sharing services score per area, never one service alone."""
    if not request.user.has_perm("assessments.view_benchmark"):
        raise Http404
    library = get_library()
    national = national_benchmark()
    rows = [(e, national.get(e.id)) for s in SCORED_STRUCTURES
            if (structure := library.structure(s)) for e in structure.elements]
    return render(request, "assessments/benchmark.html", {
        "rows": rows, "min_cell": settings.PEERWORK_MIN_CELL,
    })
