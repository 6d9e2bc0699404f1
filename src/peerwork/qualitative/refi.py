"""REFI-QDA exchange: a project as .qdpx (a zip of ``project.qde`` and the sources as
UTF-8 text) and the codebook as .qdc; import of a .qdpx.

Mapping. Code groups and subgroups are codes that cannot be coded (``isCodable="false"``)
with their codes nested inside; meaning units are ``PlainTextSelection``s whose
``startPosition``/``endPosition`` are code-point offsets into the source's plain text;
memos are ``Note``s referenced from their code; a group's condensate is a ``Note``
referenced from the group. Speakers' real names (the code key) are never exported.
``project.qde`` is validated against REFI's published schema (``data/Project.xsd``,
QDA-XML 1.0, 2019, MIT licence) on the way out and on the way in.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope
from lxml import etree

from peerwork.accounts.models import User
from peerwork.qualitative.enums import SourceKind
from peerwork.qualitative.importers import normalise
from peerwork.qualitative.models import (
    Code,
    CodeGroup,
    Condensate,
    Document,
    MeaningUnit,
    Memo,
    Project,
)

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA = Path(__file__).parent / "data" / "Project.xsd"
MAX_QDPX_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _user_guid(user_id: int | None, users: dict[int | None, str]) -> str:
    if user_id not in users:
        users[user_id] = str(uuid.uuid4())
    return users[user_id]


def _codes_xml(parent: etree._Element, project: Project, ns: str,
               notes: dict[int, str] | None = None) -> None:
    """The code tree under ``parent``: groups (not codable) holding their codes."""
    with scope(organisation=project.organisation):
        groups = list(CodeGroup.objects.filter(project=project))
        codes = list(Code.objects.filter(project=project))
        condensates = {c.group_id: c for c in Condensate.objects.filter(project=project)}
    by_group: dict[int | None, list[Code]] = {}
    for code in codes:
        by_group.setdefault(code.group_id, []).append(code)
    children: dict[int | None, list[CodeGroup]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)

    def add_code(into: etree._Element, code: Code) -> None:
        element = etree.SubElement(into, _q("Code", ns), guid=str(code.guid), name=code.name,
                                   isCodable="true")
        if code.description:
            etree.SubElement(element, _q("Description", ns)).text = code.description
        for note_guid in (notes or {}).get(code.pk, "").split():
            etree.SubElement(element, _q("NoteRef", ns), targetGUID=note_guid)

    def add_group(into: etree._Element, group: CodeGroup) -> None:
        element = etree.SubElement(into, _q("Code", ns), guid=str(group.guid), name=group.name,
                                   isCodable="false")
        if group.description:
            etree.SubElement(element, _q("Description", ns)).text = group.description
        if notes is not None and group.pk in condensates and condensates[group.pk].text:
            etree.SubElement(element, _q("NoteRef", ns), targetGUID=_condensate_guid(group))
        for sub in children.get(group.pk, []):
            add_group(element, sub)
        for code in by_group.get(group.pk, []):
            add_code(element, code)

    for group in children.get(None, []):
        add_group(parent, group)
    for code in by_group.get(None, []):
        add_code(parent, code)


def _condensate_guid(group: CodeGroup) -> str:
    # Derived from the group, so the same project always exports the same guid.
    return str(uuid.uuid5(group.guid, "condensate"))


def codebook_qdc(project: Project) -> bytes:
    """The codebook as a REFI-QDA .qdc file."""
    root = etree.Element(_q("CodeBook", CODEBOOK_NS), nsmap={None: CODEBOOK_NS}, origin="Peerwork")
    codes = etree.SubElement(root, _q("Codes", CODEBOOK_NS))
    _codes_xml(codes, project, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def project_qde(project: Project) -> tuple[bytes, dict[str, str]]:
    """``project.qde`` and the source files it points to (zip path → text)."""
    users: dict[int | None, str] = {}
    root = etree.Element(_q("Project"), nsmap={None: NS}, name=project.title, origin="Peerwork",
                         creationDateTime=_when(project.created))
    users_el = etree.SubElement(root, _q("Users"))
    with scope(organisation=project.organisation):
        memos = list(Memo.objects.filter(project=project).select_related("author"))
        condensates = list(Condensate.objects.filter(project=project).select_related("group"))
        documents = list(Document.objects.filter(project=project))
        # Plain rows, not model instances with prefetched codes: this runs over every unit.
        units = list(MeaningUnit.objects.filter(project=project).order_by("document_id", "start", "id")
                     .values_list("id", "guid", "document_id", "start", "end", "text", "author_id",
                                  "created"))
        codings: dict[int, list[int]] = {}
        for unit_id, code_id in MeaningUnit.codes.through.objects.filter(
                meaningunit__project=project).values_list("meaningunit_id", "code_id"):
            codings.setdefault(unit_id, []).append(code_id)
        code_guids = {c.pk: str(c.guid) for c in Code.objects.filter(project=project)}
        authors = {u.pk: u.name or u.email for u in User.objects.filter(
            pk__in={u[6] for u in units if u[6] is not None})}
    notes_of_code: dict[int, str] = {}
    for memo in memos:
        if memo.code_id:
            notes_of_code[memo.code_id] = f"{notes_of_code.get(memo.code_id, '')} {memo.guid}"
    if code_guids:
        book = etree.SubElement(root, _q("CodeBook"))
        _codes_xml(etree.SubElement(book, _q("Codes")), project, NS, notes_of_code)
    units_by_doc: dict[int, list[tuple[Any, ...]]] = {}
    for row in units:
        units_by_doc.setdefault(row[2], []).append(row)
    files: dict[str, str] = {}
    names: dict[int | None, str] = {}
    if documents:
        sources = etree.SubElement(root, _q("Sources"))
        for document in documents:
            path = f"{document.guid}.txt"
            files[f"sources/{path}"] = document.text
            source = etree.SubElement(sources, _q("TextSource"), guid=str(document.guid),
                                      name=document.title, plainTextPath=f"internal://{path}",
                                      creationDateTime=_when(document.created))
            for unit_id, guid, _d, start, end, text, author_id, created in units_by_doc.get(document.pk, []):
                who = _user_guid(author_id, users)
                names[author_id] = authors.get(author_id, "")
                selection = etree.SubElement(
                    source, _q("PlainTextSelection"), guid=str(guid), name=text[:60],
                    startPosition=str(start), endPosition=str(end), creatingUser=who,
                    creationDateTime=_when(created))
                for code_id in codings.get(unit_id, []):
                    coding = etree.SubElement(selection, _q("Coding"), guid=str(uuid.uuid4()),
                                              creatingUser=who)
                    etree.SubElement(coding, _q("CodeRef"), targetGUID=code_guids[code_id])
            for name, value in sorted(document.attributes.items()):
                variable = etree.SubElement(source, _q("VariableValue"))
                etree.SubElement(variable, _q("VariableRef"), targetGUID=_variable_guid(project, name))
                etree.SubElement(variable, _q("TextValue")).text = str(value)
    variables = sorted({n for d in documents for n in d.attributes})
    if variables:
        variables_el = etree.Element(_q("Variables"))
        for name in variables:
            etree.SubElement(variables_el, _q("Variable"), guid=_variable_guid(project, name),
                             name=name, typeOfVariable="Text")
        # The schema orders Variables after CodeBook and before Sources.
        anchor = root.find(_q("Sources"))
        assert anchor is not None
        anchor.addprevious(variables_el)
    note_rows = [(str(m.guid), m.text, m.author_id, m.created) for m in memos]
    note_rows += [(_condensate_guid(c.group), c.text, c.updated_by_id, c.updated)
                  for c in condensates if c.text]
    if note_rows:
        notes = etree.SubElement(root, _q("Notes"))
        for guid, text, author_id, created in note_rows:
            note = etree.SubElement(notes, _q("Note"), guid=guid, name=text[:60],
                                    creatingUser=_user_guid(author_id, users),
                                    creationDateTime=_when(created))
            etree.SubElement(note, _q("PlainTextContent")).text = text
    if project.description:
        etree.SubElement(root, _q("Description")).text = project.description
    for user_id, guid in users.items():
        etree.SubElement(users_el, _q("User"), guid=guid, name=names.get(user_id, ""))
    if not len(users_el):
        root.remove(users_el)
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return body, files


def _variable_guid(project: Project, name: str) -> str:
    return str(uuid.uuid5(project.guid, f"variable:{name}"))


def export_qdpx(project: Project) -> bytes:
    """The whole project as a .qdpx file; the XML is checked against the schema first."""
    body, files = project_qde(project)
    schema().assertValid(etree.fromstring(body))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", body)
        for path, text in files.items():
            archive.writestr(path, text.encode("utf-8"))
    return buffer.getvalue()


# --- Import ---------------------------------------------------------------------------


def _fail(message: str) -> ValidationError:
    return ValidationError(message)


def _read_archive(data: bytes) -> tuple[etree._Element, zipfile.ZipFile]:
    if len(data) > MAX_QDPX_BYTES:
        raise _fail(_("The file is larger than 100 MB."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise _fail(_("The project unpacks to more than 300 MB."))
        qde = next((n for n in archive.namelist() if n.lower().endswith(".qde")), None)
        if qde is None:
            raise _fail(_("This is not a REFI-QDA project: it holds no project.qde."))
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(archive.read(qde), parser)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, OSError) as exc:
        raise _fail(_("The file is not a readable .qdpx project.")) from exc
    if not schema().validate(root):
        error = schema().error_log.last_error
        raise _fail(_("The project does not follow the REFI-QDA schema: %(error)s")
                    % {"error": error.message if error else ""})
    return root, archive


def _source_text(source: etree._Element, archive: zipfile.ZipFile) -> str:
    content = source.find(_q("PlainTextContent"))
    if content is not None:
        return content.text or ""
    path = source.get("plainTextPath", "")
    if not path.startswith("internal://"):
        raise _fail(_("A source's text is outside the project file (%(path)s).") % {"path": path})
    name = path.removeprefix("internal://")
    for candidate in (f"sources/{name}", f"Sources/{name}", name):
        if candidate in archive.namelist():
            return archive.read(candidate).decode("utf-8-sig", errors="replace")
    raise _fail(_("A source's text is missing from the project file (%(path)s).") % {"path": path})


def _stored_offset(text: str, offset: int) -> int:
    """Where an offset into ``text`` lands once the text is stored (NFC, \\n line ends)."""
    return len(normalise(text[:offset]))


@transaction.atomic
def import_qdpx(*, actor: Any, project: Project, data: bytes) -> dict[str, int]:
    """Add a .qdpx project's codebook, sources, coded selections and notes to ``project``.
    Coding is attributed to the importing analyst. Returns counts of what was added."""
    root, archive = _read_archive(data)
    organisation = project.organisation
    counts = {"documents": 0, "codes": 0, "units": 0, "memos": 0}
    codes: dict[str, Code] = {}
    groups: dict[str, CodeGroup] = {}
    note_targets: dict[str, tuple[str, Any]] = {}
    with scope(organisation=organisation):
        existing = {c.name: c for c in Code.objects.filter(project=project)}

        def walk(element: etree._Element, parent: CodeGroup | None) -> None:
            guid, name = element.get("guid", ""), (element.get("name") or "").strip()[:200] or "?"
            description = element.findtext(_q("Description")) or ""
            child_codes = element.findall(_q("Code"))
            notes = [n.get("targetGUID", "") for n in element.findall(_q("NoteRef"))]
            if element.get("isCodable") in ("false", "0") or child_codes:
                group = CodeGroup.objects.create(project=project, organisation=organisation,
                                                 parent=parent, name=name, description=description)
                groups[guid] = group
                for note in notes:
                    note_targets[note] = ("group", group)
                for child in child_codes:
                    walk(child, group)
                if element.get("isCodable") in ("true", "1"):
                    # A codable code with children: keep it codable, as a code in its own group.
                    codes[guid] = _code(project, f"{name}", group, description, existing, counts)
                return
            code = _code(project, name, parent, description, existing, counts)
            codes[guid] = code
            for note in notes:
                note_targets[note] = ("code", code)

        book = root.find(f"{_q('CodeBook')}/{_q('Codes')}")
        for element in book.findall(_q("Code")) if book is not None else []:
            walk(element, None)
        sources = root.find(_q("Sources"))
        for source in sources.findall(_q("TextSource")) if sources is not None else []:
            raw = _source_text(source, archive)
            text = normalise(raw)
            document = Document.objects.create(
                project=project, organisation=organisation, kind=SourceKind.QDPX, text=text,
                title=(source.get("name") or _("Imported source"))[:200], created_by=actor)
            counts["documents"] += 1
            for selection in source.findall(_q("PlainTextSelection")):
                try:
                    start = int(selection.get("startPosition", ""))
                    end = int(selection.get("endPosition", ""))
                except ValueError as exc:
                    raise _fail(_("A selection has no valid position.")) from exc
                if text != raw:
                    start, end = _stored_offset(raw, start), _stored_offset(raw, end)
                start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
                if start >= end:
                    continue
                unit = MeaningUnit.objects.create(
                    project=project, organisation=organisation, document=document, start=start,
                    end=end, text=text[start:end], author=actor)
                refs = [c.find(_q("CodeRef")) for c in selection.findall(_q("Coding"))]
                unit.codes.set([codes[r.get("targetGUID", "")] for r in refs
                                if r is not None and r.get("targetGUID", "") in codes])
                counts["units"] += 1
        notes_el = root.find(_q("Notes"))
        for note in notes_el.findall(_q("Note")) if notes_el is not None else []:
            text = (note.findtext(_q("PlainTextContent")) or note.get("name") or "").strip()
            if not text:
                continue
            kind, target = note_targets.get(note.get("guid", ""), ("", None))
            if kind == "group":
                Condensate.objects.update_or_create(
                    group=target, defaults={"project": project, "organisation": organisation,
                                            "text": text[:20000], "updated_by": actor})
            else:
                Memo.objects.create(project=project, organisation=organisation, author=actor,
                                    code=target if kind == "code" else None, text=text[:10000])
                counts["memos"] += 1
    return counts


def _code(project: Project, name: str, group: CodeGroup | None, description: str,
          existing: dict[str, Code], counts: dict[str, int]) -> Code:
    """A code of this name, reused if the project has it already (code names are unique)."""
    if name in existing:
        return existing[name]
    code = Code.objects.create(project=project, organisation=project.organisation, group=group,
                               name=name, description=description[:4000])
    existing[name] = code
    counts["codes"] += 1
    return code
