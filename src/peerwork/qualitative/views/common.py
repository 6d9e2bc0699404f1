"""Helpers shared by the analysis pages: the project funnel and page context."""

from __future__ import annotations

import itertools
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django_scopes import scope, scopes_disabled

from peerwork.orgs.models import Membership
from peerwork.orgs.queries import get_organisation_for
from peerwork.qualitative import queries
from peerwork.qualitative.enums import ProjectRole
from peerwork.qualitative.forms import (
    UnitForm,
)
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    Comment,
    Document,
    MeaningUnit,
    Project,
)
from peerwork.qualitative.rules import CODE, COMMENT, LEAD, VIEW


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


def _people(project: Project) -> list[tuple[int, str]]:
    with scopes_disabled():
        rows = Membership.objects.filter(organisation=project.organisation, is_active=True) \
            .select_related("user").order_by("user__email")
        return [(m.user_id, f"{m.user.name} <{m.user.email}>" if m.user.name else m.user.email)
                for m in rows]


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


def _choices(project: Project) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    with scope(organisation=project.organisation):
        groups = [(g.pk, f"{g.parent.name} › {g.name}" if g.parent else g.name)
                  for g in CodeGroup.objects.filter(project=project).select_related("parent")]
        codes = [(c.pk, c.name) for c in Code.objects.filter(project=project)]
    return groups, codes


def _comments(project: Project, step: int) -> list[Comment]:
    with scope(organisation=project.organisation):
        return list(Comment.objects.filter(project=project, step=step).select_related("author"))
