"""Every write to analysis projects: one function, one transaction.

Administrative acts (project, members, import, code key) go to the organisation's
audit trail; coding acts go to the project's own log (``CodingAction``), which is
both the record of who coded what and what undo walks back. Renaming, moving and
deleting codes and groups live in ``codebook_changes`` and share that log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction
from peerwork.orgs.models import Membership, Organisation
from peerwork.qualitative import codebook_changes, importers
from peerwork.qualitative.enums import ActionKind, ProjectRole, SourceKind, Step
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    CodingAction,
    Comment,
    Condensate,
    Document,
    Impression,
    MeaningUnit,
    Memo,
    Project,
    ProjectMember,
    Speaker,
    SpeakerKey,
    Statement,
    Synthesis,
    Theme,
)
from peerwork.qualitative.spans import clamp

PROJECT_CREATED = AuditAction.ANALYSIS_PROJECT_CREATED
MEMBER_SET = AuditAction.ANALYSIS_MEMBER_SET
DOCUMENT_IMPORTED = AuditAction.ANALYSIS_DOCUMENT_IMPORTED
CODE_KEY_DELETED = AuditAction.ANALYSIS_CODE_KEY_DELETED


def _audit(actor: Any, action: AuditAction, project: Project, detail: dict[str, Any] | None = None) -> None:
    audit.record(actor=actor, action=action, organisation=project.organisation,
                 target=project.title, detail={"project": project.pk, **(detail or {})})


def _clean(text: str, limit: int, message: str) -> str:
    text = importers.normalise(text).strip()
    if not text:
        raise ValidationError(message)
    if len(text) > limit:
        raise ValidationError(_("The text is too long (at most %(n)s characters).") % {"n": limit})
    return text


# --- Projects and members ------------------------------------------------------------


@transaction.atomic
def create_project(*, actor: Any, organisation: Organisation, title: str,
                   description: str = "") -> Project:
    """A new project, with its creator as lead."""
    title = _clean(title, 200, _("Give the project a title."))
    with scope(organisation=organisation):
        project = Project.objects.create(organisation=organisation, title=title,
                                         description=description.strip()[:4000], created_by=actor)
        ProjectMember.objects.create(project=project, organisation=organisation, user=actor,
                                     role=ProjectRole.LEAD)
    _audit(actor, PROJECT_CREATED, project)
    return project


@transaction.atomic
def set_member(*, actor: Any, project: Project, user_id: int, role: str | None) -> None:
    """Give an organisation member a role in the project, or with ``role=None`` remove them.
    The project always keeps a lead."""
    if role is not None and role not in ProjectRole.values:
        raise ValidationError(_("Choose a role."))
    organisation = project.organisation
    with scopes_disabled():
        member = Membership.objects.filter(organisation=organisation, user_id=user_id,
                                           is_active=True).select_related("user").first()
    if member is None:
        raise ValidationError(_("Only active members of the organisation can join a project."))
    with scope(organisation=organisation):
        current = ProjectMember.objects.filter(project=project, user_id=user_id).first()
        leads = ProjectMember.objects.filter(project=project, role=ProjectRole.LEAD)
        if (current is not None and current.role == ProjectRole.LEAD and role != ProjectRole.LEAD
                and leads.count() == 1):
            raise ValidationError(_("A project needs a lead. Make someone else lead first."))
        if role is None:
            if current is not None:
                current.delete()
        elif current is None:
            ProjectMember.objects.create(project=project, organisation=organisation,
                                         user_id=user_id, role=role)
        else:
            current.role = role
            current.save(update_fields=["role"])
    _audit(actor, MEMBER_SET, project, {"user": member.user.email, "role": role or ""})


# --- Material --------------------------------------------------------------------------


def _speaker(project: Project, real_name: str, known: dict[str, Speaker]) -> Speaker:
    """The pseudonym for a real name in this project, made on first sight."""
    key = real_name.casefold().strip()
    if key not in known:
        number = Speaker.objects.filter(project=project).count() + 1
        speaker = Speaker.objects.create(project=project, organisation=project.organisation,
                                         pseudonym=f"P{number}")  # the same in every language
        if real_name.strip():
            SpeakerKey.objects.create(speaker=speaker, organisation=project.organisation,
                                      real_name=real_name.strip()[:200])
        known[key] = speaker
    return known[key]


@transaction.atomic
def import_document(*, actor: Any, project: Project, filename: str, data: bytes,
                    title: str = "") -> Document:
    """Store an uploaded file's text. Transcript speakers become pseudonyms (P1, P2, …);
    their names go to the code key only. Raises ``importers.ImportFailed``."""
    kind, extracted = importers.extract(filename, data)
    with scope(organisation=project.organisation):
        if extracted.turns:
            known = {s.key.real_name.casefold(): s for s in
                     Speaker.objects.filter(project=project, key__isnull=False).select_related("key")}
            lines = [f"{_speaker(project, who, known).pseudonym}: {said}" if who else said
                     for who, said in extracted.turns]
            text = "\n\n".join(lines)
        else:
            text = extracted.text
        document = Document.objects.create(
            project=project, organisation=project.organisation, kind=kind, text=text,
            title=(title.strip() or filename)[:200], created_by=actor)
    _audit(actor, DOCUMENT_IMPORTED, project, {"document": document.pk, "kind": kind})
    return document


@transaction.atomic
def import_survey_texts(*, actor: Any, project: Project, title: str,
                        answers: list[tuple[str, dict[str, str]]], k: int) -> list[Document]:
    """One document per free-text answer, with case attributes only where ``k`` allows."""
    texts = importers.survey_documents(answers, k=k)
    with scope(organisation=project.organisation):
        documents = [Document.objects.create(
            project=project, organisation=project.organisation, kind=SourceKind.SURVEY,
            text=t.text, attributes=t.attributes, title=f"{title} {i}"[:200], created_by=actor)
            for i, t in enumerate(texts, start=1)]
    _audit(actor, DOCUMENT_IMPORTED, project, {"survey": title, "documents": len(documents)})
    return documents


@transaction.atomic
def delete_code_key(*, actor: Any, project: Project) -> int:
    """Delete every real name behind the project's pseudonyms; returns how many."""
    with scope(organisation=project.organisation):
        count, _rows = SpeakerKey.objects.filter(speaker__project=project).delete()
    _audit(actor, CODE_KEY_DELETED, project, {"names": count})
    return count


# --- Codebook ---------------------------------------------------------------------------


def _in_project(model: Any, project: Project, pk: Any) -> Any:
    if pk in (None, ""):
        return None
    with scope(organisation=project.organisation):
        found = model.objects.filter(project=project, pk=pk).first()
    if found is None:
        raise ValidationError(_("That item is not part of this project."))
    return found


@transaction.atomic
def create_group(*, actor: Any, project: Project, name: str, parent_id: int | None = None,
                 description: str = "") -> CodeGroup:
    parent = _in_project(CodeGroup, project, parent_id)
    name = _clean(name, 200, _("Give the group a name."))
    with scope(organisation=project.organisation):
        if CodeGroup.objects.filter(project=project, parent=parent, name=name).exists():
            raise ValidationError(_("There is already a code group with this name here."))
        return CodeGroup.objects.create(project=project, organisation=project.organisation,
                                        parent=parent, name=name, description=description[:4000])


@transaction.atomic
def create_code(*, actor: Any, project: Project, name: str, group_id: int | None = None,
                description: str = "") -> Code:
    group = _in_project(CodeGroup, project, group_id)
    name = _clean(name, 200, _("Give the code a name."))
    with scope(organisation=project.organisation):
        if Code.objects.filter(project=project, name=name).exists():
            raise ValidationError(_("There is already a code with this name."))
        return Code.objects.create(project=project, organisation=project.organisation,
                                   group=group, name=name, description=description[:4000])


@transaction.atomic
def add_memo(*, actor: Any, project: Project, text: str, code_id: int | None = None) -> Memo:
    code = _in_project(Code, project, code_id)
    text = _clean(text, 10000, _("Write the memo."))
    with scope(organisation=project.organisation):
        return Memo.objects.create(project=project, organisation=project.organisation, code=code,
                                   author=actor, text=text)


# --- Coding, with its log -----------------------------------------------------------------


def _log(actor: Any, project: Project, kind: str, unit: MeaningUnit, **data: Any) -> None:
    # The unit's guid lets undo re-attach these actions to a unit restored after deletion.
    CodingAction.objects.create(project=project, organisation=project.organisation, actor=actor,
                                kind=kind, unit=unit, data={"guid": str(unit.guid), **data})


@transaction.atomic
def mark_unit(*, actor: Any, document: Document, start: int, end: int,
              code_ids: list[int]) -> MeaningUnit:
    """Mark ``document.text[start:end]`` (code points) as a meaning unit with these codes.
    The same analyst marking the same span again adds the codes to that unit."""
    project = document.project
    length = len(document.text)
    if not (0 <= start < end <= length):
        raise ValidationError(_("Select some text of the document first."))
    if clamp((start, end), length) != (start, end):  # pragma: no cover - checked above
        raise ValidationError(_("Select some text of the document first."))
    with scope(organisation=project.organisation):
        codes = list(Code.objects.filter(project=project, pk__in=code_ids))
        if len(codes) != len(set(code_ids)):
            raise ValidationError(_("That item is not part of this project."))
        unit = MeaningUnit.objects.filter(document=document, start=start, end=end,
                                          author=actor).first()
        if unit is None:
            unit = MeaningUnit.objects.create(project=project, organisation=project.organisation,
                                              document=document, start=start, end=end,
                                              text=document.text[start:end], author=actor)
            _log(actor, project, ActionKind.MARK, unit)
        have = set(unit.codes.values_list("id", flat=True))
        for code in codes:
            if code.pk not in have:
                unit.codes.add(code)
                _log(actor, project, ActionKind.CODE, unit, code=code.pk)
    return unit


@transaction.atomic
def add_code(*, actor: Any, unit: MeaningUnit, code_id: int) -> None:
    code = _in_project(Code, unit.project, code_id)
    with scope(organisation=unit.organisation):
        if not unit.codes.filter(pk=code.pk).exists():
            unit.codes.add(code)
            _log(actor, unit.project, ActionKind.CODE, unit, code=code.pk)


@transaction.atomic
def remove_code(*, actor: Any, unit: MeaningUnit, code_id: int) -> None:
    code = _in_project(Code, unit.project, code_id)
    with scope(organisation=unit.organisation):
        if unit.codes.filter(pk=code.pk).exists():
            unit.codes.remove(code)
            _log(actor, unit.project, ActionKind.UNCODE, unit, code=code.pk)


@transaction.atomic
def delete_unit(*, actor: Any, unit: MeaningUnit) -> None:
    with scope(organisation=unit.organisation):
        codes = list(unit.codes.values_list("id", flat=True))
        _log(actor, unit.project, ActionKind.DELETE, unit, document=unit.document_id,
             author=unit.author_id,
             start=unit.start, end=unit.end, codes=codes)
        unit.delete()


@transaction.atomic
def undo_last(*, actor: Any, project: Project) -> CodingAction | None:
    """Undo the actor's latest coding action not yet undone; returns it, or None."""
    with scope(organisation=project.organisation):
        action = (CodingAction.objects.select_for_update()
                  .filter(project=project, actor=actor, undone=False).first())
        if action is None:
            return None
        unit = action.unit
        if action.kind in codebook_changes.KINDS:
            codebook_changes.undo(project, action)
        elif action.kind == ActionKind.MARK and unit is not None:
            unit.delete()
        elif action.kind == ActionKind.CODE and unit is not None:
            unit.codes.remove(action.data["code"])
        elif action.kind == ActionKind.UNCODE and unit is not None:
            if Code.objects.filter(project=project, pk=action.data["code"]).exists():
                unit.codes.add(action.data["code"])
        elif action.kind == ActionKind.DELETE:
            document = Document.objects.filter(project=project, pk=action.data["document"]).first()
            if document is not None:
                start, end = action.data["start"], action.data["end"]
                restored = MeaningUnit.objects.create(
                    project=project, organisation=project.organisation, document=document,
                    start=start, end=end, text=document.text[start:end],
                    author_id=action.data.get("author"),
                    guid=action.data["guid"])
                restored.codes.set(Code.objects.filter(project=project, pk__in=action.data["codes"]))
                # Earlier actions on the deleted unit point at it again, so undo can go on.
                CodingAction.objects.filter(project=project, data__guid=action.data["guid"]).update(
                    unit=restored)
        CodingAction.objects.filter(pk=action.pk).update(undone=True)
        action.undone = True
    return action


# --- Steps 1, 3 and 4, and comments --------------------------------------------------------


@transaction.atomic
def save_impression(*, actor: Any, project: Project, text: str) -> Impression:
    text = _clean(text, 10000, _("Write your preliminary themes."))
    with scope(organisation=project.organisation):
        impression, _created = Impression.objects.update_or_create(
            project=project, author=actor, defaults={"text": text, "organisation": project.organisation})
    return impression


@transaction.atomic
def add_theme(*, actor: Any, project: Project, title: str) -> Theme:
    title = _clean(title, 300, _("Write the theme."))
    with scope(organisation=project.organisation):
        return Theme.objects.create(project=project, organisation=project.organisation, title=title)


@transaction.atomic
def save_condensate(*, actor: Any, group: CodeGroup, text: str,
                    golden_quote_id: int | None = None) -> Condensate:
    project = group.project
    quote = _in_project(MeaningUnit, project, golden_quote_id)
    with scope(organisation=project.organisation):
        condensate, _created = Condensate.objects.update_or_create(
            group=group, defaults={"project": project, "organisation": project.organisation,
                                   "text": importers.normalise(text).strip()[:20000],
                                   "golden_quote": quote, "updated_by": actor})
    return condensate


def _synthesis(group: CodeGroup) -> Synthesis:
    synthesis, _created = Synthesis.objects.get_or_create(
        group=group, defaults={"project": group.project, "organisation": group.organisation})
    return synthesis


@transaction.atomic
def add_statement(*, actor: Any, group: CodeGroup, text: str, source_ids: list[int]) -> Statement:
    """A statement of the group's synthesis, linked to the meaning units it came from."""
    project = group.project
    text = _clean(text, 4000, _("Write the statement."))
    with scope(organisation=project.organisation):
        sources = list(MeaningUnit.objects.filter(project=project, pk__in=source_ids))
        if not sources or len(sources) != len(set(source_ids)):
            raise ValidationError(_("Link the statement to the meaning units it came from."))
        statement = Statement.objects.create(synthesis=_synthesis(group),
                                             organisation=project.organisation, text=text)
        statement.sources.set(sources)
    return statement


@transaction.atomic
def set_quotes(*, actor: Any, group: CodeGroup, unit_ids: list[int]) -> Synthesis:
    project = group.project
    with scope(organisation=project.organisation):
        units = list(MeaningUnit.objects.filter(project=project, pk__in=unit_ids))
        if len(units) != len(set(unit_ids)):
            raise ValidationError(_("That item is not part of this project."))
        synthesis = _synthesis(group)
        synthesis.quotes.set(units)
    return synthesis


@transaction.atomic
def add_comment(*, actor: Any, project: Project, step: int, text: str) -> Comment:
    if step not in Step.values:
        raise ValidationError(_("Choose a step."))
    text = _clean(text, 4000, _("Write the comment."))
    with scope(organisation=project.organisation):
        return Comment.objects.create(project=project, organisation=project.organisation,
                                      step=step, author=actor, text=text)
