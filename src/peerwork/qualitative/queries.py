"""Reads of analysis projects: the access funnel and what the pages show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import Http404
from django_scopes import scope

from peerwork.orgs.models import Organisation
from peerwork.orgs.rules import is_member
from peerwork.qualitative.agreement import Agreement, agreement
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    CodingAction,
    Document,
    MeaningUnit,
    Project,
    ProjectMember,
    Speaker,
)
from peerwork.qualitative.rules import VIEW


def role_in(user: Any, project: Project) -> str | None:
    """The user's role in the project, or None. Needs an active organisation membership too."""
    if not is_member(user, project.organisation):
        return None
    with scope(organisation=project.organisation):
        return (ProjectMember.objects.filter(project=project, user=user)
                .values_list("role", flat=True).first())


def get_project_for(user: Any, organisation: Organisation, project_id: int, *,
                    roles: frozenset[str] = VIEW) -> tuple[Project, str]:
    """The project and the user's role in it, if that role is one of ``roles``; 404 alike
    for a missing project, another organisation's, and one the user may not use so."""
    with scope(organisation=organisation):
        project = Project.objects.filter(organisation=organisation, pk=project_id).first()
    role = role_in(user, project) if project is not None else None
    if project is None or role not in roles:
        raise Http404
    return project, role


def projects_of(user: Any, organisation: Organisation) -> list[tuple[Project, str]]:
    if not is_member(user, organisation):
        return []
    with scope(organisation=organisation):
        rows = ProjectMember.objects.filter(organisation=organisation, user=user).select_related("project")
        return [(m.project, m.role) for m in rows.order_by("-project__created")]


def get_in_project(model: Any, project: Project, pk: Any) -> Any:
    """One row of ``model`` in ``project``, or 404."""
    with scope(organisation=project.organisation):
        found = model.objects.filter(project=project, pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Overview:
    documents: list[tuple[Document, int]]  # with their number of units
    units: int
    codes: int
    by_author: list[tuple[str, int]]


def overview(project: Project) -> Overview:
    """Counts for the project page, in a fixed number of queries whatever the size."""
    with scope(organisation=project.organisation):
        documents = list(Document.objects.filter(project=project).defer("text")
                         .annotate(n=Count("units")))
        by_author = list(MeaningUnit.objects.filter(project=project)
                         .values_list("author__name", "author__email").annotate(n=Count("id"))
                         .order_by("author__email"))
        codes = Code.objects.filter(project=project).count()
    return Overview(documents=[(d, d.n) for d in documents], units=sum(d.n for d in documents),
                    codes=codes, by_author=[(name or email or "—", n) for name, email, n in by_author])


@dataclass(frozen=True)
class GroupNode:
    group: CodeGroup
    codes: list[Code]
    subgroups: list[GroupNode]


def codebook(project: Project) -> tuple[list[GroupNode], list[Code]]:
    """Code groups as a tree with their codes, and the codes in no group."""
    with scope(organisation=project.organisation):
        groups = list(CodeGroup.objects.filter(project=project))
        codes = list(Code.objects.filter(project=project).annotate(n=Count("units")))
    codes_by_group: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        codes_by_group[code.group_id].append(code)
    children: dict[int | None, list[CodeGroup]] = defaultdict(list)
    for group in groups:
        children[group.parent_id].append(group)

    def node(group: CodeGroup, depth: int) -> GroupNode:
        subs = [node(g, depth + 1) for g in children[group.pk]] if depth < 8 else []
        return GroupNode(group=group, codes=codes_by_group[group.pk], subgroups=subs)

    return [node(g, 0) for g in children[None]], codes_by_group[None]


def subtree(group: CodeGroup) -> set[int]:
    """Ids of the group and all its subgroups, however deep."""
    with scope(organisation=group.organisation):
        groups = list(CodeGroup.objects.filter(project_id=group.project_id).values_list("id", "parent_id"))
    wanted = {group.pk}
    grew = True
    while grew:
        before = len(wanted)
        wanted |= {g for g, parent in groups if parent in wanted}
        grew = len(wanted) > before
    return wanted


def group_codes(group: CodeGroup) -> list[int]:
    """Ids of the codes in a group and all its subgroups."""
    wanted = subtree(group)
    with scope(organisation=group.organisation):
        return list(Code.objects.filter(group_id__in=wanted).values_list("id", flat=True))


def units_of_group(group: CodeGroup) -> list[MeaningUnit]:
    """The meaning units coded with any code of the group or its subgroups, decontextualised."""
    with scope(organisation=group.organisation):
        return list(MeaningUnit.objects.filter(codes__in=group_codes(group)).distinct()
                    .select_related("document", "author").order_by("document__title", "start"))


def with_codes(units: list[MeaningUnit]) -> list[MeaningUnit]:
    """Give each unit ``code_list``, its codes by name, in one query for all of them
    (a prefetch builds a queryset per unit, which costs more than the query)."""
    if not units:
        return units
    with scope(organisation=units[0].organisation):
        pairs = list(MeaningUnit.codes.through.objects.filter(meaningunit__in=[u.pk for u in units])
                     .values_list("meaningunit_id", "code_id"))
        codes = {c.pk: c for c in Code.objects.filter(pk__in={c for _u, c in pairs})}
    by_unit: dict[int, list[Code]] = defaultdict(list)
    for unit_id, code_id in pairs:
        by_unit[unit_id].append(codes[code_id])
    for unit in units:
        unit.code_list = sorted(by_unit[unit.pk], key=lambda c: c.name)  # type: ignore[attr-defined]
    return units


def units_of_document(document: Document) -> list[MeaningUnit]:
    with scope(organisation=document.organisation):
        units = list(MeaningUnit.objects.filter(document=document).select_related("author"))
    return with_codes(units)


def speakers_of(project: Project, *, with_key: bool) -> list[tuple[Speaker, str]]:
    """Pseudonyms, with the real name only when ``with_key`` (the lead's view)."""
    with scope(organisation=project.organisation):
        speakers = list(Speaker.objects.filter(project=project).select_related("key"))
    return [(s, s.key.real_name if with_key and hasattr(s, "key") else "") for s in speakers]


def recent_actions(project: Project, actor: Any, limit: int = 10) -> list[CodingAction]:
    with scope(organisation=project.organisation):
        return list(CodingAction.objects.filter(project=project, actor=actor)
                    .select_related("unit")[:limit])


@dataclass(frozen=True)
class CodeAgreement:
    code: Code
    result: Agreement


def compare(document: Document, first: Any, second: Any) -> list[CodeAgreement]:
    """Agreement per code between two analysts' units in one document."""
    with scope(organisation=document.organisation):
        rows = list(MeaningUnit.codes.through.objects.filter(
            meaningunit__document=document, meaningunit__author__in=[first, second])
            .values_list("code_id", "meaningunit__author_id", "meaningunit__start", "meaningunit__end"))
        codes = {c.pk: c for c in Code.objects.filter(pk__in={r[0] for r in rows})}
    spans: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for code_id, author_id, start, end in rows:
        spans[code_id][author_id].append((start, end))
    length = len(document.text)
    return [CodeAgreement(code=codes[c], result=agreement(length, spans[c][first.pk], spans[c][second.pk]))
            for c in sorted(codes, key=lambda c: codes[c].name)]
