"""Step 2: marking and coding meaning units, undo, the codebook and memos (editing one
code or group is in ``codes``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from peerwork.qualitative import codebook_changes, queries, services
from peerwork.qualitative.forms import (
    CodeForm,
    GroupForm,
    MemoForm,
    UnitForm,
)
from peerwork.qualitative.models import (
    Code,
    Document,
    MeaningUnit,
    Memo,
)
from peerwork.qualitative.rules import CODE, LEAD
from peerwork.qualitative.views.common import (
    _base,
    _choices,
    _document_context,
    _project,
)


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
                codebook_changes.move_code(actor=request.user, code=code, group_id=int(
                    request.POST["group"]) if request.POST.get("group") else None)
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
