"""Document pages: a version in its own language inside the reader's interface,
drafting, editing, confirming, revising a final version, and the PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.reports.context import page_context
from peerwork.roles import documents, queries, services
from peerwork.roles.enums import DocumentKind, Language
from peerwork.roles.forms import ConfirmForm, DocumentForm
from peerwork.roles.models import DocumentVersion, RoleDesign
from peerwork.roles.phrases import DRAFT_IN, IN_LANGUAGE, SHOW_IN
from peerwork.roles.views.common import get_role, refusal_status, refuse_in_form


def _pending_sides(request: HttpRequest, role: RoleDesign, latest: DocumentVersion | None
                   ) -> list[str]:
    if latest is None or role.archived is not None:
        return []
    return [side for side in services.can_confirm_as(request.user, role)
            if (latest.manager_confirmed if side == "manager" else latest.peer_confirmed) is None]


def _document_context(request: HttpRequest, role: RoleDesign, kind: str, language: str,
                      number: str | None) -> dict[str, Any]:
    versions = queries.versions_of(role, kind, language)
    latest = versions[0] if versions else None
    shown = latest
    if number is not None:
        shown = next((v for v in versions if str(v.number) == number), None)
        if shown is None:
            raise Http404
    editable = queries.can_edit(request.user, role) and role.archived is None
    other = next(lang for lang in Language.values if lang != language)
    return {
        "organisation": role.organisation, "role": role, "kind": kind, "language": language,
        "kind_label": DocumentKind(kind).label, "language_label": Language(language).label,
        "versions": versions, "document": shown, "latest": latest,
        # The version in force while a newer one waits for its confirmations.
        "in_force": next((v for v in versions if v.is_final), None),
        "body_html": documents.to_html(shown.body) if shown else "",
        "can_edit": editable and not (latest and latest.is_final),
        "can_revise": editable and latest is not None and latest.is_final,
        "pending_sides": _pending_sides(request, role, latest),
        "design_changes": [documents.source_label(name) for name in documents.changed_since(
            kind, role, latest.design_snapshot)] if latest else [],
        "in_language": IN_LANGUAGE[language], "other_language": other,
        "other_exists": queries.has_versions(role, kind, other),
        "show_other": SHOW_IN[other], "draft_other": DRAFT_IN[other], "can_draft": editable,
    }


def _document_page(request: HttpRequest, context: dict[str, Any], status: int = 200
                   ) -> HttpResponse:
    return render(request, "roles/document.html", page_context(context), status=status)


def _to_document(slug: str, role: RoleDesign, kind: str, lang: str) -> HttpResponse:
    return redirect("roles:document", slug=slug, role_id=role.pk, doc_kind=kind, lang=lang)


@login_required
def document(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str) -> HttpResponse:
    role = get_role(request, slug, role_id)
    context = _document_context(request, role, doc_kind, lang, request.GET.get("v"))
    latest = context["latest"]
    context["form"] = DocumentForm(initial={"title": latest.title, "body": latest.body,
                                            "based_on": latest.number},
                                   language=lang) if latest else None
    return _document_page(request, context)


@login_required
@require_POST
def document_save(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                  ) -> HttpResponse:
    """Save a new version: drafted from the design when the form has no text."""
    role = get_role(request, slug, role_id, write=True)
    context = _document_context(request, role, doc_kind, lang, None)
    generate = "generate" in request.POST
    form = DocumentForm(request.POST, language=lang)
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
        except (services.StaleVersion, ValidationError) as exc:
            status = refuse_in_form(form, exc)
        else:
            messages.success(request, _("A new version is saved."))
            return _to_document(slug, role, doc_kind, lang)
    context["form"] = form
    return _document_page(request, context, status)


@login_required
@require_POST
def document_revise(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                    ) -> HttpResponse:
    """Start a new version of a final document, from its text."""
    role = get_role(request, slug, role_id, write=True)
    queries.versions_of(role, doc_kind, lang)  # 404 for an unknown kind or language
    based_on = request.POST.get("based_on", "")
    try:
        services.revise_document(actor=request.user, role=role, kind=doc_kind, language=lang,
                                 based_on=int(based_on) if based_on.isdigit() else 0)
    except services.StaleVersion:
        # A double click, or someone else started it first: theirs is the new version.
        messages.info(request, _("A newer version was started in the meantime. It is shown "
                                 "below."))
    except ValidationError as exc:
        context = _document_context(request, role, doc_kind, lang, None)
        context["errors"] = exc.messages
        return _document_page(request, context, refusal_status(exc))
    else:
        messages.success(request, _("A new version is started from the final text. Edit it, "
                                    "then both confirm it again; until then the final version "
                                    "stays in force."))
    return _to_document(slug, role, doc_kind, lang)


@login_required
@require_POST
def document_confirm(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                     ) -> HttpResponse:
    role = get_role(request, slug, role_id)
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
        return _to_document(slug, role, doc_kind, lang)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=refusal_status(exc))
    messages.success(request, _("Your confirmation is recorded."))
    return _to_document(slug, role, doc_kind, lang)


@login_required
def document_pdf(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str
                 ) -> HttpResponse:
    """One version as a PDF, rendered now: a document of a few pages takes about a second."""
    role = get_role(request, slug, role_id)
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
