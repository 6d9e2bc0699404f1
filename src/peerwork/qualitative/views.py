"""Analysis pages: projects, material, coding, the codebook, the four STC steps,
comparison, exports and the report. Views resolve the project through one funnel
(``_project``) and write through services."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from peerwork.orgs.models import Membership
from peerwork.orgs.queries import get_organisation_for
from peerwork.qualitative import exporters, queries, refi, services
from peerwork.qualitative import reports as analysis_reports
from peerwork.qualitative.enums import ProjectRole, Step
from peerwork.qualitative.forms import (
    CodeForm,
    CommentForm,
    CondensateForm,
    GroupForm,
    ImpressionForm,
    MemberForm,
    MemoForm,
    ProjectForm,
    QdpxForm,
    QuotesForm,
    StatementForm,
    ThemeForm,
    UnitForm,
    UploadForm,
)
from peerwork.qualitative.importers import MAX_BYTES, ImportFailed
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    Comment,
    Condensate,
    Document,
    Impression,
    MeaningUnit,
    Memo,
    Project,
    ProjectMember,
    Synthesis,
    Theme,
)
from peerwork.qualitative.rules import CODE, COMMENT, LEAD, VIEW
from peerwork.reports.context import page_context
from peerwork.reports.services import request_report


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _project(request: HttpRequest, slug: str, project_id: int,
             roles: frozenset[str] = VIEW) -> tuple[Project, str]:
    organisation = get_organisation_for(request.user, slug)
    return queries.get_project_for(request.user, organisation, project_id, roles=roles)


def _base(project: Project, role: str, **extra: Any) -> dict[str, Any]:
    return {"organisation": project.organisation, "project": project, "role": role,
            "role_label": ProjectRole(role).label,
            "can_code": role in CODE, "can_comment": role in COMMENT, "is_lead": role in LEAD,
            **extra}


def _unit_label(unit: MeaningUnit) -> str:
    return f"{unit.document.title}: «{unit.text[:120]}»"


@login_required
def project_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug)
    can_create = request.user.has_perm("qualitative.create_project", organisation)
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise Http404
        if form.is_valid():
            try:
                project = services.create_project(actor=request.user, organisation=organisation,
                                                   **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The project is created. You are its lead."))
                return redirect("qualitative:project", slug=slug, project_id=project.pk)
    return render(request, "qualitative/project_list.html", {
        "organisation": organisation,
        "projects": [(p, ProjectRole(r).label) for p, r in queries.projects_of(request.user, organisation)],
        "form": form, "can_create": can_create,
    }, status=400 if request.method == "POST" else 200)


def _people(project: Project) -> list[tuple[int, str]]:
    with scopes_disabled():
        rows = Membership.objects.filter(organisation=project.organisation, is_active=True) \
            .select_related("user").order_by("user__email")
        return [(m.user_id, f"{m.user.name} <{m.user.email}>" if m.user.name else m.user.email)
                for m in rows]


@login_required
def project_detail(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        members = list(ProjectMember.objects.filter(project=project).select_related("user"))
    return render(request, "qualitative/project.html", _base(
        project, role, overview=queries.overview(project), members=members,
        upload_form=UploadForm(), qdpx_form=QdpxForm(),
        member_form=MemberForm(people=_people(project)) if role in LEAD else None,
        recent=queries.recent_actions(project, request.user),
    ))


@login_required
@require_POST
def members(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, _role = _project(request, slug, project_id, LEAD)
    form = MemberForm(request.POST, people=_people(project))
    if not form.is_valid():
        messages.error(request, _("Choose a member of the organisation and a role."))
        return redirect("qualitative:project", slug=slug, project_id=project.pk)
    try:
        services.set_member(actor=request.user, project=project, user_id=form.cleaned_data["user"],
                            role=form.cleaned_data["role"] or None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The project team is updated."))
    return redirect("qualitative:project", slug=slug, project_id=project.pk)


@login_required
def upload(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id, CODE)
    if request.method != "POST":  # e.g. the language switch on the failure page
        return redirect("qualitative:project", slug=slug, project_id=project.pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_ = form.cleaned_data["file"]
        try:
            document = services.import_document(
                actor=request.user, project=project, filename=upload_.name,
                data=upload_.read(MAX_BYTES + 1), title=form.cleaned_data["title"])
        except ImportFailed as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The document is imported."))
            return redirect("qualitative:document", slug=slug, project_id=project.pk,
                            document_id=document.pk)
    return render(request, "qualitative/upload_failed.html", _base(project, role, form=form),
                  status=400)


@login_required
def import_qdpx(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id, LEAD)
    if request.method != "POST":
        return redirect("qualitative:project", slug=slug, project_id=project.pk)
    form = QdpxForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            counts = refi.import_qdpx(actor=request.user, project=project,
                                      data=form.cleaned_data["file"].read(refi.MAX_QDPX_BYTES + 1))
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Imported %(documents)s documents, %(codes)s codes and "
                                        "%(units)s meaning units.") % counts)
            return redirect("qualitative:project", slug=slug, project_id=project.pk)
    return render(request, "qualitative/upload_failed.html", _base(project, role, form=form),
                  status=400)


# --- Coding -------------------------------------------------------------------------------


def _segments(text: str, units: list[MeaningUnit]) -> list[tuple[str, bool]]:
    """The text cut where units start and end; each piece marked if a unit covers it
    (one sweep over the boundaries, so a long document with many units stays fast)."""
    delta: dict[int, int] = {0: 0, len(text): 0}
    for unit in units:
        delta[unit.start] = delta.get(unit.start, 0) + 1
        delta[unit.end] = delta.get(unit.end, 0) - 1
    cuts = sorted(delta)
    pieces, active = [], 0
    for start, end in itertools.pairwise(cuts):
        active += delta[start]
        pieces.append((text[start:end], active > 0))
    return pieces


def _document_context(request: HttpRequest, project: Project, role: str, document: Document,
                      form: UnitForm | None = None) -> dict[str, Any]:
    units = queries.units_of_document(document)
    with scope(organisation=project.organisation):
        codes = list(Code.objects.filter(project=project))
    return _base(project, role, document=document, units=units, codes=codes,
                 segments=_segments(document.text, units), form=form or UnitForm(),
                 text_length=len(document.text))


@login_required
def document_detail(request: HttpRequest, slug: str, project_id: int, document_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id)
    document = queries.get_in_project(Document, project, document_id)
    return render(request, "qualitative/document.html",
                  _document_context(request, project, role, document))


@login_required
@require_POST
def mark_unit(request: HttpRequest, slug: str, project_id: int, document_id: int) -> HttpResponse:
    """Mark and code a meaning unit. HTMX gets a short answer: a status line, the new unit
    for the list and the new count (the browser highlights the span itself); without
    HTMX, a redirect back to the document, or the page with the errors."""
    project, role = _project(request, slug, project_id, CODE)
    document = queries.get_in_project(Document, project, document_id)
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    form = UnitForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["code"].strip()
        try:
            with scope(organisation=project.organisation):
                code = Code.objects.filter(project=project, name=name).first()
            if code is None:
                code = services.create_code(actor=request.user, project=project, name=name)
            unit = services.mark_unit(actor=request.user, document=document,
                                      start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                                      code_ids=[code.pk])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not htmx:
                messages.success(request, _("The meaning unit is coded."))
                return redirect("qualitative:document", slug=slug, project_id=project.pk,
                                document_id=document.pk)
            with scope(organisation=project.organisation):
                count = MeaningUnit.objects.filter(document=document).count()
                unit = MeaningUnit.objects.select_related("author").get(pk=unit.pk)
            queries.with_codes([unit])
            return render(request, "qualitative/_coded.html", _base(
                project, role, unit=unit, count=count, document=document))
    if htmx:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    return render(request, "qualitative/document.html",
                  _document_context(request, project, role, document, form), status=400)


@login_required
@require_POST
def delete_unit(request: HttpRequest, slug: str, project_id: int, unit_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id, CODE)
    unit = queries.get_in_project(MeaningUnit, project, unit_id)
    if role not in LEAD and unit.author_id != request.user.pk:
        raise Http404
    document_id = unit.document_id
    services.delete_unit(actor=request.user, unit=unit)
    messages.success(request, _("The meaning unit is deleted. Undo brings it back."))
    return redirect("qualitative:document", slug=slug, project_id=project.pk, document_id=document_id)


@login_required
@require_POST
def undo(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, _role = _project(request, slug, project_id, CODE)
    action = services.undo_last(actor=request.user, project=project)
    if action is None:
        messages.info(request, _("There is nothing of yours to undo."))
    else:
        messages.success(request, _("Undone: %(what)s.") % {"what": action.get_kind_display()})
    back = request.POST.get("next", "")
    if back.startswith(f"/o/{slug}/analysis/{project.pk}/"):
        return redirect(back)
    return redirect("qualitative:project", slug=slug, project_id=project.pk)


# --- Codebook and memos ----------------------------------------------------------------------


def _choices(project: Project) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    with scope(organisation=project.organisation):
        groups = [(g.pk, f"{g.parent.name} › {g.name}" if g.parent else g.name)
                  for g in CodeGroup.objects.filter(project=project).select_related("parent")]
        codes = [(c.pk, c.name) for c in Code.objects.filter(project=project)]
    return groups, codes


@login_required
def codebook(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id)
    groups, codes = _choices(project)
    code_form = CodeForm(prefix="code", groups=groups)
    group_form = GroupForm(prefix="group", groups=groups)
    memo_form = MemoForm(prefix="memo", codes=codes)
    status = 200
    if request.method == "POST":
        if role not in CODE:
            raise Http404
        what = request.POST.get("what")
        try:
            if what == "code":
                code_form = CodeForm(request.POST, prefix="code", groups=groups)
                if code_form.is_valid():
                    services.create_code(actor=request.user, project=project,
                                         name=code_form.cleaned_data["name"],
                                         group_id=code_form.cleaned_data["group"],
                                         description=code_form.cleaned_data["description"])
                    return redirect("qualitative:codebook", slug=slug, project_id=project.pk)
            elif what == "group":
                group_form = GroupForm(request.POST, prefix="group", groups=groups)
                if group_form.is_valid():
                    services.create_group(actor=request.user, project=project,
                                          name=group_form.cleaned_data["name"],
                                          parent_id=group_form.cleaned_data["group"],
                                          description=group_form.cleaned_data["description"])
                    return redirect("qualitative:codebook", slug=slug, project_id=project.pk)
            elif what == "memo":
                memo_form = MemoForm(request.POST, prefix="memo", codes=codes)
                if memo_form.is_valid():
                    services.add_memo(actor=request.user, project=project,
                                      text=memo_form.cleaned_data["text"],
                                      code_id=memo_form.cleaned_data["code"])
                    return redirect("qualitative:codebook", slug=slug, project_id=project.pk)
            elif what == "move":
                code = queries.get_in_project(Code, project, request.POST.get("code") or 0)
                services.move_code(actor=request.user, code=code,
                                   group_id=int(request.POST["group"]) if request.POST.get("group") else None)
                return redirect("qualitative:codebook", slug=slug, project_id=project.pk)
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError)
                           else _("Choose a code group."))
        status = 400
    tree, loose = queries.codebook(project)
    with scope(organisation=project.organisation):
        memos = list(Memo.objects.filter(project=project).select_related("code", "author"))
    return render(request, "qualitative/codebook.html", _base(
        project, role, tree=tree, loose=loose, memos=memos, code_form=code_form,
        group_form=group_form, memo_form=memo_form, groups=groups), status=status)


# --- The four steps ---------------------------------------------------------------------------


def _comments(project: Project, step: int) -> list[Comment]:
    with scope(organisation=project.organisation):
        return list(Comment.objects.filter(project=project, step=step).select_related("author"))


@login_required
def step(request: HttpRequest, slug: str, project_id: int, number: int) -> HttpResponse:
    """One STC step: its work, and the team's comments on it."""
    project, role = _project(request, slug, project_id)
    if number not in Step.values:
        raise Http404
    status = 200
    comment_form = CommentForm(initial={"step": number})
    impression_form = ImpressionForm()
    theme_form = ThemeForm()
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "comment" and role in COMMENT:
                comment_form = CommentForm(request.POST)
                if comment_form.is_valid():
                    services.add_comment(actor=request.user, project=project, step=number,
                                         text=comment_form.cleaned_data["text"])
                    return redirect("qualitative:step", slug=slug, project_id=project.pk, number=number)
            elif what == "impression" and role in CODE and number == Step.IMPRESSION:
                impression_form = ImpressionForm(request.POST)
                if impression_form.is_valid():
                    services.save_impression(actor=request.user, project=project,
                                             text=impression_form.cleaned_data["text"])
                    return redirect("qualitative:step", slug=slug, project_id=project.pk, number=number)
            elif what == "theme" and role in LEAD and number == Step.IMPRESSION:
                theme_form = ThemeForm(request.POST)
                if theme_form.is_valid():
                    services.add_theme(actor=request.user, project=project,
                                       title=theme_form.cleaned_data["title"])
                    return redirect("qualitative:step", slug=slug, project_id=project.pk, number=number)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    context = _base(project, role, number=number, step_label=Step(number).label,
                    comments=_comments(project, number), comment_form=comment_form)
    with scope(organisation=project.organisation):
        if number == Step.IMPRESSION:
            mine = Impression.objects.filter(project=project, author=request.user).first()
            # Each analyst writes alone first: others' impressions show once yours is saved.
            others = list(Impression.objects.filter(project=project).exclude(author=request.user)
                          .select_related("author")) if (mine or role not in CODE) else []
            if mine and request.method != "POST":
                impression_form = ImpressionForm(initial={"text": mine.text})
            context.update(mine=mine, others=others, impression_form=impression_form,
                           theme_form=theme_form, themes=list(Theme.objects.filter(project=project)))
        else:
            tree, _loose = queries.codebook(project)
            context.update(tree=tree)
            if number == Step.CODING:
                context.update(overview=queries.overview(project))
    return render(request, "qualitative/step.html", context, status=status)


@login_required
def group_detail(request: HttpRequest, slug: str, project_id: int, group_id: int) -> HttpResponse:
    """Steps 3 and 4 for one code group: its meaning units beside the condensate, and the
    synthesis statements linked to their passages."""
    project, role = _project(request, slug, project_id)
    group = queries.get_in_project(CodeGroup, project, group_id)
    units = queries.units_of_group(group)
    choices = [(u.pk, _unit_label(u)) for u in units]
    with scope(organisation=project.organisation):
        condensate = Condensate.objects.filter(group=group).select_related("golden_quote").first()
        synthesis = (Synthesis.objects.filter(group=group)
                     .prefetch_related("statements__sources__document", "quotes__document").first())
    condensate_form = CondensateForm(units=choices, initial={
        "text": condensate.text if condensate else "",
        "golden_quote": condensate.golden_quote_id if condensate else None})
    statement_form = StatementForm(units=choices)
    quotes_form = QuotesForm(units=choices, initial={
        "quotes": [u.pk for u in synthesis.quotes.all()] if synthesis else []})
    status = 200
    if request.method == "POST":
        if role not in CODE:
            raise Http404
        what = request.POST.get("what")
        try:
            if what == "condensate":
                condensate_form = CondensateForm(request.POST, units=choices)
                if condensate_form.is_valid():
                    services.save_condensate(actor=request.user, group=group,
                                             text=condensate_form.cleaned_data["text"],
                                             golden_quote_id=condensate_form.cleaned_data["golden_quote"])
                    messages.success(request, _("The condensate is saved."))
                    return redirect("qualitative:group", slug=slug, project_id=project.pk, group_id=group.pk)
            elif what == "statement":
                statement_form = StatementForm(request.POST, units=choices)
                if statement_form.is_valid():
                    services.add_statement(actor=request.user, group=group,
                                           text=statement_form.cleaned_data["text"],
                                           source_ids=statement_form.cleaned_data["sources"])
                    return redirect("qualitative:group", slug=slug, project_id=project.pk, group_id=group.pk)
            elif what == "quotes":
                quotes_form = QuotesForm(request.POST, units=choices)
                if quotes_form.is_valid():
                    services.set_quotes(actor=request.user, group=group,
                                        unit_ids=quotes_form.cleaned_data["quotes"])
                    return redirect("qualitative:group", slug=slug, project_id=project.pk, group_id=group.pk)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    return render(request, "qualitative/group.html", _base(
        project, role, group=group, units=units, condensate=condensate, synthesis=synthesis,
        condensate_form=condensate_form, statement_form=statement_form, quotes_form=quotes_form),
        status=status)


# --- Team work ---------------------------------------------------------------------------------


@login_required
def compare(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    """Who coded what, and two analysts' coding of one document side by side."""
    project, role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        coders = list(ProjectMember.objects.filter(project=project).select_related("user"))
        documents = list(Document.objects.filter(project=project).defer("text"))
    rows = None
    chosen: dict[str, Any] = {}
    try:
        document_id = int(request.GET.get("document", "0"))
        first_id, second_id = int(request.GET.get("first", "0")), int(request.GET.get("second", "0"))
    except ValueError:
        document_id = first_id = second_id = 0
    users = {m.user_id: m.user for m in coders}
    if document_id and first_id in users and second_id in users:
        document = queries.get_in_project(Document, project, document_id)
        rows = queries.compare(document, users[first_id], users[second_id])
        chosen = {"document": document_id, "first": first_id, "second": second_id}
    return render(request, "qualitative/compare.html", _base(
        project, role, overview=queries.overview(project), coders=coders, documents=documents,
        rows=rows, chosen=chosen))


@login_required
def speakers(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    """Pseudonyms for everyone; the code key (real names) for the lead alone."""
    project, role = _project(request, slug, project_id)
    if request.method == "POST":
        if role not in LEAD:
            raise Http404
        count = services.delete_code_key(actor=request.user, project=project)
        messages.success(request, _("The code key is deleted (%(n)s names).") % {"n": count})
        return redirect("qualitative:speakers", slug=slug, project_id=project.pk)
    return render(request, "qualitative/speakers.html", _base(
        project, role, speakers=queries.speakers_of(project, with_key=role in LEAD)))


# --- Exports and the report ----------------------------------------------------------------------


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "units.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "units.xlsx"),
    "qdpx": ("application/zip", "project.qdpx"),
    "qdc": ("application/xml", "codebook.qdc"),
}


@login_required
def export(request: HttpRequest, slug: str, project_id: int, fmt: str) -> HttpResponse:
    project, _role = _project(request, slug, project_id)
    if fmt not in EXPORTS:
        raise Http404
    body: str | bytes
    if fmt == "csv":
        body = exporters.to_csv(exporters.unit_rows(project))
    elif fmt == "xlsx":
        body = exporters.to_xlsx(exporters.unit_rows(project), sheet="units")
    elif fmt == "qdpx":
        body = refi.export_qdpx(project)
    else:
        body = refi.codebook_qdc(project)
    content_type, name = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="peerwork-analysis-{project.pk}-{name}"'
    return response


@login_required
def report(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, _role = _project(request, slug, project_id)
    return render(request, analysis_reports.TEMPLATE,
                  page_context(analysis_reports.report_context(project)))


@login_required
@require_POST
def report_pdf(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, _role = _project(request, slug, project_id)
    job = request_report(kind=analysis_reports.KIND, language=_language(),
                         params={"project": project.pk}, requested_by=request.user,
                         organisation=project.organisation)
    return redirect("reports:job", job_id=job.pk)
