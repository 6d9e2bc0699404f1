"""Changes to the codebook: renaming, moving and deleting codes and code groups.

Each is one service (keyword-only, one transaction) and one entry in the project's coding
log, so the analyst who made it can undo it like a coding action (``undo``, called by
``services.undo_last``). A deleted code or group comes back with its own id and guid, so
the log's earlier entries and a REFI-QDA export still find it.

Deleting a code keeps its meaning units: they lose that code, and a unit left with no code
stays in the document, uncoded. Memos about the code become memos on the project. A group
is deleted only when empty, and never when step 3 or 4 has been written for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scope

from peerwork.qualitative import importers
from peerwork.qualitative.enums import ActionKind
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    CodingAction,
    Condensate,
    MeaningUnit,
    Memo,
    Project,
    Synthesis,
)

KINDS = frozenset({ActionKind.RENAME_CODE, ActionKind.MOVE_CODE, ActionKind.DELETE_CODE,
                   ActionKind.RENAME_GROUP, ActionKind.MOVE_GROUP, ActionKind.DELETE_GROUP})
NAME_LIMIT = 200


def _name(text: str, message: str) -> str:
    text = importers.normalise(text).strip()
    if not text:
        raise ValidationError(message)
    if len(text) > NAME_LIMIT:
        raise ValidationError(_("The text is too long (at most %(n)s characters).") % {"n": NAME_LIMIT})
    return text


def _group(project: Project, pk: int | None) -> CodeGroup | None:
    """The project's group ``pk``, None for none; another project's id is refused."""
    if pk is None:
        return None
    found = CodeGroup.objects.filter(project=project, pk=pk).first()
    if found is None:
        raise ValidationError(_("That item is not part of this project."))
    return found


def _log(actor: Any, project: Project, kind: str, **data: Any) -> None:
    CodingAction.objects.create(project=project, organisation=project.organisation, actor=actor,
                                kind=kind, unit=None, data=data)


def _code_taken(project: Project, name: str, but: int | None = None) -> bool:
    return Code.objects.filter(project=project, name=name).exclude(pk=but).exists()


def _group_taken(project: Project, parent_id: int | None, name: str, but: int | None = None) -> bool:
    return CodeGroup.objects.filter(project=project, parent_id=parent_id, name=name).exclude(pk=but).exists()


def _under_itself(links: dict[int, int | None], group_id: int, parent_id: int | None) -> bool:
    """Whether ``parent_id`` is ``group_id`` or lies below it (``links``: group → parent)."""
    seen: set[int] = set()
    while parent_id is not None and parent_id not in seen:
        if parent_id == group_id:
            return True
        seen.add(parent_id)
        parent_id = links.get(parent_id)
    return False


# --- Codes -----------------------------------------------------------------------------


@transaction.atomic
def rename_code(*, actor: Any, code: Code, name: str) -> Code:
    """Give the code a new name, unique in the project."""
    project = code.project
    name = _name(name, _("Give the code a name."))
    with scope(organisation=project.organisation):
        if _code_taken(project, name, but=code.pk):
            raise ValidationError(_("There is already a code with this name."))
        if name != code.name:
            _log(actor, project, ActionKind.RENAME_CODE, code=code.pk, name=name, old=code.name)
            code.name = name
            code.save(update_fields=["name"])
    return code


@transaction.atomic
def move_code(*, actor: Any, code: Code, group_id: int | None) -> Code:
    """Put the code in another group of the project, or in none."""
    project = code.project
    with scope(organisation=project.organisation):
        group = _group(project, group_id)
        if code.group_id != (group.pk if group else None):
            _log(actor, project, ActionKind.MOVE_CODE, code=code.pk, name=code.name, group=code.group_id)
            code.group = group
            code.save(update_fields=["group"])
    return code


@transaction.atomic
def delete_code(*, actor: Any, code: Code) -> int:
    """Delete the code; returns how many meaning units had it. The units stay (uncoded if
    this was their only code) and memos about the code stay as memos on the project."""
    project = code.project
    with scope(organisation=project.organisation):
        units = list(code.units.values_list("id", flat=True))
        memos = list(Memo.objects.filter(code=code).values_list("id", flat=True))
        Memo.objects.filter(pk__in=memos).update(code=None)
        _log(actor, project, ActionKind.DELETE_CODE, code=code.pk, guid=str(code.guid), name=code.name,
             description=code.description, group=code.group_id, units=units, memos=memos)
        code.delete()
    return len(units)


# --- Groups ----------------------------------------------------------------------------


@transaction.atomic
def rename_group(*, actor: Any, group: CodeGroup, name: str) -> CodeGroup:
    """Give the group a new name, unique among the groups at its level."""
    project = group.project
    name = _name(name, _("Give the group a name."))
    with scope(organisation=project.organisation):
        if _group_taken(project, group.parent_id, name, but=group.pk):
            raise ValidationError(_("There is already a code group with this name here."))
        if name != group.name:
            _log(actor, project, ActionKind.RENAME_GROUP, group=group.pk, name=name, old=group.name)
            group.name = name
            group.save(update_fields=["name"])
    return group


@transaction.atomic
def move_group(*, actor: Any, group: CodeGroup, parent_id: int | None) -> CodeGroup:
    """Put the group under another group, or at the top level with ``parent_id=None``.
    A group never goes under itself or one of its own subgroups."""
    project = group.project
    with scope(organisation=project.organisation):
        # Locking the project's groups makes two crossing moves wait for each other, so
        # together they cannot make a cycle that each alone would not.
        links = dict(CodeGroup.objects.select_for_update().filter(project=project)
                     .values_list("id", "parent_id"))
        parent = _group(project, parent_id)
        new_parent = parent.pk if parent else None
        if _under_itself(links, group.pk, new_parent):
            raise ValidationError(_("A code group cannot go under itself or one of its own subgroups."))
        if _group_taken(project, new_parent, group.name, but=group.pk):
            raise ValidationError(_("There is already a code group with this name here."))
        if new_parent != group.parent_id:
            _log(actor, project, ActionKind.MOVE_GROUP, group=group.pk, name=group.name,
                 parent=group.parent_id)
            group.parent = parent
            group.save(update_fields=["parent"])
    return group


def deletable(group: CodeGroup) -> str:
    """Why the group cannot be deleted, or "" if it can."""
    with scope(organisation=group.organisation):
        if Code.objects.filter(group=group).exists() or CodeGroup.objects.filter(parent=group).exists():
            return _("Only an empty code group can be deleted. Move or delete its codes and "
                     "subgroups first.")
        written = (Condensate.objects.filter(group=group).exclude(text="", golden_quote=None).exists()
                   or Synthesis.objects.filter(group=group)
                   .filter(Q(statements__isnull=False) | Q(quotes__isnull=False)).exists())
    if written:
        return _("Steps 3 or 4 are written for this code group, so it cannot be deleted.")
    return ""


@transaction.atomic
def delete_group(*, actor: Any, group: CodeGroup) -> None:
    """Delete an empty code group (see ``deletable``)."""
    project = group.project
    reason = deletable(group)
    if reason:
        raise ValidationError(reason)
    with scope(organisation=project.organisation):
        _log(actor, project, ActionKind.DELETE_GROUP, group=group.pk, guid=str(group.guid),
             name=group.name, description=group.description, parent=group.parent_id)
        group.delete()


# --- Undo ------------------------------------------------------------------------------


def _free(name: str, taken: Callable[[str], bool]) -> str:
    """``name``, or ``name (2)``, ``name (3)``, … when another took it meanwhile."""
    candidate, number = name, 1
    while taken(candidate):
        number += 1
        suffix = f" ({number})"
        candidate = name[:NAME_LIMIT - len(suffix)] + suffix
    return candidate


def undo(project: Project, action: CodingAction) -> None:
    """Walk back one codebook change, as far as later changes allow: a name someone took
    meanwhile gets a number; a group deleted meanwhile is replaced by the top level. Runs
    inside ``services.undo_last``'s transaction and scope."""
    data = action.data
    if action.kind in (ActionKind.RENAME_CODE, ActionKind.MOVE_CODE):
        code = Code.objects.filter(project=project, pk=data["code"]).first()
        if code is None:
            return
        if action.kind == ActionKind.RENAME_CODE:
            code.name = _free(data["old"], lambda n: _code_taken(project, n, but=data["code"]))
            code.save(update_fields=["name"])
        else:
            code.group = CodeGroup.objects.filter(project=project, pk=data["group"]).first()
            code.save(update_fields=["group"])
    elif action.kind == ActionKind.DELETE_CODE:
        if Code.objects.filter(pk=data["code"]).exists():
            return
        code = Code.objects.create(
            pk=data["code"], guid=data["guid"], project=project, organisation=project.organisation,
            group=CodeGroup.objects.filter(project=project, pk=data["group"]).first(),
            name=_free(data["name"], lambda n: _code_taken(project, n)), description=data["description"])
        code.units.set(MeaningUnit.objects.filter(project=project, pk__in=data["units"]))
        Memo.objects.filter(project=project, pk__in=data["memos"], code=None).update(code=code)
    elif action.kind in (ActionKind.RENAME_GROUP, ActionKind.MOVE_GROUP):
        group = CodeGroup.objects.filter(project=project, pk=data["group"]).first()
        if group is None:
            return
        if action.kind == ActionKind.RENAME_GROUP:
            level = group.parent_id
            group.name = _free(data["old"], lambda n: _group_taken(project, level, n, but=data["group"]))
            group.save(update_fields=["name"])
            return
        links = dict(CodeGroup.objects.select_for_update().filter(project=project)
                     .values_list("id", "parent_id"))
        parent = data["parent"] if data["parent"] in links else None
        if _under_itself(links, group.pk, parent):
            parent = None
        group.parent_id = parent
        group.name = _free(group.name, lambda n: _group_taken(project, parent, n, but=data["group"]))
        group.save(update_fields=["parent", "name"])
    elif action.kind == ActionKind.DELETE_GROUP:
        if CodeGroup.objects.filter(pk=data["group"]).exists():
            return
        parent = CodeGroup.objects.filter(project=project, pk=data["parent"]).first()
        level = parent.pk if parent else None
        CodeGroup.objects.create(
            pk=data["group"], guid=data["guid"], project=project, organisation=project.organisation,
            parent=parent, description=data["description"],
            name=_free(data["name"], lambda n: _group_taken(project, level, n)))
