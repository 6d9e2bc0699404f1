"""Bringing questionnaires in: our own JSON or YAML format, and XLSForm (the
spreadsheet format of KoboToolbox and ODK, read with pyxform).

Every problem becomes an ImportProblem with messages a person can act on; the
caller answers 400 and nothing is saved.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from peerwork.surveys import expressions
from peerwork.surveys.definition import DefinitionError, load_definition

MAX_BYTES = 2 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
TYPES = {"select one": "single", "select_one": "single", "select all that apply": "multiple",
         "select_multiple": "multiple", "integer": "number", "decimal": "number", "date": "date",
         "text": "text"}
SKIPPED = {"note", "calculate", "start", "end", "today", "deviceid", "username", "email",
           "phonenumber", "audit", "simserial", "subscriberid", "hidden"}
_RANGE = re.compile(r"(?:\.|\$\{[^}]+\})\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)")
_REF = re.compile(r"\$\{([^}]+)\}")


class ImportProblem(ValueError):
    """The file cannot be imported; ``messages`` says why."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def import_file(name: str, data: bytes) -> dict[str, Any]:
    """A checked definition from an uploaded file, chosen by its name and content."""
    if len(data) > MAX_BYTES:
        raise ImportProblem([_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}])
    if not data:
        raise ImportProblem([_("The file is empty.")])
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or data.startswith(XLSX_MAGIC):
        if not data.startswith(XLSX_MAGIC):
            raise ImportProblem([_("The file is named .xlsx but is not an Excel workbook.")])
        definition = from_xlsform(data)
    elif suffix in (".json", ".yaml", ".yml", ""):
        definition = from_text(data)
    else:
        raise ImportProblem([_("Files of type %(suffix)s cannot be imported; use .json, .yaml or an "
                               "XLSForm .xlsx.") % {"suffix": suffix}])
    return checked(definition)


def checked(definition: Any) -> dict[str, Any]:
    try:
        load_definition(definition)
    except DefinitionError as exc:
        raise ImportProblem(exc.messages) from exc
    return definition


def from_text(data: bytes) -> Any:
    """Our own format as JSON or YAML (JSON is YAML, but its errors read better)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportProblem([_("The file is not UTF-8 text.")]) from exc
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportProblem([_("The JSON is malformed at line %(line)s, column %(column)s (%(problem)s).")
                                 % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg}]) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = (_("The YAML is malformed at line %(line)s.") % {"line": mark.line + 1}
                   if mark is not None else _("The YAML is malformed."))
        raise ImportProblem([message]) from exc


# --- XLSForm ----------------------------------------------------------------------------


def _lang_of(key: str) -> str | None:
    k = key.lower()
    if k in ("en", "english") or "(en)" in k or k.startswith("english"):
        return "en"
    if k in ("nb", "no", "nn", "norwegian", "norsk") or "(nb)" in k or k.startswith(("norwegian",
                                                                                        "norsk")):
        return "nb"
    return None


def _text(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {"en": value, "nb": value}
    out: dict[str, str] = {}
    fallback = ""
    for key, text in value.items():
        lang = _lang_of(str(key))
        if lang and text:
            out[lang] = str(text)
        fallback = fallback or str(text or "")
    out.setdefault("en", out.get("nb", fallback))
    out.setdefault("nb", out.get("en", fallback))
    return out


def _ident(name: str) -> str:
    ident = re.sub(r"[^a-z0-9_]", "_", name.lower())
    if not ident or not ident[0].isalpha():
        ident = "q_" + ident
    return ident[:40]


def _row(name: object) -> str:
    return _("Row “%(name)s”") % {"name": name}


def _repeat(node: dict[str, Any]) -> str:
    return _("%(where)s: repeats are not supported.") % {"where": _row(node.get("name"))}


def _relevant(text: str | None, ids: dict[str, str], where: str, problems: list[str]) -> str | None:
    if not text:
        return None
    rewritten = _REF.sub(lambda m: "${" + ids.get(m.group(1), _ident(m.group(1))) + "}", text)
    try:
        expressions.parse(rewritten)
    except expressions.ExpressionError as exc:
        problems.append(_("%(where)s: the relevant expression cannot be used (%(problem)s).") % {
            "where": where, "problem": exc})
        return None
    return rewritten


def _question(node: dict[str, Any], ids: dict[str, str], problems: list[str]) -> dict[str, Any] | None:
    kind = str(node.get("type", ""))
    name = str(node.get("name", ""))
    where = _row(name)
    if kind in SKIPPED:
        return None
    qtype = TYPES.get(kind)
    if qtype is None:
        problems.append(_("%(where)s: the XLSForm type “%(type)s” is not supported.") % {
            "where": where, "type": kind})
        return None
    qid = ids.setdefault(name, _ident(name))
    bind = node.get("bind", {}) or {}
    question: dict[str, Any] = {
        "id": qid, "type": qtype, "label": _text(node.get("label")) or {"en": name, "nb": name},
        "required": str(bind.get("required", "")).lower() in ("yes", "true", "true()"),
    }
    hint = _text(node.get("hint"))
    if hint:
        question["help"] = hint
    if qtype == "text" and "multiline" in str((node.get("control") or {}).get("appearance", "")):
        question["type"] = "longtext"
    if qtype in ("single", "multiple"):
        choices = node.get("choices") or []
        if not choices:
            problems.append(_("%(where)s: the choice list “%(list)s” is missing or empty.") % {
                "where": where, "list": node.get("list_name")})
            return None
        question["choices"] = [{"value": str(c.get("name")), "label": _text(c.get("label")) or {
            "en": str(c.get("name")), "nb": str(c.get("name"))}} for c in choices]
    if qtype == "number":
        question["decimals"] = 0 if kind == "integer" else 2
        for op, number in _RANGE.findall(str(bind.get("constraint", ""))):
            value = float(number)
            value_out: float | int = int(value) if value.is_integer() else value
            if op in (">=", ">"):
                question["min"] = value_out
            else:
                question["max"] = value_out
    relevant = _relevant(bind.get("relevant"), ids, where, problems)
    if relevant:
        question["relevant"] = relevant
    return question


def from_xlsform(data: bytes) -> dict[str, Any]:
    """Our definition from an XLSForm workbook (begin/end group become sections)."""
    from pyxform.xls2json import parse_file_to_json  # noqa: PLC0415 - only imports need pyxform

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.xlsx"
        path.write_bytes(data)
        try:
            form = parse_file_to_json(str(path))
        except Exception as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ImportProblem([_("The XLSForm cannot be read: %(problem)s") % {
                "problem": message[:300]}]) from exc
    problems: list[str] = []
    ids: dict[str, str] = {}
    sections: list[dict[str, Any]] = []
    loose: list[dict[str, Any]] = []

    def flush_loose() -> None:
        if loose:
            n = len(sections) + 1
            sections.append({"id": f"part_{n}", "title": {"en": f"Part {n}", "nb": f"Del {n}"},
                             "questions": list(loose)})
            loose.clear()

    def collect(children: list[dict[str, Any]], into: list[dict[str, Any]]) -> None:
        for child in children:
            if child.get("type") == "group":
                collect(child.get("children", []), into)
            elif child.get("type") == "repeat":
                problems.append(_repeat(child))
            else:
                question = _question(child, ids, problems)
                if question:
                    into.append(question)

    for child in form.get("children", []):
        if child.get("name") == "meta" or (child.get("control") or {}).get("bodyless"):
            continue
        if child.get("type") == "group":
            flush_loose()
            questions: list[dict[str, Any]] = []
            collect(child.get("children", []), questions)
            if questions:
                section: dict[str, Any] = {
                    "id": ids.setdefault(str(child.get("name")), _ident(str(child.get("name")))),
                    "title": _text(child.get("label")) or {"en": child.get("name"), "nb": child.get("name")},
                    "questions": questions}
                relevant = _relevant((child.get("bind") or {}).get("relevant"), ids,
                                     _("Group “%(name)s”") % {"name": child.get("name")}, problems)
                if relevant:
                    section["relevant"] = relevant
                sections.append(section)
        elif child.get("type") == "repeat":
            problems.append(_repeat(child))
        else:
            question = _question(child, ids, problems)
            if question:
                loose.append(question)
    flush_loose()
    if not sections:
        problems.append(_("The form has no questions that can be imported."))
    if problems:
        raise ImportProblem(problems)
    key = re.sub(r"[^a-z0-9-]", "-", str(form.get("id_string") or "imported").lower()).strip("-")[:60]
    title = str(form.get("title") or key)
    return {"key": key or "imported", "version": 1, "title": {"en": title, "nb": title},
            "sections": sections}
