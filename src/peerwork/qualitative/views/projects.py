"""Projects, their team and material, the team comparison, speakers, exports and the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from peerwork.orgs.queries import get_organisation_for
from peerwork.qualitative import exporters, queries, refi, services, waves
from peerwork.qualitative import reports as analysis_reports
from peerwork.qualitative.enums import ProjectRole
from peerwork.qualitative.forms import (
    MemberForm,
    ProjectForm,
    QdpxForm,
    UploadForm,
)
from peerwork.qualitative.importers import MAX_BYTES, ImportFailed
from peerwork.qualitative.models import (
    Document,
    MeaningUnit,
    ProjectMember,
)
from peerwork.qualitative.rules import CODE, LEAD
from peerwork.qualitative.views.common import (
    _base,
    _language,
    _people,
    _project,
)
from peerwork.reports.context import page_context
from peerwork.reports.services import request_report


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


@login_required
def project_detail(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        members = list(ProjectMember.objects.filter(project=project).select_related("user"))
    return render(request, "qualitative/project.html", _base(
        project, role, overview=queries.overview(project), members=members,
        upload_form=UploadForm(), qdpx_form=QdpxForm(),
        survey_sources=waves.sources_for(request.user, project) if role in CODE else [],
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
            messages.success(request, _("Imported. Documents: %(documents)s; codes: %(codes)s; "
                                        "meaning units: %(units)s; memos: %(memos)s.") % counts)
            return redirect("qualitative:project", slug=slug, project_id=project.pk)
    return render(request, "qualitative/upload_failed.html", _base(project, role, form=form),
                  status=400)


@login_required
def compare(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    """Who coded what, and two analysts' coding of one document side by side."""
    project, role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        # Those who may code, and anyone who coded before their role changed; not viewers.
        authors = set(MeaningUnit.objects.filter(project=project).values_list("author_id", flat=True))
        coders = [m for m in ProjectMember.objects.filter(project=project).select_related("user")
                  if m.role in CODE or m.user_id in authors]
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
    elif len(coders) > 1:  # two different people to start with
        chosen = {"first": coders[0].user_id, "second": coders[1].user_id}
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
        if request.POST.get("confirm") != "yes":  # irreversible: asked twice, without JavaScript too
            messages.error(request, _("Tick the box to confirm that the code key is to be deleted."))
            return redirect("qualitative:speakers", slug=slug, project_id=project.pk)
        count = services.delete_code_key(actor=request.user, project=project)
        messages.success(request, _("The code key is deleted (%(n)s names).") % {"n": count})
        return redirect("qualitative:speakers", slug=slug, project_id=project.pk)
    return render(request, "qualitative/speakers.html", _base(
        project, role, speakers=queries.speakers_of(project, with_key=role in LEAD)))


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
