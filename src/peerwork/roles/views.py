"""Role design pages: design, classification and checks, and the documents."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peerwork.framework.library import get_library
from peerwork.orgs.queries import get_organisation_for
from peerwork.reports.context import page_context
from peerwork.roles import queries, services
from peerwork.roles.documents import to_html
from peerwork.roles.enums import DocumentKind, Language
from peerwork.roles.forms import ConfirmForm, DocumentForm, RoleDesignForm
from peerwork.roles.models import DocumentVersion, RoleDesign
from peerwork.roles.phrases import MODES, NEXT_STEPS

STALE = gettext_lazy("Someone else saved this in the meantime. Your changes are kept below: compare "
          "them with the current version, then save again.")


def _role(request: HttpRequest, slug: str, role_id: int, *, write: bool = False
          ) -> RoleDesign:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    return queries.get_role_for(request.user, organisation, role_id, write=write)


def _initial(role: RoleDesign) -> dict[str, Any]:
    return {
        **{name: getattr(role, name) for name in services.DESIGN_FIELDS
           if name not in {"involvement", "peer_worker"}},
        "involvement": [f"{p}|{lv}" for p, levels in role.involvement.items() for lv in levels],
        "peer_worker": str(role.peer_worker_id or ""), "version": role.version,
    }


@login_required
def role_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    return render(request, "roles/role_list.html", {
        "organisation": organisation,
        "roles": queries.analyse_each(queries.roles_of(organisation)),
        "library": get_library(),
        "can_design": request.user.has_perm(queries.DESIGN, organisation),
    })


@login_required
def role_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.DESIGN)
    form = RoleDesignForm(request.POST or None, initial={"submission": uuid.uuid4()},
                          peer_workers=queries.peer_workers_of(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            role = services.create_role(actor=request.user, organisation=organisation,
                                        data=form.design(),
                                        submission=form.cleaned_data["submission"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The role is saved. See how it is classified and checked."))
            return redirect("roles:detail", slug=slug, role_id=role.pk)
    return render(request, "roles/role_form.html", {
        "organisation": organisation, "form": form, "role": None,
    }, status=400 if request.method == "POST" else 200)


@login_required
def role_edit(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    role = _role(request, slug, role_id, write=True)
    organisation = role.organisation
    form = RoleDesignForm(request.POST or None, initial=_initial(role),
                          peer_workers=queries.peer_workers_of(organisation))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_role(actor=request.user, role=role, data=form.design(),
                                     version=form.cleaned_data["version"] or 0)
            except services.StaleVersion:
                form.add_error(None, STALE)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The role is saved."))
                return redirect("roles:detail", slug=slug, role_id=role.pk)
    return render(request, "roles/role_form.html", {
        "organisation": organisation, "form": form, "role": role,
    }, status=status)


@login_required
def role_detail(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    role = _role(request, slug, role_id)
    latest = queries.latest_versions(role)
    documents = [(kind, [(lang, latest.get((kind.value, lang.value))) for lang in Language])
                 for kind in DocumentKind]
    analysis = queries.analyse(role)
    library = get_library()
    return render(request, "roles/role_detail.html", {
        "organisation": role.organisation, "role": role, "analysis": analysis,
        "library": library, "documents": documents, "languages": Language.choices,
        "can_edit": queries.can_edit(request.user, role),
        "mode_text": MODES[analysis.classification.mode],
        "mode_element": analysis.classification.mode or "service_cycle.delivery",
        "next_steps": [(NEXT_STEPS[step.code], library.elements[step.element_id])
                       for step in analysis.classification.next_steps],
        "findings": [(f, library.elements[f.element_id], [library.elements[e] for e in f.also])
                     for f in analysis.findings],
    })


def _document_context(request: HttpRequest, role: RoleDesign, kind: str, language: str,
                      number: str | None) -> dict[str, Any]:
    versions = queries.versions_of(role, kind, language)
    shown: DocumentVersion | None = versions[0] if versions else None
    if number is not None:
        shown = next((v for v in versions if str(v.number) == number), None)
        if shown is None:
            raise Http404
    latest = versions[0] if versions else None
    confirm_as = services.can_confirm_as(request.user, role)
    pending = [side for side in confirm_as if latest is not None and (
        (side == "manager" and latest.manager_confirmed is None)
        or (side == "peer_worker" and latest.peer_confirmed is None))]
    return {
        "organisation": role.organisation, "role": role, "kind": kind, "language": language,
        "kind_label": DocumentKind(kind).label, "language_label": Language(language).label,
        "versions": versions, "document": shown, "latest": latest,
        "body_html": to_html(shown.body) if shown else "",
        "can_edit": queries.can_edit(request.user, role) and not (latest and latest.is_final),
        "pending_sides": pending,
        "design_changed": latest is not None and role.updated > latest.created,
    }


@login_required
def document(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str) -> HttpResponse:
    role = _role(request, slug, role_id)
    context = _document_context(request, role, doc_kind, lang, request.GET.get("v"))
    latest = context["latest"]
    context["form"] = DocumentForm(initial={"title": latest.title, "body": latest.body,
                                            "based_on": latest.number}) if latest else None
    return render(request, "roles/document.html", page_context(context))


@login_required
@require_POST
def document_save(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                  ) -> HttpResponse:
    """Save a new version: drafted from the design when the form has no text."""
    role = _role(request, slug, role_id, write=True)
    context = _document_context(request, role, doc_kind, lang, None)
    generate = "generate" in request.POST
    form = DocumentForm(request.POST)
    status = 400
    if generate or form.is_valid():
        based_on_text = request.POST.get("based_on", "")
        based_on = (int(based_on_text) if based_on_text.isdigit() else None) if generate else (
            form.cleaned_data["based_on"])
        try:
            services.save_document(
                actor=request.user, role=role, kind=doc_kind, language=lang, based_on=based_on,
                title=None if generate else form.cleaned_data["title"],
                body=None if generate else form.cleaned_data["body"])
        except services.StaleVersion:
            form.add_error(None, STALE)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 409 if context["latest"] and context["latest"].is_final else 400
        else:
            messages.success(request, _("A new version is saved."))
            return redirect("roles:document", slug=slug, role_id=role.pk, doc_kind=doc_kind,
                            lang=lang)
    context["form"] = form
    return render(request, "roles/document.html", page_context(context), status=status)


@login_required
@require_POST
def document_confirm(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                     ) -> HttpResponse:
    role = _role(request, slug, role_id)
    queries.versions_of(role, doc_kind, lang)  # 404 for an unknown kind or language
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a version to confirm."), status=400)
    if form.cleaned_data["side"] not in services.can_confirm_as(request.user, role):
        raise Http404
    try:
        services.confirm_document(actor=request.user, role=role, kind=doc_kind, language=lang,
                                  number=form.cleaned_data["number"],
                                  side=form.cleaned_data["side"])
    except services.StaleVersion:
        messages.error(request, _("A newer version was saved in the meantime. Read it before "
                                  "you confirm."))
        return redirect("roles:document", slug=slug, role_id=role.pk, doc_kind=doc_kind, lang=lang)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    messages.success(request, _("Your confirmation is recorded."))
    return redirect("roles:document", slug=slug, role_id=role.pk, doc_kind=doc_kind, lang=lang)


@login_required
def document_pdf(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                 ) -> HttpResponse:
    """One version as a PDF, rendered now: a document of a few pages takes about a second."""
    role = _role(request, slug, role_id)
    context = _document_context(request, role, doc_kind, lang, request.GET.get("v"))
    shown = context["document"]
    if shown is None:
        raise Http404
    from peerwork.reports.render import render_pdf  # noqa: PLC0415 - WeasyPrint on demand

    pdf = render_pdf("roles/document_pdf.html", context, language=lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="peerwork-role-{role.pk}-{doc_kind}-{lang}-v{shown.number}.pdf"')
    return response
