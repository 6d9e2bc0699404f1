"""Editing the codebook: one page per code and per code group, to rename, move or delete
it. Only those who may code reach them; everyone else gets the project's 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from peerwork.qualitative import codebook_changes, queries
from peerwork.qualitative.forms import MoveCodeForm, MoveGroupForm, RenameForm
from peerwork.qualitative.models import Code, CodeGroup, Memo
from peerwork.qualitative.rules import CODE
from peerwork.qualitative.views.common import _base, _choices, _project


def _to_codebook(project: Any) -> HttpResponse:
    return redirect("qualitative:codebook", slug=project.organisation.slug, project_id=project.pk)


@login_required
def code_edit(request: HttpRequest, slug: str, project_id: int, code_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id, CODE)
    code = queries.get_in_project(Code, project, code_id)
    groups, _codes = _choices(project)
    rename_form = RenameForm(prefix="rename", initial={"name": code.name})
    move_form = MoveCodeForm(prefix="move", groups=groups, initial={"group": code.group_id})
    status = 200
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "rename":
                rename_form = RenameForm(request.POST, prefix="rename")
                if rename_form.is_valid():
                    codebook_changes.rename_code(actor=request.user, code=code,
                                                 name=rename_form.cleaned_data["name"])
                    messages.success(request, _("The code is renamed."))
                    return _to_codebook(project)
            elif what == "move":
                move_form = MoveCodeForm(request.POST, prefix="move", groups=groups)
                if move_form.is_valid():
                    codebook_changes.move_code(actor=request.user, code=code,
                                               group_id=move_form.cleaned_data["group"])
                    messages.success(request, _("The code is moved."))
                    return _to_codebook(project)
            elif what == "delete":
                count = codebook_changes.delete_code(actor=request.user, code=code)
                messages.success(request, ngettext(
                    "The code is deleted; %(n)s meaning unit lost it and stays in its document. "
                    "Undo brings the code back.",
                    "The code is deleted; %(n)s meaning units lost it and stay in their documents. "
                    "Undo brings the code back.", count) % {"n": count})
                return _to_codebook(project)
        except ValidationError as exc:
            (rename_form if what == "rename" else move_form).add_error(None, exc)
        status = 400
    with scope(organisation=project.organisation):
        units = code.units.count()
        memos = Memo.objects.filter(code=code).count()
    return render(request, "qualitative/code_edit.html", _base(
        project, role, code=code, units=units, memos=memos, rename_form=rename_form,
        move_form=move_form), status=status)


@login_required
def group_edit(request: HttpRequest, slug: str, project_id: int, group_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id, CODE)
    group = queries.get_in_project(CodeGroup, project, group_id)
    below = queries.subtree(group)
    # Only places outside the group's own branch are offered.
    places = [(pk, name) for pk, name in _choices(project)[0] if pk not in below]
    rename_form = RenameForm(prefix="rename", initial={"name": group.name})
    move_form = MoveGroupForm(prefix="move", groups=places, initial={"parent": group.parent_id})
    delete_error = ""
    status = 200
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "rename":
                rename_form = RenameForm(request.POST, prefix="rename")
                if rename_form.is_valid():
                    codebook_changes.rename_group(actor=request.user, group=group,
                                                  name=rename_form.cleaned_data["name"])
                    messages.success(request, _("The code group is renamed."))
                    return _to_codebook(project)
            elif what == "move":
                move_form = MoveGroupForm(request.POST, prefix="move", groups=places)
                if move_form.is_valid():
                    codebook_changes.move_group(actor=request.user, group=group,
                                                parent_id=move_form.cleaned_data["parent"])
                    messages.success(request, _("The code group is moved."))
                    return _to_codebook(project)
            elif what == "delete":
                codebook_changes.delete_group(actor=request.user, group=group)
                messages.success(request, _("The code group is deleted. Undo brings it back."))
                return _to_codebook(project)
        except ValidationError as exc:
            if what == "delete":
                delete_error = " ".join(exc.messages)
            else:
                (rename_form if what == "rename" else move_form).add_error(None, exc)
        status = 400
    with scope(organisation=project.organisation):
        group = CodeGroup.objects.select_related("parent").get(pk=group.pk)
        codes = Code.objects.filter(group=group).count()
        subgroups = CodeGroup.objects.filter(parent=group).count()
    return render(request, "qualitative/group_edit.html", _base(
        project, role, group=group, codes=codes, subgroups=subgroups,
        cannot_delete=codebook_changes.deletable(group), delete_error=delete_error,
        rename_form=rename_form, move_form=move_form), status=status)
