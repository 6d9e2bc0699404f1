"""Respondents' pages: no account, a privacy statement and consent first, one section
per page (or the whole survey on one page for short surveys), saving as they go.

Status codes: a replayed submission gets 409 with a clear page, a closed wave 410,
invalid answers 400 with the marked questions; nothing saved is ever lost.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.secrets import new_secret
from peerwork.surveys import answers as answer_rules
from peerwork.surveys import ratelimit, services
from peerwork.surveys.definition import Definition
from peerwork.surveys.models import Response, Wave
from peerwork.surveys.queries import definition_of

ONE_PAGE_MAX = 30  # surveys with one section and at most this many questions use one page


def _lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _stop(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "surveys/respond_stop.html", {"message": message, "status": status},
                  status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _stop(request, _("Too many answers were started from this network just now. "
                            "Please wait a minute and try again."), 429)


def _closed(request: HttpRequest) -> HttpResponse:
    return _stop(request, _("This survey is closed. Thank you for your interest."), 410)


def one_page(definition: Definition) -> bool:
    return len(definition.sections) == 1 and len(definition.sections[0].questions) <= ONE_PAGE_MAX


def _conditions(definition: Definition) -> dict[str, str]:
    """The parsed skip logic per question and section, as JSON for survey.js."""
    out = {}
    for section in definition.sections:
        if section.condition is not None:
            out[f"s-{section.id}"] = json.dumps(section.condition)
        for q in section.questions:
            if q.condition is not None:
                out[q.id] = json.dumps(q.condition)
    return out


def _intro_context(wave: Wave, definition: Definition) -> dict[str, Any]:
    return {"wave": wave, "definition": definition, "organisation": wave.organisation,
            "lang": _lang(), "open": services.is_open(wave)}


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The open anonymous link: the privacy statement and consent, then the questions.

    A short survey is answered on this one page and stored in one INSERT on POST."""
    wave = services.find_wave_by_link(token)
    if wave is None or not wave.link_active:
        raise Http404
    definition = definition_of(wave.version)
    if not services.is_open(wave):
        return _closed(request)
    if one_page(definition):
        return _whole(request, wave, definition)
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                ratelimit.check(request, "open")
                started = services.start_from_link(wave=wave,
                                                   consent=request.POST.get("consent") == "yes")
        except ratelimit.Limited:
            return _too_many(request)
        except services.WaveClosed:
            return _closed(request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("surveys:answer", code=started.code)
    return render(request, "surveys/respond_start.html",
                  {**_intro_context(wave, definition), "error": error},
                  status=400 if error else 200)


def _entered(definition: Definition, errors: dict[str, str], data: Any) -> dict[str, Any]:
    """What the respondent typed into questions that had an error, to show it again."""
    out: dict[str, Any] = {}
    for qid in errors:
        question = definition.question(qid)
        if question is not None and question.type in ("number", "date", "text", "longtext"):
            out[qid] = data.get(f"q-{qid}", "")
    return out


_BLANK: dict[tuple[int, str, str], SafeString] = {}


def _blank_questions(wave: Wave, definition: Definition, lang: str) -> SafeString:
    """The questions of a one-page survey with nothing filled in, rendered once per
    published version and language (it holds no token, answer or per-visitor data)."""
    key = (wave.version_id, wave.version.sha256, lang)
    html = _BLANK.get(key)
    if html is None:
        html = render_to_string("surveys/_questions.html", {
            "questions": definition.sections[0].questions, "answers": {}, "errors": {},
            "lang": lang, "conditions": _conditions(definition), "code": ""})
        _BLANK[key] = html
    return html


def _whole(request: HttpRequest, wave: Wave, definition: Definition) -> HttpResponse:
    section = definition.sections[0]
    questions = list(section.questions)
    lang = _lang()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    consent_error = form_error = ""
    key = request.POST.get("key", "") if request.method == "POST" else new_secret()
    if request.method == "POST":
        errors = answer_rules.clean_form(definition, questions, request.POST, values)
        if request.POST.get("consent") != "yes":
            consent_error = _("Tick the box to say you have read the statement and agree.")
        shown = {q.id for q in answer_rules.shown_questions(definition, values)}
        for q in answer_rules.missing_required(definition, values,
                                               [q for q in questions if q.id in shown]):
            errors.setdefault(q.id, _("This question must be answered."))
        try:
            # One transaction: the rate-limit count and the answer (or nothing).
            with transaction.atomic():
                ratelimit.check(request, "open")
                if not errors and not consent_error and 20 <= len(key) <= 64:
                    services.submit_whole(wave=wave, key=key, answers=values, lang=lang)
                    stored = True
                else:
                    stored = False
        except ratelimit.Limited:
            return _too_many(request)
        except services.AlreadySubmitted:
            return _stop(request, _("These answers were already received, so nothing was "
                                    "changed. Thank you!"), 409)
        except services.WaveClosed:
            return _closed(request)
        except ValidationError as exc:
            form_error = " ".join(exc.messages)
            stored = False
        if stored:
            return render(request, "surveys/respond_done.html", {"wave": wave, "definition": definition,
                                                                 "lang": lang})
        if not errors and not consent_error:
            key = new_secret()
    fresh = request.method != "POST"
    return render(request, "surveys/respond_whole.html", {
        **_intro_context(wave, definition), "section": section, "questions": questions,
        "questions_html": _blank_questions(wave, definition, lang) if fresh else "",
        "answers": {**values, **_entered(definition, errors, request.POST)}, "errors": errors,
        "consent_error": consent_error, "key": key, "form_error": form_error,
        "conditions": _conditions(definition),
    }, status=400 if request.method == "POST" else 200)


def invited(request: HttpRequest, token: str) -> HttpResponse:
    """A single-use emailed link: the statement and consent, then a fresh private code."""
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404
    if invitation.used and request.method != "POST":
        # Say so before the statement and consent, not after them.
        return _stop(request, str(services.USED_INVITATION), 409)
    wave = invitation.wave
    definition = definition_of(wave.version)
    error = ""
    if request.method == "POST":
        try:
            started = services.start_from_invitation(token=token,
                                                     consent=request.POST.get("consent") == "yes")
        except LookupError as exc:
            raise Http404 from exc
        except services.AlreadySubmitted as exc:
            return _stop(request, " ".join(exc.messages), 409)
        except services.WaveClosed:
            return _closed(request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("surveys:answer", code=started.code)
    return render(request, "surveys/respond_start.html",
                  {**_intro_context(wave, definition), "error": error},
                  status=400 if error else 200)


def _response_or_404(code: str) -> Response:
    response = services.find_response(code)
    if response is None:
        raise Http404
    return response


def _resume_at(definition: Definition, sections: list[Any], answers: dict[str, Any]) -> int:
    """Where a respondent coming back by the private link goes on: the first section with
    a required question left open, or else the one after the last section they answered."""
    for i, section in enumerate(sections):
        shown = [q for q in section.questions if answer_rules.visible(q.condition, answers)]
        if answer_rules.missing_required(definition, answers, shown) and any(
                q.id in answers for s in sections[:i + 1] for q in s.questions):
            return i
    touched = [i for i, s in enumerate(sections) if any(q.id in answers for q in s.questions)]
    return min(touched[-1] + 1, len(sections) - 1) if touched else 0


def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One section; POST saves every answer on the page (no JavaScript needed)."""
    response = _response_or_404(code)
    wave = response.wave
    definition = definition_of(wave.version)
    lang = _lang()
    if response.is_submitted:
        return render(request, "surveys/respond_done.html", {"wave": wave, "definition": definition,
                                                             "lang": lang})
    if not services.is_open(wave):
        return _closed(request)
    answers = dict(response.answers)
    sections = answer_rules.shown_sections(definition, answers) or list(definition.sections[:1])
    if "section" in request.GET:
        wanted = request.GET["section"]
        index = next((i for i, s in enumerate(sections) if s.id == wanted), 0)
    else:
        index = _resume_at(definition, sections, answers)
    section = sections[index]
    questions = [q for q in section.questions if answer_rules.visible(q.condition, answers)]
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = answer_rules.clean_form(definition, list(section.questions), request.POST, answers)
        try:
            services.store_answers(response=response, answers=answers)
        except services.AlreadySubmitted:
            return _stop(request, _("These answers are already submitted and cannot be changed."), 409)
        except services.WaveClosed:
            return _closed(request)
        answers = dict(response.answers)
        if not errors:
            go = request.POST.get("go", "next")
            sections = answer_rules.shown_sections(definition, answers) or sections
            ids = [s.id for s in sections]
            position = ids.index(section.id) if section.id in ids else index
            target = position - 1 if go == "back" else position + 1
            if go == "submit" or target >= len(sections):
                return redirect("surveys:review", code=code)
            target = max(target, 0)
            return redirect(reverse("surveys:answer", args=[code]) + f"?section={sections[target].id}")
    total = len(answer_rules.shown_questions(definition, answers))
    questions = [q for q in section.questions
                 if q.id in errors or answer_rules.visible(q.condition, answers)]
    return render(request, "surveys/respond_section.html", {
        "wave": wave, "definition": definition, "code": code, "section": section,
        "questions": questions, "index": index, "sections": sections,
        "answers": {**answers, **_entered(definition, errors, request.POST)},
        "errors": errors, "lang": lang, "answered": len([k for k in answers if k in definition.by_id]),
        "total": total, "conditions": _conditions(definition),
        "last": index + 1 >= len(sections),
    }, status=400 if errors else 200)


@require_POST
def save_one(request: HttpRequest, code: str, question_id: str) -> HttpResponse:
    """Save one answer (HTMX); answers with a short status for the screen reader."""
    response = _response_or_404(code)
    definition = definition_of(response.wave.version)
    question = definition.question(question_id)
    if question is None:
        return HttpResponse(_("Unknown question."), status=400)
    raw = answer_rules.raw_from_form(question, request.POST)
    try:
        errors = services.save_answers(response=response, values={question_id: raw})
    except services.AlreadySubmitted as exc:
        return HttpResponse(" ".join(exc.messages), status=409)
    except services.WaveClosed as exc:
        return HttpResponse(" ".join(exc.messages), status=410)
    if errors:
        return HttpResponse(errors[question_id], status=400)
    return HttpResponse(_("Saved."))


def review(request: HttpRequest, code: str) -> HttpResponse:
    """What is answered and what is still required; POST submits once."""
    response = _response_or_404(code)
    wave = response.wave
    definition = definition_of(wave.version)
    lang = _lang()
    if request.method == "POST":
        try:
            services.submit(response=response, lang=lang)
        except services.AlreadySubmitted:
            return _stop(request, _("These answers were already submitted, so nothing was changed. "
                                    "Thank you!"), 409)
        except services.WaveClosed:
            return _closed(request)
        except ValidationError as exc:
            return _review(request, response, definition, code, " ".join(exc.messages), 400)
        return render(request, "surveys/respond_done.html", {"wave": wave, "definition": definition,
                                                             "lang": lang})
    if response.is_submitted:
        return render(request, "surveys/respond_done.html", {"wave": wave, "definition": definition,
                                                             "lang": lang})
    if not services.is_open(wave):
        return _closed(request)
    return _review(request, response, definition, code, "", 200)


def _review(request: HttpRequest, response: Response, definition: Definition, code: str,
            error: str, status: int) -> HttpResponse:
    shown = answer_rules.shown_questions(definition, response.answers)
    missing = answer_rules.missing_required(definition, response.answers, shown)
    return render(request, "surveys/respond_review.html", {
        "wave": response.wave, "definition": definition, "code": code, "error": error,
        "answered": len([q for q in shown if q.id in response.answers]), "total": len(shown),
        "missing": missing, "lang": _lang(),
        "sections": {q.section for q in missing},
    }, status=status)
