"""Qualitative analysis through the API: the same funnel and services as the pages.

Files travel as base64 in JSON (``content_base64``), so every operation takes JSON.
The code key is returned only to the project's lead.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django_scopes import scope
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from peerwork.api.auth import AUTH
from peerwork.api.schemas import Message
from peerwork.orgs.queries import get_organisation_for
from peerwork.qualitative import codebook_changes, exporters, queries, refi, services, waves
from peerwork.qualitative.importers import MAX_BYTES, ImportFailed
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    Comment,
    Condensate,
    Document,
    Impression,
    MeaningUnit,
    Memo,
    Project,
    ProjectMember,
    Theme,
)
from peerwork.qualitative.rules import CODE, COMMENT, LEAD, VIEW

router = Router(tags=["qualitative"], auth=AUTH)
PROJECT = "/{slug}/analysis/projects/{project_id}"


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    # 403: a browser session's write without its CSRF token; 413: a body over the size limit.
    return {**ok, **dict.fromkeys({*errors, 403, 413}, Message)}


def _project(request: HttpRequest, slug: str, project_id: int,
             roles: frozenset[str] = VIEW) -> tuple[Project, str]:
    organisation = get_organisation_for(request.user, slug)
    return queries.get_project_for(request.user, organisation, project_id, roles=roles)


def _decode(content: str, limit: int) -> bytes:
    if len(content) > limit * 4 // 3 + 8:
        raise HttpError(413, "the file is too large")
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HttpError(400, "content_base64 is not valid base64") from exc


def _invalid(exc: ValidationError) -> HttpError:
    return HttpError(400, " ".join(exc.messages))


class ProjectIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)


class ProjectOut(Schema):
    id: int
    title: str
    description: str
    role: str
    documents: int
    units: int
    codes: int


class MemberIn(Schema):
    user_id: int
    role: str | None = Field(default=None, description="lead, analyst, validator, viewer; null removes")


class MemberOut(Schema):
    user_id: int
    email: str
    role: str


class TranscriptIn(Schema):
    filename: str = Field(min_length=1, max_length=200, description="its extension decides the reader")
    content_base64: str
    title: str = Field(default="", max_length=200)


class TranscriptOut(Schema):
    id: int
    title: str
    kind: str
    length: int = Field(description="length of text in Unicode code points")
    attributes: dict[str, str]


class UnitIn(Schema):
    start: int = Field(ge=0, description="code-point offset into the document's stored (NFC) text")
    end: int = Field(ge=1, description="exclusive")
    code_ids: list[int] = []


class UnitOut(Schema):
    id: int
    document_id: int
    start: int
    end: int
    text: str
    code_ids: list[int]
    author: str


class DocumentDetailOut(TranscriptOut):
    text: str
    units: list[UnitOut]


class CodeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    group_id: int | None = None
    description: str = Field(default="", max_length=4000)


class CodeOut(Schema):
    id: int
    name: str
    group_id: int | None
    description: str


class GroupIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    parent_id: int | None = None
    description: str = Field(default="", max_length=4000)


class CodePatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    group_id: int | None = Field(default=None, description="null takes the code out of its group; "
                                                           "leave it out to keep the group")


class CodeGroupPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_id: int | None = Field(default=None, description="null moves the group to the top level; "
                                                            "leave it out to keep its place")


class CodeGroupOut(Schema):
    id: int
    name: str
    parent_id: int | None
    description: str


class CondensateIn(Schema):
    text: str = Field(default="", max_length=20000)
    golden_quote_id: int | None = None


class CondensateOut(Schema):
    group_id: int
    text: str
    golden_quote_id: int | None
    unit_ids: list[int]


class StatementIn(Schema):
    text: str = Field(min_length=1, max_length=4000)
    source_ids: list[int]


class StatementOut(Schema):
    id: int
    text: str
    source_ids: list[int]


class CommentIn(Schema):
    step: int = Field(ge=1, le=4)
    text: str = Field(min_length=1, max_length=4000)


class CommentOut(Schema):
    id: int
    step: int
    text: str
    author: str


class AgreementOut(Schema):
    code_id: int
    code: str
    characters: int
    first: int
    second: int
    both: int
    percent: float
    kappa: float | None


class SpeakerOut(Schema):
    pseudonym: str
    real_name: str | None = Field(description="the code key; present for the project's lead only")


class SurveyAnswerIn(Schema):
    text: str = Field(max_length=20000)
    attributes: dict[str, str] = {}


class SurveyIn(Schema):
    title: str = Field(min_length=1, max_length=150)
    answers: list[SurveyAnswerIn] = Field(description="at most 20,000; the body at most 10 MB")


class QdpxIn(Schema):
    content_base64: str


class ImportedOut(Schema):
    documents: int
    codes: int
    units: int
    memos: int


class UndoOut(Schema):
    undone: str | None


def _project_out(project: Project, role: str) -> ProjectOut:
    overview = queries.overview(project)
    return ProjectOut(id=project.pk, title=project.title, description=project.description, role=role,
                      documents=len(overview.documents), units=overview.units, codes=overview.codes)


def _document_out(document: Document, length: int) -> TranscriptOut:
    return TranscriptOut(id=document.pk, title=document.title, kind=document.kind, length=length,
                       attributes=document.attributes)


def _unit_out(unit: MeaningUnit) -> UnitOut:
    # An uncoded unit's code_list is empty, not missing: asking the database again would
    # run outside the scope.
    codes = unit.code_list if hasattr(unit, "code_list") else unit.codes.all()
    return UnitOut(id=unit.pk, document_id=unit.document_id, start=unit.start, end=unit.end,
                   text=unit.text, code_ids=sorted(c.pk for c in codes),
                   author=(unit.author.name or unit.author.email) if unit.author else "")


def _code_out(code: Code) -> CodeOut:
    return CodeOut(id=code.pk, name=code.name, group_id=code.group_id, description=code.description)


def _group_out(group: CodeGroup) -> CodeGroupOut:
    return CodeGroupOut(id=group.pk, name=group.name, parent_id=group.parent_id,
                        description=group.description)


@router.get("/{slug}/analysis/projects", response=_responses({200: list[ProjectOut]}, 401, 404),
            summary="Your analysis projects in the organisation")
def list_projects(request: HttpRequest, slug: str) -> list[ProjectOut]:
    organisation = get_organisation_for(request.user, slug)
    return [_project_out(p, r) for p, r in queries.projects_of(request.user, organisation)]


@router.post("/{slug}/analysis/projects", response=_responses({201: ProjectOut}, 400, 401, 404, 422),
             summary="Start an analysis project; you become its lead")
def create_project(request: HttpRequest, slug: str, payload: ProjectIn) -> Status[ProjectOut]:
    organisation = get_organisation_for(request.user, slug, perm="qualitative.create_project")
    try:
        project = services.create_project(actor=request.user, organisation=organisation, **payload.dict())
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, _project_out(project, "lead"))


@router.get(PROJECT, response=_responses({200: ProjectOut}, 401, 404), summary="One project")
def get_project(request: HttpRequest, slug: str, project_id: int) -> ProjectOut:
    return _project_out(*_project(request, slug, project_id))


@router.get(PROJECT + "/members", response=_responses({200: list[MemberOut]}, 401, 404),
            summary="The project team")
def list_members(request: HttpRequest, slug: str, project_id: int) -> list[MemberOut]:
    project, _role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        rows = list(ProjectMember.objects.filter(project=project).select_related("user"))
    return [MemberOut(user_id=m.user_id, email=m.user.email, role=m.role) for m in rows]


@router.post(PROJECT + "/members", response=_responses({200: list[MemberOut]}, 400, 401, 404),
             summary="Give an organisation member a project role, or remove them (lead)")
def set_member(request: HttpRequest, slug: str, project_id: int, payload: MemberIn) -> list[MemberOut]:
    project, _role = _project(request, slug, project_id, LEAD)
    try:
        services.set_member(actor=request.user, project=project, user_id=payload.user_id, role=payload.role)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return list_members(request, slug, project_id)


@router.get(PROJECT + "/documents", response=_responses({200: list[TranscriptOut]}, 401, 404),
            summary="The project's documents")
def list_documents(request: HttpRequest, slug: str, project_id: int) -> list[TranscriptOut]:
    project, _role = _project(request, slug, project_id)
    from django.db.models.functions import Length  # noqa: PLC0415 - only this read needs it

    with scope(organisation=project.organisation):
        rows = list(Document.objects.filter(project=project).defer("text").annotate(n=Length("text")))
    return [_document_out(d, d.n) for d in rows]


@router.post(PROJECT + "/documents",
             response=_responses({201: TranscriptOut}, 400, 401, 404, 413, 422),
             summary="Import a file: .txt, .docx, .odt, .pdf (with text), .vtt or .srt")
def import_document(request: HttpRequest, slug: str, project_id: int,
                    payload: TranscriptIn) -> Status[TranscriptOut]:
    project, _role = _project(request, slug, project_id, CODE)
    data = _decode(payload.content_base64, MAX_BYTES)
    try:
        document = services.import_document(actor=request.user, project=project,
                                             filename=payload.filename, data=data, title=payload.title)
    except ImportFailed as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _document_out(document, len(document.text)))


@router.post(PROJECT + "/survey-answers",
             response=_responses({201: list[TranscriptOut]}, 400, 401, 404, 422),
             summary="Import free-text answers, one document each; rare case attributes are suppressed")
def import_survey(request: HttpRequest, slug: str, project_id: int,
                  payload: SurveyIn) -> Status[list[TranscriptOut]]:
    project, _role = _project(request, slug, project_id, CODE)
    if len(payload.answers) > 20000:
        raise HttpError(400, "at most 20,000 answers at a time")
    documents = services.import_survey_texts(
        actor=request.user, project=project, title=payload.title,
        answers=[(a.text, a.attributes) for a in payload.answers], k=settings.PEERWORK_MIN_CELL)
    return Status(201, [_document_out(d, len(d.text)) for d in documents])


@router.get(PROJECT + "/documents/{document_id}",
            response=_responses({200: DocumentDetailOut}, 401, 404),
            summary="A document's text and meaning units (offsets in code points)")
def get_document(request: HttpRequest, slug: str, project_id: int, document_id: int) -> DocumentDetailOut:
    project, _role = _project(request, slug, project_id)
    document = queries.get_in_project(Document, project, document_id)
    return DocumentDetailOut(
        id=document.pk, title=document.title, kind=document.kind, length=len(document.text),
        attributes=document.attributes, text=document.text,
        units=[_unit_out(u) for u in queries.units_of_document(document)])


@router.post(PROJECT + "/documents/{document_id}/units",
             response=_responses({201: UnitOut}, 400, 401, 404, 422),
             summary="Mark and code a meaning unit")
def mark_unit(request: HttpRequest, slug: str, project_id: int, document_id: int,
              payload: UnitIn) -> Status[UnitOut]:
    project, _role = _project(request, slug, project_id, CODE)
    document = queries.get_in_project(Document, project, document_id)
    try:
        unit = services.mark_unit(actor=request.user, document=document, start=payload.start,
                                  end=payload.end, code_ids=payload.code_ids)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    with scope(organisation=project.organisation):
        return Status(201, _unit_out(unit))


@router.delete(PROJECT + "/units/{unit_id}", response=_responses({204: None}, 401, 404),
               summary="Delete a meaning unit (your own, or any as lead)")
def delete_unit(request: HttpRequest, slug: str, project_id: int, unit_id: int) -> Status[None]:
    project, role = _project(request, slug, project_id, CODE)
    unit = queries.get_in_project(MeaningUnit, project, unit_id)
    if role not in LEAD and unit.author_id != request.user.pk:
        raise HttpError(404, "Not Found")
    services.delete_unit(actor=request.user, unit=unit)
    return Status(204, None)


@router.post(PROJECT + "/undo", response=_responses({200: UndoOut}, 401, 404),
             summary="Undo your latest coding action")
def undo(request: HttpRequest, slug: str, project_id: int) -> UndoOut:
    project, _role = _project(request, slug, project_id, CODE)
    action = services.undo_last(actor=request.user, project=project)
    return UndoOut(undone=action.kind if action else None)


@router.get(PROJECT + "/codes", response=_responses({200: list[CodeOut]}, 401, 404), summary="Codes")
def list_codes(request: HttpRequest, slug: str, project_id: int) -> list[CodeOut]:
    project, _role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        return [_code_out(c) for c in Code.objects.filter(project=project)]


@router.post(PROJECT + "/codes", response=_responses({201: CodeOut}, 400, 401, 404, 422),
             summary="Add a code")
def create_code(request: HttpRequest, slug: str, project_id: int, payload: CodeIn) -> Status[CodeOut]:
    project, _role = _project(request, slug, project_id, CODE)
    try:
        code = services.create_code(actor=request.user, project=project, **payload.dict())
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, _code_out(code))


@router.get(PROJECT + "/groups", response=_responses({200: list[CodeGroupOut]}, 401, 404),
            summary="Code groups and subgroups")
def list_groups(request: HttpRequest, slug: str, project_id: int) -> list[CodeGroupOut]:
    project, _role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        return [_group_out(g) for g in CodeGroup.objects.filter(project=project)]


@router.post(PROJECT + "/groups", response=_responses({201: CodeGroupOut}, 400, 401, 404, 422),
             summary="Add a code group, or a subgroup with parent_id")
def create_group(request: HttpRequest, slug: str, project_id: int, payload: GroupIn) -> Status[CodeGroupOut]:
    project, _role = _project(request, slug, project_id, CODE)
    try:
        group = services.create_group(actor=request.user, project=project, **payload.dict())
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, _group_out(group))


@router.patch(PROJECT + "/codes/{code_id}", response=_responses({200: CodeOut}, 400, 401, 404, 422),
              summary="Rename a code, or move it to another group (both at once, or neither)")
def change_code(request: HttpRequest, slug: str, project_id: int, code_id: int,
                payload: CodePatch) -> CodeOut:
    project, _role = _project(request, slug, project_id, CODE)
    code = queries.get_in_project(Code, project, code_id)
    given = payload.model_fields_set
    try:
        with transaction.atomic():
            if "name" in given and payload.name is not None:
                codebook_changes.rename_code(actor=request.user, code=code, name=payload.name)
            if "group_id" in given:
                codebook_changes.move_code(actor=request.user, code=code, group_id=payload.group_id)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return _code_out(code)


@router.delete(PROJECT + "/codes/{code_id}", response=_responses({204: None}, 401, 404),
               summary="Delete a code; its meaning units stay, without it (uncoded if it was "
                       "their only code), and memos about it become memos on the project")
def delete_code(request: HttpRequest, slug: str, project_id: int, code_id: int) -> Status[None]:
    project, _role = _project(request, slug, project_id, CODE)
    code = queries.get_in_project(Code, project, code_id)
    codebook_changes.delete_code(actor=request.user, code=code)
    return Status(204, None)


@router.patch(PROJECT + "/groups/{group_id}", response=_responses({200: CodeGroupOut}, 400, 401, 404, 422),
              summary="Rename a code group, or move it under another group or to the top level")
def change_group(request: HttpRequest, slug: str, project_id: int, group_id: int,
                 payload: CodeGroupPatch) -> CodeGroupOut:
    project, _role = _project(request, slug, project_id, CODE)
    group = queries.get_in_project(CodeGroup, project, group_id)
    given = payload.model_fields_set
    try:
        with transaction.atomic():
            # Renaming first, so that a group can take a name that fits among its new neighbours.
            if "name" in given and payload.name is not None:
                codebook_changes.rename_group(actor=request.user, group=group, name=payload.name)
            if "parent_id" in given:
                codebook_changes.move_group(actor=request.user, group=group, parent_id=payload.parent_id)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return _group_out(group)


@router.delete(PROJECT + "/groups/{group_id}", response=_responses({204: None}, 400, 401, 404),
               summary="Delete an empty code group (no codes, no subgroups, no written steps 3 or 4)")
def delete_group(request: HttpRequest, slug: str, project_id: int, group_id: int) -> Status[None]:
    project, _role = _project(request, slug, project_id, CODE)
    group = queries.get_in_project(CodeGroup, project, group_id)
    try:
        codebook_changes.delete_group(actor=request.user, group=group)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(204, None)


def _condensate_out(group: CodeGroup) -> CondensateOut:
    with scope(organisation=group.organisation):
        condensate = Condensate.objects.filter(group=group).first()
    units = queries.units_of_group(group)
    return CondensateOut(group_id=group.pk, text=condensate.text if condensate else "",
                         golden_quote_id=condensate.golden_quote_id if condensate else None,
                         unit_ids=[u.pk for u in units])


@router.get(PROJECT + "/groups/{group_id}/condensate",
            response=_responses({200: CondensateOut}, 401, 404),
            summary="Step 3: a group's condensate and its meaning units")
def get_condensate(request: HttpRequest, slug: str, project_id: int, group_id: int) -> CondensateOut:
    project, _role = _project(request, slug, project_id)
    return _condensate_out(queries.get_in_project(CodeGroup, project, group_id))


@router.put(PROJECT + "/groups/{group_id}/condensate",
            response=_responses({200: CondensateOut}, 400, 401, 404, 422),
            summary="Step 3: write the condensate and mark the golden quote")
def put_condensate(request: HttpRequest, slug: str, project_id: int, group_id: int,
                   payload: CondensateIn) -> CondensateOut:
    project, _role = _project(request, slug, project_id, CODE)
    group = queries.get_in_project(CodeGroup, project, group_id)
    try:
        services.save_condensate(actor=request.user, group=group, text=payload.text,
                                 golden_quote_id=payload.golden_quote_id)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return _condensate_out(group)


@router.post(PROJECT + "/groups/{group_id}/statements",
             response=_responses({201: StatementOut}, 400, 401, 404, 422),
             summary="Step 4: a synthesis statement linked to the passages it came from")
def add_statement(request: HttpRequest, slug: str, project_id: int, group_id: int,
                  payload: StatementIn) -> Status[StatementOut]:
    project, _role = _project(request, slug, project_id, CODE)
    group = queries.get_in_project(CodeGroup, project, group_id)
    try:
        statement = services.add_statement(actor=request.user, group=group, text=payload.text,
                                           source_ids=payload.source_ids)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, StatementOut(id=statement.pk, text=statement.text,
                                    source_ids=sorted(payload.source_ids)))


@router.get(PROJECT + "/comments", response=_responses({200: list[CommentOut]}, 401, 404),
            summary="Comments on the steps")
def list_comments(request: HttpRequest, slug: str, project_id: int) -> list[CommentOut]:
    project, _role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        rows = list(Comment.objects.filter(project=project).select_related("author"))
    return [CommentOut(id=c.pk, step=c.step, text=c.text,
                       author=(c.author.name or c.author.email) if c.author else "") for c in rows]


@router.post(PROJECT + "/comments", response=_responses({201: CommentOut}, 400, 401, 404, 422),
             summary="Comment on a step (validators, analysts, lead)")
def add_comment(request: HttpRequest, slug: str, project_id: int, payload: CommentIn) -> Status[CommentOut]:
    project, _role = _project(request, slug, project_id, COMMENT)
    try:
        comment = services.add_comment(actor=request.user, project=project, step=payload.step,
                                       text=payload.text)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, CommentOut(id=comment.pk, step=comment.step, text=comment.text,
                                  author=request.user.name or request.user.email))  # type: ignore[union-attr]


@router.get(PROJECT + "/documents/{document_id}/agreement",
            response=_responses({200: list[AgreementOut]}, 401, 404),
            summary="Two analysts' agreement per code on one document (character level); "
                    "first and second are project members' user ids")
def agreement(request: HttpRequest, slug: str, project_id: int, document_id: int,
              first: int = 0, second: int = 0) -> list[AgreementOut]:
    project, _role = _project(request, slug, project_id)
    document = queries.get_in_project(Document, project, document_id)
    with scope(organisation=project.organisation):
        members = {m.user_id: m.user for m in ProjectMember.objects.filter(
            project=project, user_id__in=[first, second]).select_related("user")}
    if first not in members or second not in members:
        raise HttpError(404, "Not Found")
    return [AgreementOut(code_id=r.code.pk, code=r.code.name, characters=r.result.length,
                         first=r.result.first, second=r.result.second, both=r.result.both,
                         percent=r.result.percent, kappa=r.result.kappa)
            for r in queries.compare(document, members[first], members[second])]


@router.get(PROJECT + "/speakers", response=_responses({200: list[SpeakerOut]}, 401, 404),
            summary="Pseudonyms; with the code key for the lead only")
def list_speakers(request: HttpRequest, slug: str, project_id: int) -> list[SpeakerOut]:
    project, role = _project(request, slug, project_id)
    lead = role in LEAD
    return [SpeakerOut(pseudonym=s.pseudonym, real_name=(name or None) if lead else None)
            for s, name in queries.speakers_of(project, with_key=lead)]


@router.delete(PROJECT + "/speakers/key", response=_responses({204: None}, 401, 404),
               summary="Delete the code key (lead)")
def delete_code_key(request: HttpRequest, slug: str, project_id: int) -> Status[None]:
    project, _role = _project(request, slug, project_id, LEAD)
    services.delete_code_key(actor=request.user, project=project)
    return Status(204, None)


@router.post(PROJECT + "/import-qdpx", response=_responses({201: ImportedOut}, 400, 401, 404, 413, 422),
             summary="Add a REFI-QDA project (.qdpx, base64) to this one (lead)")
def import_qdpx(request: HttpRequest, slug: str, project_id: int, payload: QdpxIn) -> Status[ImportedOut]:
    project, _role = _project(request, slug, project_id, LEAD)
    data = _decode(payload.content_base64, refi.MAX_QDPX_BYTES)
    try:
        counts = refi.import_qdpx(actor=request.user, project=project, data=data)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, ImportedOut(**counts))


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=10000)


class ImpressionOut(Schema):
    author: str
    text: str
    mine: bool


class ThemeIn(Schema):
    title: str = Field(min_length=1, max_length=300)


class ThemeOut(Schema):
    id: int
    title: str


class MemoIn(Schema):
    text: str = Field(min_length=1, max_length=10000)
    code_id: int | None = None


class MemoOut(Schema):
    id: int
    text: str
    code_id: int | None
    author: str


def _who(user: Any) -> str:
    return (user.name or user.email) if user else ""


@router.get(PROJECT + "/impressions", response=_responses({200: list[ImpressionOut]}, 401, 404),
            summary="Step 1: your impression, and the others' once yours is saved")
def list_impressions(request: HttpRequest, slug: str, project_id: int) -> list[ImpressionOut]:
    project, role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        rows = list(Impression.objects.filter(project=project).select_related("author"))
    mine = [i for i in rows if i.author_id == request.user.pk]
    # Analysts write alone first, as on the page; others' impressions show once yours is saved.
    visible = rows if (mine or role not in CODE) else []
    return [ImpressionOut(author=_who(i.author), text=i.text, mine=i.author_id == request.user.pk)
            for i in visible]


@router.put(PROJECT + "/impressions/mine", response=_responses({200: ImpressionOut}, 400, 401, 404, 422),
            summary="Step 1: save your preliminary themes")
def put_impression(request: HttpRequest, slug: str, project_id: int, payload: TextIn) -> ImpressionOut:
    project, _role = _project(request, slug, project_id, CODE)
    try:
        impression = services.save_impression(actor=request.user, project=project, text=payload.text)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return ImpressionOut(author=_who(request.user), text=impression.text, mine=True)


@router.get(PROJECT + "/themes", response=_responses({200: list[ThemeOut]}, 401, 404),
            summary="Step 1: the themes the team agreed on")
def list_themes(request: HttpRequest, slug: str, project_id: int) -> list[ThemeOut]:
    project, _role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        return [ThemeOut(id=t.pk, title=t.title) for t in Theme.objects.filter(project=project)]


@router.post(PROJECT + "/themes", response=_responses({201: ThemeOut}, 400, 401, 404, 422),
             summary="Step 1: record an agreed theme (lead)")
def add_theme(request: HttpRequest, slug: str, project_id: int, payload: ThemeIn) -> Status[ThemeOut]:
    project, _role = _project(request, slug, project_id, LEAD)
    try:
        theme = services.add_theme(actor=request.user, project=project, title=payload.title)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, ThemeOut(id=theme.pk, title=theme.title))


@router.get(PROJECT + "/memos", response=_responses({200: list[MemoOut]}, 401, 404), summary="Memos")
def list_memos(request: HttpRequest, slug: str, project_id: int) -> list[MemoOut]:
    project, _role = _project(request, slug, project_id)
    with scope(organisation=project.organisation):
        rows = list(Memo.objects.filter(project=project).select_related("author"))
    return [MemoOut(id=m.pk, text=m.text, code_id=m.code_id, author=_who(m.author)) for m in rows]


@router.post(PROJECT + "/memos", response=_responses({201: MemoOut}, 400, 401, 404, 422),
             summary="Write a memo, about a code or the project")
def add_memo(request: HttpRequest, slug: str, project_id: int, payload: MemoIn) -> Status[MemoOut]:
    project, _role = _project(request, slug, project_id, CODE)
    try:
        memo = services.add_memo(actor=request.user, project=project, text=payload.text,
                                 code_id=payload.code_id)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, MemoOut(id=memo.pk, text=memo.text, code_id=memo.code_id,
                               author=_who(request.user)))


EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "qdpx": "application/zip",
    "qdc": "application/xml",
}


@router.get(PROJECT + "/export/{fmt}", response=_responses({200: None}, 401, 404),
            summary="Export: qdpx (REFI-QDA project), qdc (codebook), csv or xlsx (coded units)")
def export(request: HttpRequest, slug: str, project_id: int, fmt: str) -> HttpResponse:
    project, _role = _project(request, slug, project_id)
    if fmt not in EXPORTS:
        raise HttpError(404, "Not Found")
    body: str | bytes
    if fmt == "csv":
        body = exporters.to_csv(exporters.unit_rows(project))
    elif fmt == "xlsx":
        body = exporters.to_xlsx(exporters.unit_rows(project), sheet="units")
    elif fmt == "qdpx":
        body = refi.export_qdpx(project)
    else:
        body = refi.codebook_qdc(project)
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="peerwork-analysis-{project.pk}.{fmt}"'
    return response


@router.post(PROJECT + "/survey-waves/{wave_id}/questions/{question_id}",
             response=_responses({201: list[TranscriptOut]}, 400, 401, 404),
             summary="Import the free-text answers to one question of a survey wave in this "
                     "organisation, one document each; background answers become case "
                     "attributes only where suppression allows")
def import_survey_wave(request: HttpRequest, slug: str, project_id: int, wave_id: int,
                       question_id: str) -> Status[list[TranscriptOut]]:
    project, _role = _project(request, slug, project_id, CODE)
    source = waves.find_source(request.user, project, wave_id, question_id)
    if source is None:
        raise HttpError(404, "Not Found")
    try:
        documents = waves.import_source(actor=request.user, project=project, source=source,
                                        language=translation.get_language() or "en")
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, [_document_out(d, len(d.text)) for d in documents])
