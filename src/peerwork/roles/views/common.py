"""What the role pages share: the access funnel and how a refused write answers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from peerwork.orgs.queries import get_organisation_for
from peerwork.roles import queries, services
from peerwork.roles.models import RoleDesign

STALE = gettext_lazy("Someone else saved this in the meantime. Your changes are kept below: "
                     "compare them with the current version, then save again.")


def get_role(request: HttpRequest, slug: str, role_id: int, *, write: bool = False) -> RoleDesign:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    return queries.get_role_for(request.user, organisation, role_id, write=write)


def refusal_status(exc: ValidationError) -> int:
    """409 when the role's or document's state refuses the write, 400 for bad input."""
    return 409 if services.is_conflict(exc) else 400


def refuse_in_form(form: forms.Form, exc: services.StaleVersion | ValidationError) -> int:
    """Put a refused write's reason on ``form``, whose input is kept; the status to answer."""
    if isinstance(exc, services.StaleVersion):
        form.add_error(None, STALE)
        return 409
    form.add_error(None, exc)
    return refusal_status(exc)
