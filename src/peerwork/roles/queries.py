"""Reads of role designs: access funnels, analysis and document versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django_scopes import scope

from peerwork.orgs.enums import Role
from peerwork.orgs.models import Membership, Organisation
from peerwork.roles.checks import Finding, RoleFacts, check_role
from peerwork.roles.classification import Classification, classify
from peerwork.roles.enums import DocumentKind, Language
from peerwork.roles.models import DocumentVersion, RoleDesign
from peerwork.roles.pay import PayBenchmark, national_pay_benchmark

VIEW = "roles.view_role"
DESIGN = "roles.design_role"


def get_role_for(user: Any, organisation: Organisation, role_id: int, *, write: bool = False
                 ) -> RoleDesign:
    """The role if ``user`` may see it (or, with ``write``, edit it); 404 alike otherwise.
    Managers edit every role; the peer worker named in a role edits that one."""
    if not user.has_perm(VIEW, organisation):
        raise Http404
    with scope(organisation=organisation):
        found = (RoleDesign.objects.filter(organisation=organisation, pk=role_id)
                 .select_related("organisation", "peer_worker").first())
    if found is None or (write and not can_edit(user, found)):
        raise Http404
    return found


def can_edit(user: Any, role: RoleDesign) -> bool:
    return bool(user.has_perm(DESIGN, role.organisation)
                or (role.peer_worker_id is not None and role.peer_worker_id == user.pk))


def roles_of(organisation: Organisation, *, archived: bool = False) -> list[RoleDesign]:
    """The roles in use, or with ``archived`` the archived ones."""
    with scope(organisation=organisation):
        return list(RoleDesign.objects.filter(organisation=organisation,
                                              archived__isnull=not archived))


def archived_count(organisation: Organisation) -> int:
    with scope(organisation=organisation):
        return RoleDesign.objects.filter(organisation=organisation, archived__isnull=False).count()


def peer_workers_of(organisation: Organisation) -> list[Any]:
    with scope(organisation=organisation):
        return [m.user for m in Membership.objects.filter(
            organisation=organisation, is_active=True, role=Role.PEER_WORKER).select_related("user")]


def facts_of(role: RoleDesign) -> RoleFacts:
    return RoleFacts(
        form=role.form, peer_workers_in_team=role.peer_workers_in_team,
        experienced=role.experienced, former_client_of_unit=role.former_client_of_unit,
        peer_on_hiring_committee=role.peer_on_hiring_committee,
        senior_peer_supervision=role.senior_peer_supervision,
        absence_policy_agreed=role.absence_policy_agreed,
        information_sharing=role.information_sharing,
        experience_matches=role.experience_matches, annual_salary_nok=role.annual_salary_nok,
        buddy_named=bool(role.buddy))


@dataclass(frozen=True)
class Analysis:
    classification: Classification
    findings: list[Finding]
    benchmark: PayBenchmark | None


def analyse(role: RoleDesign) -> Analysis:
    """The role's classification and the findings of every check."""
    benchmark = national_pay_benchmark()
    return Analysis(
        classification=classify(involvement=role.involvement, functions=role.functions),
        findings=check_role(facts_of(role),
                            pay_benchmark_nok=benchmark.annual_nok if benchmark else None),
        benchmark=benchmark)


def analyse_each(roles: list[RoleDesign]) -> list[tuple[RoleDesign, Analysis]]:
    """Each role with its analysis, looking the pay benchmark up once for them all."""
    benchmark = national_pay_benchmark()
    pay = benchmark.annual_nok if benchmark else None
    return [(role, Analysis(
        classification=classify(involvement=role.involvement, functions=role.functions),
        findings=check_role(facts_of(role), pay_benchmark_nok=pay), benchmark=benchmark))
        for role in roles]


@dataclass(frozen=True)
class DocumentState:
    latest: DocumentVersion
    final: DocumentVersion | None  # the newest version both confirmed: the one in force


def document_states(role: RoleDesign) -> dict[tuple[str, str], DocumentState]:
    """For each (kind, language) the role has: its latest version and the one in force."""
    with scope(organisation=role.organisation):
        rows = list(DocumentVersion.objects.filter(role=role)
                    .order_by("kind", "language", "-number"))
    states: dict[tuple[str, str], DocumentState] = {}
    for row in rows:
        key = (row.kind, row.language)
        if key not in states:
            states[key] = DocumentState(latest=row, final=row if row.is_final else None)
        elif states[key].final is None and row.is_final:
            states[key] = DocumentState(latest=states[key].latest, final=row)
    return states


def confirmed_documents(role: RoleDesign) -> list[DocumentVersion]:
    """The role's document versions that someone confirmed: they keep it from deletion."""
    with scope(organisation=role.organisation):
        rows = DocumentVersion.objects.filter(role=role).order_by("kind", "language", "number")
        return [v for v in rows if v.is_confirmed]


def has_versions(role: RoleDesign, kind: str, language: str) -> bool:
    with scope(organisation=role.organisation):
        return DocumentVersion.objects.filter(role=role, kind=kind, language=language).exists()


def version_count(role: RoleDesign) -> int:
    with scope(organisation=role.organisation):
        return DocumentVersion.objects.filter(role=role).count()


def versions_of(role: RoleDesign, kind: str, language: str) -> list[DocumentVersion]:
    """Every version of one document, newest first; 404 for an unknown kind or language."""
    if kind not in DocumentKind.values or language not in Language.values:
        raise Http404
    with scope(organisation=role.organisation):
        return list(DocumentVersion.objects.filter(role=role, kind=kind, language=language)
                    .select_related("manager_confirmed_by", "peer_confirmed_by", "created_by")
                    .order_by("-number"))
