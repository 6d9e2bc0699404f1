"""Roles through the API: the same funnels, services, classification and checks as the
pages. Writes name the version they are based on; a stale one answers 409, and so does
a write the role's or document's state refuses (archived, final, confirmed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from peerwork.api.auth import AUTH
from peerwork.api.schemas import Message
from peerwork.orgs.queries import get_organisation_for
from peerwork.roles import documents, queries, services
from peerwork.roles.models import MAX_DOCUMENT, MAX_TEXT, DocumentVersion, RoleDesign

router = Router(tags=["roles"], auth=AUTH)


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys(errors, Message)}


class RoleIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    form: str = Field(max_length=60, description="role_form.peer_support_worker or role_form.care_provider")
    team: str = Field(min_length=1, max_length=200)
    target_group: str = Field(min_length=1, max_length=MAX_TEXT)
    lived_experience: str = Field(min_length=1, max_length=MAX_TEXT)
    experience_matches: bool = False
    involvement: dict[str, list[str]] = Field(
        default_factory=dict, description="service_cycle.* phase id -> involvement_level.* ids")
    functions: list[str] = Field(default_factory=list, description="model4.function.* ids")
    tasks: str = Field(default="", max_length=MAX_TEXT)
    peer_workers_in_team: int = Field(default=1, ge=1, le=100)
    experienced: bool = False
    former_client_of_unit: bool = False
    peer_on_hiring_committee: bool = False
    senior_peer_supervision: bool = False
    absence_policy_agreed: bool = False
    information_sharing: str = Field(default="", max_length=20,
                                     description='"", "consent_only" or "medical_file"')
    annual_salary_nok: int | None = Field(default=None, ge=1, le=10_000_000)
    contact_person: str = Field(default="", max_length=200,
                                description="Name of the contact person in the team")
    buddy: str = Field(default="", max_length=200,
                       description="Name of the buddy or mentor, ideally a senior peer worker")
    supervisor: str = Field(default="", max_length=200,
                            description="Name of the external supervisor or coach")
    peer_worker_id: int | None = None


class RoleUpdate(RoleIn):
    version: int = Field(description="The version the change is based on")


class NextStepOut(Schema):
    code: str
    element_id: str
    text: str


class ClassificationOut(Schema):
    peer_role: str
    mode: str | None
    transformative_potential: int
    scale_max: int
    next_steps: list[NextStepOut]


class FindingOut(Schema):
    code: str
    element_id: str
    also: list[str]
    message: str
    source_document: str
    source_lines: str


class RoleOut(Schema):
    id: int
    version: int
    title: str
    form: str
    team: str
    target_group: str
    lived_experience: str
    experience_matches: bool
    involvement: dict[str, list[str]]
    functions: list[str]
    tasks: str
    peer_workers_in_team: int
    experienced: bool
    former_client_of_unit: bool
    peer_on_hiring_committee: bool
    senior_peer_supervision: bool
    absence_policy_agreed: bool
    information_sharing: str
    annual_salary_nok: int | None
    contact_person: str
    buddy: str
    supervisor: str
    peer_worker_id: int | None
    archived: dt.datetime | None = Field(description="When the role was archived; null while in use")
    classification: ClassificationOut
    findings: list[FindingOut]


class DocumentIn(Schema):
    based_on: int | None = Field(description="Number of the latest version you saw; null for the first")
    title: str | None = Field(default=None, max_length=200,
                              description="Omit title and body to draft from the design")
    body: str | None = Field(default=None, max_length=MAX_DOCUMENT)


class ReviseIn(Schema):
    based_on: int = Field(description="Number of the final version the new one starts from")


class ConfirmIn(Schema):
    number: int
    side: str = Field(description='"manager" or "peer_worker"')


class DocumentOut(Schema):
    kind: str
    language: str
    number: int
    title: str
    body: str
    created: dt.datetime
    manager_confirmed: dt.datetime | None
    peer_confirmed: dt.datetime | None
    final: bool
    design_changed: list[str] = Field(
        description="Design fields this document is drafted from that changed since this "
                    "version was saved ('organisation' is the organisation's name)")
    pdf_url: str


def _role_out(role: RoleDesign) -> RoleOut:
    from peerwork.framework.library import get_library  # noqa: PLC0415 - loaded once anyway
    from peerwork.roles.phrases import NEXT_STEPS  # noqa: PLC0415

    analysis = queries.analyse(role)
    library = get_library()
    c = analysis.classification
    return RoleOut(
        id=role.pk, version=role.version, archived=role.archived,
        **{name: getattr(role, name) for name in services.DESIGN_FIELDS if name != "peer_worker"},
        peer_worker_id=role.peer_worker_id,
        classification=ClassificationOut(
            peer_role=c.peer_role, mode=c.mode, transformative_potential=c.potential, scale_max=3,
            next_steps=[NextStepOut(code=s.code, element_id=s.element_id, text=str(NEXT_STEPS[s.code]))
                        for s in c.next_steps]),
        findings=[FindingOut(code=f.code, element_id=f.element_id, also=list(f.also),
                             message=f.message,
                             source_document=library.elements[f.element_id].source.document,
                             source_lines=library.elements[f.element_id].source.lines)
                  for f in analysis.findings])


def _document_out(role: RoleDesign, version: DocumentVersion) -> DocumentOut:
    return DocumentOut(
        kind=version.kind, language=version.language, number=version.number, title=version.title,
        body=version.body, created=version.created, manager_confirmed=version.manager_confirmed,
        peer_confirmed=version.peer_confirmed, final=version.is_final,
        design_changed=documents.changed_since(version.kind, role, version.design_snapshot),
        pdf_url=f"/api/v1/organisations/{role.organisation.slug}/roles/{role.pk}/documents/"
                f"{version.kind}/{version.language}/pdf?v={version.number}")


def _design(payload: RoleIn, organisation: Any) -> dict[str, Any]:
    data = payload.dict(exclude={"version", "peer_worker_id"})
    data["peer_worker"] = None
    if payload.peer_worker_id is not None:
        data["peer_worker"] = get_user_model().objects.filter(pk=payload.peer_worker_id).first()
        if data["peer_worker"] is None:
            raise HttpError(400, "peer_worker_id is not a peer worker in this organisation")
    return data


def _role(request: HttpRequest, slug: str, role_id: int, *, write: bool = False,
          perm: str = queries.VIEW) -> RoleDesign:
    organisation = get_organisation_for(request.user, slug, perm=perm)
    return queries.get_role_for(request.user, organisation, role_id, write=write)


@contextmanager
def _conflicts_as_409(stale: str = "") -> Iterator[None]:
    """A stale write, or one the role's or document's state refuses, answers 409 (``stale``
    says what to do, with {current} for the latest version); bad input stays 400."""
    try:
        yield
    except services.StaleVersion as exc:
        raise HttpError(409, stale.format(current=exc.current)) from exc
    except ValidationError as exc:
        if services.is_conflict(exc):
            raise HttpError(409, " ".join(exc.messages)) from exc
        raise


@router.get("/{slug}/roles", response=_responses({200: list[RoleOut]}, 401, 403, 404),
            summary="The organisation's role designs in use (archived ones with archived=true), "
                    "classified and checked")
def list_roles(request: HttpRequest, slug: str, archived: bool = False) -> list[RoleOut]:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    return [_role_out(r) for r in queries.roles_of(organisation, archived=archived)]


@router.post("/{slug}/roles", response=_responses({201: RoleOut}, 400, 401, 403, 404, 422),
             summary="Design a role (managers)")
def create_role(request: HttpRequest, slug: str, payload: RoleIn) -> Status[RoleOut]:
    organisation = get_organisation_for(request.user, slug, perm=queries.DESIGN)
    role = services.create_role(actor=request.user, organisation=organisation,
                                data=_design(payload, organisation))
    return Status(201, _role_out(role))


@router.get("/{slug}/roles/{role_id}", response=_responses({200: RoleOut}, 401, 403, 404),
            summary="One role with its classification and the findings of every check")
def get_role(request: HttpRequest, slug: str, role_id: int) -> RoleOut:
    return _role_out(_role(request, slug, role_id))


@router.put("/{slug}/roles/{role_id}", response=_responses({200: RoleOut}, 400, 401, 403, 404, 409, 422),
            summary="Change a role's design; 409 when someone saved a newer version")
def update_role(request: HttpRequest, slug: str, role_id: int, payload: RoleUpdate) -> RoleOut:
    role = _role(request, slug, role_id, write=True)
    with _conflicts_as_409("Someone else saved version {current} in the meantime; read it and "
                           "send your change again based on it."):
        services.update_role(actor=request.user, role=role,
                             data=_design(payload, role.organisation), version=payload.version)
    return _role_out(role)


@router.post("/{slug}/roles/{role_id}/archive", response=_responses({200: RoleOut}, 401, 403, 404),
             summary="Archive a role (managers): out of the list, read-only until restored")
def archive_role(request: HttpRequest, slug: str, role_id: int) -> RoleOut:
    role = _role(request, slug, role_id, perm="roles.archive_role")
    return _role_out(services.archive_role(actor=request.user, role=role))


@router.post("/{slug}/roles/{role_id}/restore", response=_responses({200: RoleOut}, 401, 403, 404),
             summary="Restore an archived role (managers)")
def restore_role(request: HttpRequest, slug: str, role_id: int) -> RoleOut:
    role = _role(request, slug, role_id, perm="roles.archive_role")
    return _role_out(services.restore_role(actor=request.user, role=role))


@router.delete("/{slug}/roles/{role_id}", response=_responses({204: None}, 401, 403, 404, 409),
               summary="Delete a role made by mistake (managers); 409 when a document of it "
                       "was confirmed: archive it instead")
def delete_role(request: HttpRequest, slug: str, role_id: int) -> Status[None]:
    role = _role(request, slug, role_id, perm="roles.delete_role")
    with _conflicts_as_409():
        services.delete_role(actor=request.user, role=role)
    return Status(204, None)


@router.get("/{slug}/roles/{role_id}/documents/{doc_kind}/{lang}",
            response=_responses({200: list[DocumentOut]}, 401, 403, 404),
            summary="Every version of one document, newest first")
def document_versions(request: HttpRequest, slug: str, role_id: int, doc_kind: str,
                      lang: str) -> list[DocumentOut]:
    role = _role(request, slug, role_id)
    return [_document_out(role, v) for v in queries.versions_of(role, doc_kind, lang)]


@router.post("/{slug}/roles/{role_id}/documents/{doc_kind}/{lang}",
             response=_responses({201: DocumentOut}, 400, 401, 403, 404, 409, 422),
             summary="Save a new version, or draft one from the design when title and body are omitted")
def save_document(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str,
                  payload: DocumentIn) -> Status[DocumentOut]:
    role = _role(request, slug, role_id, write=True)
    queries.versions_of(role, doc_kind, lang)  # 404 for an unknown kind or language
    with _conflicts_as_409("The latest version is {current}; base your change on it."):
        version = services.save_document(actor=request.user, role=role, kind=doc_kind,
                                         language=lang, based_on=payload.based_on,
                                         title=payload.title, body=payload.body)
    return Status(201, _document_out(role, version))


@router.post("/{slug}/roles/{role_id}/documents/{doc_kind}/{lang}/revise",
             response=_responses({201: DocumentOut}, 400, 401, 403, 404, 409, 422),
             summary="Start a new version of a final document from its text; the final one "
                     "stays in force until both confirm the new one")
def revise_document(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str,
                    payload: ReviseIn) -> Status[DocumentOut]:
    role = _role(request, slug, role_id, write=True)
    queries.versions_of(role, doc_kind, lang)  # 404 for an unknown kind or language
    with _conflicts_as_409("The latest version is {current}; only the latest version, when "
                           "it is final, is revised."):
        version = services.revise_document(actor=request.user, role=role, kind=doc_kind,
                                           language=lang, based_on=payload.based_on)
    return Status(201, _document_out(role, version))


@router.post("/{slug}/roles/{role_id}/documents/{doc_kind}/{lang}/confirm",
             response=_responses({200: DocumentOut}, 400, 401, 403, 404, 409, 422),
             summary="Confirm the latest version as the manager or as the peer worker in the role")
def confirm_document(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str,
                     payload: ConfirmIn) -> DocumentOut:
    role = _role(request, slug, role_id)
    queries.versions_of(role, doc_kind, lang)
    if payload.side not in services.can_confirm_as(request.user, role):
        raise HttpError(404, "Not Found")
    with _conflicts_as_409("The latest version is {current}; read it before you confirm."):
        version = services.confirm_document(actor=request.user, role=role, kind=doc_kind,
                                            language=lang, number=payload.number, side=payload.side)
    return _document_out(role, version)

@router.get("/{slug}/roles/{role_id}/documents/{doc_kind}/{lang}/pdf",
            response={200: None, 401: Message, 403: Message, 404: Message},
            summary="One version of a document as a PDF (the latest without v)",
            openapi_extra={"responses": {200: {"description": "PDF",
                                               "content": {"application/pdf": {}}}}})
def document_pdf(request: HttpRequest, slug: str, role_id: int, doc_kind: str, lang: str,
                 v: int | None = None) -> HttpResponse:
    role = _role(request, slug, role_id)
    versions = queries.versions_of(role, doc_kind, lang)
    shown = versions[0] if v is None and versions else next((x for x in versions if x.number == v), None)
    if shown is None:
        raise HttpError(404, "Not Found")
    from peerwork.reports.render import render_pdf  # noqa: PLC0415 - WeasyPrint on demand
    from peerwork.roles.documents import to_html  # noqa: PLC0415
    from peerwork.roles.enums import DocumentKind, Language  # noqa: PLC0415

    pdf = render_pdf("roles/document_pdf.html", {
        "organisation": role.organisation, "role": role, "document": shown,
        "kind_label": DocumentKind(doc_kind).label, "language_label": Language(lang).label,
        "body_html": to_html(shown.body)}, language=lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="peerwork-role-{role.pk}-{doc_kind}-{lang}-v{shown.number}.pdf"')
    return response
