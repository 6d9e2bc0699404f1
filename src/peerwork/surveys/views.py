"""Staff pages for surveys: list, create (template, empty or import), the builder,
preview, publish, waves with their links, invitations and reminders."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.orgs.queries import get_organisation_for
from peerwork.surveys import builder as edits
from peerwork.surveys import importers, queries, services
from peerwork.surveys.definition import Definition, DefinitionError, load_definition
from peerwork.surveys.forms import (
    InviteForm,
    NewSurveyForm,
    QuestionForm,
    SectionForm,
    SurveyInfoForm,
    UploadForm,
    WaveForm,
)
from peerwork.surveys.models import Survey, SurveyVersion
from peerwork.surveys.respond import _conditions
from peerwork.surveys.shipped import shipped_templates

VIEW = "surveys.view_surveys"
MANAGE = "surveys.manage_surveys"


def _lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


def blank_definition(key: str) -> dict[str, Any]:
    return {"key": key, "version": 1,
            "title": {"en": "New survey", "nb": "Ny undersøkelse"},
            "sections": [{"id": "part_1", "title": {"en": "Part 1", "nb": "Del 1"},
                          "questions": [{"id": "q1", "type": "text",
                                         "label": {"en": "New question", "nb": "Nytt spørsmål"}}]}]}


def _survey_for(request: HttpRequest, slug: str, survey_id: int, *, perm: str) -> tuple[Any, Survey]:
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return organisation, queries.get_survey_for(organisation, survey_id)


@login_required
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=VIEW)
    return render(request, "surveys/list.html", {
        "organisation": organisation, "surveys": queries.surveys_of(organisation),
        "can_manage": request.user.has_perm(MANAGE, organisation)})


@login_required
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    lang = _lang()
    templates = shipped_templates()
    form = NewSurveyForm(request.POST or None, request.FILES or None,
                         templates=[(k, d.title(lang)) for k, (_raw, d) in templates.items()])
    if request.method == "POST" and form.is_valid():
        start, key = form.cleaned_data["start"], form.cleaned_data["key"]
        try:
            if start == "import":
                upload = form.cleaned_data["upload"]
                if upload.size > importers.MAX_BYTES:
                    raise importers.ImportProblem([_("The file is larger than 2 MB.")])
                definition = importers.import_file(upload.name, upload.read())
            elif start == "blank":
                definition = blank_definition(key)
            else:
                definition = copy.deepcopy(templates[start][0])
            definition["key"] = key
            survey = services.create_survey(actor=request.user, organisation=organisation,
                                            definition=definition)
        except importers.ImportProblem as exc:
            form.add_error("upload", "; ".join(exc.messages))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The survey is created as a draft. Edit it, preview it, "
                                        "then publish."))
            return redirect("surveys:builder", slug=slug, survey_id=survey.pk)
    return render(request, "surveys/new.html", {"organisation": organisation, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def survey_detail(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey = _survey_for(request, slug, survey_id, perm=VIEW)
    return render(request, "surveys/detail.html", {
        "organisation": organisation, "survey": survey, "versions": queries.versions_of(survey),
        "waves": queries.waves_of(survey), "can_manage": request.user.has_perm(MANAGE, organisation),
        "draft": services.draft_of(survey)})


# --- The builder -------------------------------------------------------------------------


def _draft_for(request: HttpRequest, slug: str, survey_id: int) -> tuple[Any, Survey, SurveyVersion]:
    organisation, survey = _survey_for(request, slug, survey_id, perm=MANAGE)
    version = services.draft_of(survey)
    if version is None:
        version = services.new_draft(actor=request.user, survey=survey)
    return organisation, survey, version


def _builder_page(request: HttpRequest, organisation: Any, survey: Survey, version: SurveyVersion,
                  *, error: str = "", forms: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    data = version.definition
    try:
        definition: Definition | None = load_definition(data)
    except DefinitionError:
        definition = None
    sections = []
    for section in data["sections"]:
        questions = []
        for q in section["questions"]:
            initial = {
                "section": section["id"], "original": q["id"], "question_id": q["id"], "type": q["type"],
                "label_en": q["label"]["en"], "label_nb": q["label"]["nb"],
                "help_en": (q.get("help") or {}).get("en", ""),
                "help_nb": (q.get("help") or {}).get("nb", ""),
                "required": q.get("required", False), "background": q.get("background", False),
                "choices": edits.lines_of(q.get("choices", []), "value"), "scale": q.get("scale", ""),
                "rows": edits.lines_of(q.get("rows", []), "id"), "unit": q.get("unit") or "",
                "min": q.get("min"), "max": q.get("max"), "decimals": q.get("decimals"),
                "relevant": q.get("relevant") or ""}
            bound = (forms or {}).get(f"q:{q['id']}")
            questions.append((q, bound or QuestionForm(initial=initial, prefix=f"q-{q['id']}")))
        section_form = (forms or {}).get(f"s:{section['id']}") or SectionForm(initial={
            "original": section["id"], "section_id": section["id"], "title_en": section["title"]["en"],
            "title_nb": section["title"]["nb"], "relevant": section.get("relevant") or ""},
            prefix=f"s-{section['id']}")
        new_question = (forms or {}).get(f"new:{section['id']}") or QuestionForm(
            initial={"section": section["id"], "type": "single"}, prefix=f"new-{section['id']}")
        sections.append({"data": section, "form": section_form, "questions": questions,
                         "new_question": new_question})
    intro = data.get("intro") or {}
    info_form = (forms or {}).get("info") or SurveyInfoForm(initial={
        "title_en": data["title"]["en"], "title_nb": data["title"]["nb"],
        "intro_en": intro.get("en", ""), "intro_nb": intro.get("nb", "")}, prefix="info")
    return render(request, "surveys/builder.html", {
        "organisation": organisation, "survey": survey, "version": version, "sections": sections,
        "info_form": info_form,
        "definition": definition, "error": error, "lang": _lang(),
        "new_section": (forms or {}).get("new-section") or SectionForm(prefix="new-section"),
        "upload_form": UploadForm(),
    }, status=status)


@login_required
def builder(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    return _builder_page(request, organisation, survey, version)


def _save_edit(request: HttpRequest, organisation: Any, survey: Survey, version: SurveyVersion,
               data: dict[str, Any], forms: dict[str, Any] | None = None) -> HttpResponse:
    try:
        services.save_draft(actor=request.user, version=version, definition=data)
    except ValidationError as exc:
        return _builder_page(request, organisation, survey, version,
                             error="; ".join(exc.messages), forms=forms, status=400)
    messages.success(request, _("Saved."))
    return redirect("surveys:builder", slug=organisation.slug, survey_id=survey.pk)


@login_required
@require_POST
def builder_info(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    form = SurveyInfoForm(request.POST, prefix="info")
    if not form.is_valid():
        return _builder_page(request, organisation, survey, version, forms={"info": form},
                             error=_("Check the title and introduction."), status=400)
    c = form.cleaned_data
    data = edits.put_info(version.definition, title={"en": c["title_en"], "nb": c["title_nb"]},
                          intro={"en": c["intro_en"], "nb": c["intro_nb"]})
    return _save_edit(request, organisation, survey, version, data, {"info": form})


@login_required
@require_POST
def builder_section(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    prefix = request.POST.get("prefix", "new-section")
    form = SectionForm(request.POST, prefix=prefix)
    forms = {("new-section" if prefix == "new-section" else f"s:{prefix[2:]}"): form}
    if not form.is_valid():
        return _builder_page(request, organisation, survey, version, forms=forms,
                             error=_("Check the section's fields."), status=400)
    c = form.cleaned_data
    try:
        data = edits.put_section(version.definition, section_id=c["section_id"],
                                   title={"en": c["title_en"], "nb": c["title_nb"]},
                                   relevant=c["relevant"], original=c["original"])
    except edits.EditError as exc:
        return _builder_page(request, organisation, survey, version, error=str(exc), forms=forms,
                             status=400)
    return _save_edit(request, organisation, survey, version, data, forms)


def question_from_form(c: dict[str, Any]) -> dict[str, Any]:
    """The definition's question dict from the builder form's cleaned data."""
    q: dict[str, Any] = {"id": c["question_id"], "type": c["type"],
                         "label": {"en": c["label_en"], "nb": c["label_nb"]}}
    if c["help_en"] or c["help_nb"]:
        q["help"] = {"en": c["help_en"] or c["help_nb"], "nb": c["help_nb"] or c["help_en"]}
    if c["required"]:
        q["required"] = True
    if c["background"]:
        q["background"] = True
    kind = c["type"]
    if kind in ("single", "multiple") or (kind == "matrix" and not c["scale"]):
        choices = [{"value": v, "label": {"en": en, "nb": nb}}
                   for v, en, nb in edits.parse_lines(c["choices"], what=_("Choices"))]
        if choices:  # none: the definition check says what is missing
            q["choices"] = choices
    if kind in ("likert", "matrix") and c["scale"]:
        q["scale"] = c["scale"]
    if kind == "likert" and not c["scale"]:
        q["scale"] = "agree5"
    if kind == "matrix":
        rows = [{"id": v, "label": {"en": en, "nb": nb}}
                for v, en, nb in edits.parse_lines(c["rows"], what=_("Matrix rows"))]
        if rows:
            q["rows"] = rows
    if kind == "number":
        for key in ("min", "max"):
            if c[key] is not None:
                q[key] = int(c[key]) if float(c[key]).is_integer() else c[key]
        if c["unit"]:
            q["unit"] = c["unit"]
        if c["decimals"]:
            q["decimals"] = c["decimals"]
    if c["relevant"].strip():
        q["relevant"] = c["relevant"].strip()
    return q


@login_required
@require_POST
def builder_question(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    prefix = request.POST.get("prefix", "")
    form = QuestionForm(request.POST, prefix=prefix)
    key = f"new:{prefix[4:]}" if prefix.startswith("new-") else f"q:{prefix[2:]}"
    forms = {key: form}
    if not form.is_valid():
        return _builder_page(request, organisation, survey, version, forms=forms,
                             error=_("Check the question's fields."), status=400)
    c = form.cleaned_data
    try:
        question = question_from_form(c)
        data = edits.put_question(version.definition, section_id=c["section"], question=question,
                                    original=c["original"])
    except edits.EditError as exc:
        return _builder_page(request, organisation, survey, version, error=str(exc), forms=forms,
                             status=400)
    return _save_edit(request, organisation, survey, version, data, forms)


@login_required
@require_POST
def builder_move(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    try:
        data = edits.move(version.definition, kind=request.POST.get("kind", ""),
                            item_id=request.POST.get("item", ""), up=request.POST.get("direction") == "up")
    except edits.EditError as exc:
        return _builder_page(request, organisation, survey, version, error=str(exc), status=400)
    return _save_edit(request, organisation, survey, version, data)


@login_required
@require_POST
def builder_delete(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    try:
        data = edits.delete(version.definition, kind=request.POST.get("kind", ""),
                              item_id=request.POST.get("item", ""))
    except edits.EditError as exc:
        return _builder_page(request, organisation, survey, version, error=str(exc), status=400)
    return _save_edit(request, organisation, survey, version, data)


@login_required
@require_POST
def builder_upload(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey, version = _draft_for(request, slug, survey_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _builder_page(request, organisation, survey, version, error=_("Choose a file to import."),
                             status=400)
    upload = form.cleaned_data["upload"]
    try:
        if upload.size > importers.MAX_BYTES:
            raise importers.ImportProblem([_("The file is larger than 2 MB.")])
        data = importers.import_file(upload.name, upload.read())
    except importers.ImportProblem as exc:
        return _builder_page(request, organisation, survey, version, error="; ".join(exc.messages),
                             status=400)
    return _save_edit(request, organisation, survey, version, data)


@login_required
def preview(request: HttpRequest, slug: str, survey_id: int, number: int) -> HttpResponse:
    """Every section as a respondent sees it (skip logic live); nothing is saved."""
    organisation, survey = _survey_for(request, slug, survey_id, perm=VIEW)
    version = queries.get_version_for(survey, number)
    try:
        definition = load_definition(version.definition)
    except DefinitionError as exc:
        return render(request, "surveys/preview.html", {
            "organisation": organisation, "survey": survey, "version": version,
            "problems": exc.messages, "lang": _lang()}, status=400)
    return render(request, "surveys/preview.html", {
        "organisation": organisation, "survey": survey, "version": version, "definition": definition,
        "lang": _lang(), "answers": {}, "errors": {}, "conditions": _conditions(definition),
        "section_conditions": {s.id: json.dumps(s.condition) for s in definition.sections
                               if s.condition is not None}})


@login_required
def definition_json(request: HttpRequest, slug: str, survey_id: int, number: int) -> HttpResponse:
    _organisation, survey = _survey_for(request, slug, survey_id, perm=VIEW)
    version = queries.get_version_for(survey, number)
    response = JsonResponse(version.definition, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{survey.key}-v{number}.json"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, survey_id: int, number: int) -> HttpResponse:
    _organisation, survey = _survey_for(request, slug, survey_id, perm=MANAGE)
    version = queries.get_version_for(survey, number)
    try:
        services.publish_version(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("surveys:builder", slug=slug, survey_id=survey.pk)
    messages.success(request, _("Version %(n)s is published and can no longer change.") % {"n": number})
    return redirect("surveys:detail", slug=slug, survey_id=survey.pk)


# --- Waves -------------------------------------------------------------------------------


@login_required
def wave_new(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    organisation, survey = _survey_for(request, slug, survey_id, perm=MANAGE)
    published = [v for v in queries.versions_of(survey) if v.is_published]
    if not published:
        messages.error(request, _("Publish a version before you open a wave."))
        return redirect("surveys:detail", slug=slug, survey_id=survey.pk)
    form = WaveForm(request.POST or None, initial={
        "purpose": _("To learn about peer workers' employment and working conditions, and to "
                     "publish the results as statistics."),
        "stored": _("Your answers, the day you answered and that you agreed to take part. No name, "
                    "no email address and no IP address."),
        "retention": _("Until the report is published and at most five years, then deleted."),
    })
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.open_wave(actor=request.user, version=published[-1], **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The wave is open. Share the link or invite people by email."))
            return redirect("surveys:wave", slug=slug, wave_id=wave.pk)
    return render(request, "surveys/wave_new.html", {
        "organisation": organisation, "survey": survey, "form": form, "version": published[-1]},
        status=400 if request.method == "POST" else 200)


@login_required
def wave_detail(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=VIEW)
    wave = queries.get_wave_for(organisation, wave_id)
    can_manage = request.user.has_perm(MANAGE, organisation)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                count = services.invite(actor=request.user, wave=wave, emails=form.cleaned_data["emails"],
                                        language=_lang())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Invitations sent: %(n)s.") % {"n": count})
                return redirect("surveys:wave", slug=slug, wave_id=wave.pk)
    link = request.build_absolute_uri(reverse("surveys:link", args=[wave.link_token])) if can_manage else ""
    return render(request, "surveys/wave_detail.html", {
        "organisation": organisation, "wave": wave, "can_manage": can_manage, "link": link,
        "participation": queries.participation(wave), "form": form, "is_open": services.is_open(wave),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def wave_close(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    wave = queries.get_wave_for(organisation, wave_id)
    services.close_wave(actor=request.user, wave=wave)
    messages.success(request, _("The wave is closed."))
    return redirect("surveys:wave", slug=slug, wave_id=wave.pk)


@login_required
@require_POST
def wave_remind(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=MANAGE)
    wave = queries.get_wave_for(organisation, wave_id)
    try:
        count = services.remind(actor=request.user, wave=wave, language=_lang())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Reminders sent: %(n)s.") % {"n": count})
    return redirect("surveys:wave", slug=slug, wave_id=wave.pk)


