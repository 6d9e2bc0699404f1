"""Role design pages: the list, designing and editing, classification and checks,
archiving, restoring and deleting."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.framework.library import get_library
from peerwork.orgs.queries import get_organisation_for
from peerwork.roles import queries, services
from peerwork.roles.enums import DocumentKind, Language
from peerwork.roles.forms import RoleDesignForm
from peerwork.roles.models import RoleDesign
from peerwork.roles.phrases import MODES, NEXT_STEPS
from peerwork.roles.views.common import get_role, refusal_status, refuse_in_form

ARCHIVE = "roles.archive_role"
DELETE = "roles.delete_role"


def _initial(role: RoleDesign) -> dict[str, Any]:
    return {
        **{name: getattr(role, name) for name in services.DESIGN_FIELDS
           if name not in {"involvement", "peer_worker"}},
        "involvement": [f"{p}|{lv}" for p, levels in role.involvement.items() for lv in levels],
        "peer_worker": str(role.peer_worker_id or ""), "version": role.version,
    }


@login_required
def role_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The roles in use; with ``?archived=1`` the archived ones."""
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    archived = request.GET.get("archived") == "1"
    return render(request, "roles/role_list.html", {
        "organisation": organisation,
        "roles": queries.analyse_each(queries.roles_of(organisation, archived=archived)),
        "archived": archived, "archived_count": queries.archived_count(organisation),
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
    role = get_role(request, slug, role_id, write=True)
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
            except (services.StaleVersion, ValidationError) as exc:
                status = refuse_in_form(form, exc)
            else:
                messages.success(request, _("The role is saved."))
                return redirect("roles:detail", slug=slug, role_id=role.pk)
    return render(request, "roles/role_form.html", {
        "organisation": organisation, "form": form, "role": role,
    }, status=status)


@login_required
def role_detail(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    role = get_role(request, slug, role_id)
    states = queries.document_states(role)
    documents = [(kind, [(lang, states.get((kind.value, lang.value))) for lang in Language])
                 for kind in DocumentKind]
    analysis = queries.analyse(role)
    library = get_library()
    return render(request, "roles/role_detail.html", {
        "organisation": role.organisation, "role": role, "analysis": analysis,
        "library": library, "documents": documents, "languages": Language.choices,
        "can_edit": queries.can_edit(request.user, role) and role.archived is None,
        "can_archive": request.user.has_perm(ARCHIVE, role.organisation),
        "can_delete": request.user.has_perm(DELETE, role.organisation),
        "mode_text": MODES[analysis.classification.mode],
        "mode_element": analysis.classification.mode or "service_cycle.delivery",
        "next_steps": [(NEXT_STEPS[step.code], library.elements[step.element_id])
                       for step in analysis.classification.next_steps],
        "findings": [(f, library.elements[f.element_id], [library.elements[e] for e in f.also])
                     for f in analysis.findings],
    })


def _managed_role(request: HttpRequest, slug: str, role_id: int, perm: str) -> RoleDesign:
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return queries.get_role_for(request.user, organisation, role_id)


@login_required
@require_POST
def role_archive(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    role = _managed_role(request, slug, role_id, ARCHIVE)
    services.archive_role(actor=request.user, role=role)
    messages.success(request, _("The role is archived. It is kept, read-only, under the "
                                "archived roles until you restore it."))
    return redirect("roles:detail", slug=slug, role_id=role.pk)


@login_required
@require_POST
def role_restore(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    role = _managed_role(request, slug, role_id, ARCHIVE)
    services.restore_role(actor=request.user, role=role)
    messages.success(request, _("The role is restored and in use again."))
    return redirect("roles:detail", slug=slug, role_id=role.pk)


@login_required
def role_delete(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    """Ask before deleting; a role with confirmed documents is explained and offered
    for archiving instead."""
    role = _managed_role(request, slug, role_id, DELETE)
    status = 200
    if request.method == "POST":
        try:
            services.delete_role(actor=request.user, role=role)
        except ValidationError as exc:
            status = refusal_status(exc)  # confirmed since the page was shown
        else:
            messages.success(request, _("The role “%(title)s” is deleted.") % {"title": role.title})
            return redirect("roles:list", slug=slug)
    blockers = queries.confirmed_documents(role)
    return render(request, "roles/role_delete.html", {
        "organisation": role.organisation, "role": role, "blockers": blockers,
        "version_count": queries.version_count(role),
        "can_archive": request.user.has_perm(ARCHIVE, role.organisation),
    }, status=status)
