"""Organisation pages: overview, profile, members, invitations, audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from peerwork.orgs import queries, services
from peerwork.orgs.enums import Role
from peerwork.orgs.exporters import audit_csv
from peerwork.orgs.forms import (
    AcceptInvitationForm,
    AuditFilterForm,
    InviteForm,
    OrganisationForm,
    RoleForm,
)
from peerwork.orgs.models import Invitation, Organisation
from peerwork.orgs.rules import roles_in

AUDIT_PAGE_SIZE = 100


def _form_errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = queries.get_organisation_for(request.user, slug)
    return render(request, "orgs/detail.html", {
        "organisation": organisation,
        "roles": sorted(roles_in(request.user, organisation)),
        "can_admin": request.user.has_perm("orgs.change_organisation", organisation),
    })


@login_required
def settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = queries.get_organisation_for(request.user, slug,
                                                perm="orgs.change_organisation")
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        services.update_organisation(
            actor=request.user, organisation=organisation,
            **{field: form.cleaned_data[field] for field in services.PROFILE_FIELDS},
        )
        messages.success(request, _("The organisation's profile is saved."))
        return redirect("orgs:settings", slug=organisation.slug)
    return render(request, "orgs/settings.html", {"organisation": organisation, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.manage_members")
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            issued = services.invite_member(
                actor=request.user, organisation=organisation,
                email=invite_form.cleaned_data["email"], role=invite_form.cleaned_data["role"],
                language=translation.get_language() or "en",
            )
        except ValidationError as exc:
            invite_form.add_error("email", exc)
        else:
            messages.success(request, _("The invitation is sent to %(email)s.")
                             % {"email": issued.invitation.email})
            return redirect("orgs:members", slug=organisation.slug)
    return _members_page(request, organisation, invite_form,
                         status=400 if request.method == "POST" else 200)


def _members_page(request: HttpRequest, organisation: Organisation, invite_form: InviteForm,
                  *, status: int = 200, error: str = "") -> HttpResponse:
    return render(request, "orgs/members.html", {
        "organisation": organisation,
        "memberships": queries.members_of(organisation),
        "invitations": queries.pending_invitations(organisation, now=timezone.now()),
        "invite_form": invite_form,
        "roles": Role.choices,
        "error": error,
    }, status=status)


@login_required
@require_POST
def member_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.manage_members")
    membership = queries.get_membership_for(request.user, organisation, pk)
    action = request.POST.get("action", "")
    role_form = RoleForm(request.POST)
    # Malformed requests are 400; a refusal by the rules (the last administrator) is 409.
    if action not in {"role", "deactivate", "reactivate"}:
        return _members_page(request, organisation, InviteForm(), status=400,
                             error=_("Unknown action."))
    if action == "role" and not role_form.is_valid():
        return _members_page(request, organisation, InviteForm(), status=400,
                             error=_("Choose a valid role."))
    try:
        if action == "role":
            services.change_role(actor=request.user, membership=membership,
                                 role=role_form.cleaned_data["role"])
            messages.success(request, _("The role is changed."))
        else:
            services.set_member_active(actor=request.user, membership=membership,
                                       active=action == "reactivate")
            messages.success(request, _("The member is deactivated.") if action == "deactivate"
                             else _("The member is active again."))
    except ValidationError as exc:
        return _members_page(request, organisation, InviteForm(), status=409,
                             error=_form_errors(exc))
    return redirect("orgs:members", slug=organisation.slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.manage_members")
    with scope(organisation=organisation):
        invitation = Invitation.objects.filter(organisation=organisation, pk=pk,
                                               accepted__isnull=True).first()
    if invitation is None:
        raise Http404
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("orgs:members", slug=organisation.slug)


def _audit_page(request: HttpRequest, organisation: Organisation | None,
                template_context: dict[str, Any]) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = queries.AuditFilter()
    if form.is_valid():
        filters = queries.AuditFilter(**form.cleaned_data)
    events = queries.audit_events(organisation=organisation, filters=filters)
    if request.GET.get("format") == "csv":
        services.record_audit_export(actor=request.user, organisation=organisation)
        response = HttpResponse(audit_csv(events.iterator()), content_type="text/csv; charset=utf-8")
        name = organisation.slug if organisation else "platform"
        response["Content-Disposition"] = f'attachment; filename="audit-{name}.csv"'
        return response
    return render(request, "orgs/audit.html", {
        **template_context, "form": form, "events": events[:AUDIT_PAGE_SIZE],
        "total": events.count(), "page_size": AUDIT_PAGE_SIZE,
        "query": request.GET.urlencode(),
    }, status=200 if form.is_valid() or not request.GET else 400)


@login_required
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = queries.get_organisation_for(request.user, slug, perm="orgs.view_audit")
    return _audit_page(request, organisation, {"organisation": organisation})


@login_required
def platform(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("orgs.create_organisation"):
        raise Http404
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s is created. Invite its first administrator.")
                         % {"name": organisation.name})
        return redirect("orgs:platform")
    return render(request, "orgs/platform.html", {
        "form": form, "organisations": Organisation.objects.all(),
    }, status=400 if request.method == "POST" else 200)


@login_required
def platform_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """A platform administrator invites an organisation's first members."""
    if not request.user.has_perm("orgs.create_organisation"):
        raise Http404
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(actor=request.user, organisation=organisation,
                                   email=form.cleaned_data["email"],
                                   role=form.cleaned_data["role"],
                                   language=translation.get_language() or "en")
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("The invitation is sent."))
            return redirect("orgs:platform")
    return render(request, "orgs/platform_invite.html",
                  {"organisation": organisation, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def platform_audit(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("orgs.view_platform_audit"):
        raise Http404
    return _audit_page(request, None, {"organisation": None})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "orgs/invitation_invalid.html", status=404)
    context: dict[str, Any] = {"invitation": invitation, "organisation": invitation.organisation}
    user = request.user
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=user)
            except ValidationError as exc:
                messages.error(request, _form_errors(exc))
                return render(request, "orgs/invitation.html", context, status=409)
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
            return redirect("orgs:detail", slug=invitation.organisation.slug)
        context["wrong_person"] = user.email.lower() != invitation.email
        return render(request, "orgs/invitation.html", context)
    if services.account_exists(invitation.email):
        context["login_url"] = reverse("account_login") + "?next=" + request.path
        return render(request, "orgs/invitation.html", context)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept_invitation(
                invitation=invitation, password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            messages.error(request, _form_errors(exc))
            return render(request, "orgs/invitation.html", context, status=409)
        login(request, new_user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
        return HttpResponseRedirect(reverse("orgs:detail", kwargs={"slug": invitation.organisation.slug}))
    return render(request, "orgs/invitation.html", context,
                  status=400 if request.method == "POST" else 200)

