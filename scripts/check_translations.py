#!/usr/bin/env python
"""Check the Norsk bokmål catalogue against the messages the code uses.

    .venv/bin/python scripts/check_translations.py            # check, change nothing
    .venv/bin/python scripts/check_translations.py --update   # run makemessages for real

The check extracts the messages from a temporary copy of ``src/peerwork`` with
Django's makemessages (same options as ``--update``, ``LOCALE_PATHS`` pointed
at the copy), so the committed catalogue and the source tree are never
touched: makemessages writes scratch ``*.html.py`` files next to the templates
it reads, which other people's running servers and tests could trip over.

It fails (exit status 1, listing each message) when a message in the code is
missing from the catalogue, or a catalogue entry is untranslated, fuzzy, has
the wrong number of plural forms, or does not keep the placeholders of its
msgid (``%(name)s``, ``%s``, ``{name}``); and when ``msgfmt --check-format``
rejects the file. Entries the code no longer uses are only reported, since
the next ``--update`` marks them obsolete.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "peerwork"
LANGUAGE = "nb"
CATALOGUE = PACKAGE / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
NPLURALS = 2

# makemessages' options, shared by the check and --update so both see the same
# messages. File names without line numbers give translators context and keep
# diffs small; static/ holds only CSS and vendored JavaScript; var/ appears when
# someone starts the project from inside src/peerwork.
IGNORE_PATTERNS = ("static", "var")
MAKEMESSAGES_OPTIONS = {"add_location": "file"}

# printf-style conversions as Python's % operator reads them; "%%" is a literal.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
# str.format fields; "{{" and "}}" are literal braces.
BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}]*)\}")

Key = tuple[str, str, str]  # (msgctxt, msgid, msgid_plural)


@dataclass
class Result:
    messages: int
    problems: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def entry_key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def describe(key: Key) -> str:
    context, msgid, plural = key
    text = repr(msgid)
    if plural:
        text += f" / {plural!r}"
    if context:
        text = f"[{context}] {text}"
    return text


def placeholders(text: str, *, printf: bool) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """Named %-placeholders, unnamed %-conversions in order, and {}-fields of ``text``.

    Unnamed conversions are only read when ``printf`` (the entry is flagged
    python-format); elsewhere a lone "%" is ordinary text, as in "50 % of".
    """
    named: set[str] = set()
    positional: list[str] = []
    for match in PRINTF.finditer(text):
        if match["conv"] == "%" and match["name"] is None:
            continue
        if match["name"] is not None:
            named.add(f"%({match['name']})")
        elif printf:
            positional.append("%" + match["conv"])
    fields = {re.split(r"[!:]", m["field"], maxsplit=1)[0] for m in BRACE.finditer(text)
              if m["field"] is not None}
    return frozenset(named), tuple(positional), frozenset(fields)


def _translations(entry: polib.POEntry) -> Iterator[tuple[str, str]]:
    """Pairs (source text, translation) to compare: each plural form with its msgid."""
    if entry.msgid_plural:
        for index, text in sorted(entry.msgstr_plural.items()):
            yield (entry.msgid if index == 0 else entry.msgid_plural), text
    else:
        yield entry.msgid, entry.msgstr


def check_entry(entry: polib.POEntry) -> list[str]:
    """What is wrong with one catalogue entry; empty when it is usable."""
    name = describe(entry_key(entry))
    problems = []
    if "fuzzy" in entry.flags:
        problems.append(f"fuzzy: {name}")
    if entry.msgid_plural and len(entry.msgstr_plural) != NPLURALS:
        problems.append(f"needs {NPLURALS} plural forms, has {len(entry.msgstr_plural)}: {name}")
    printf = "python-format" in entry.flags
    for source, text in _translations(entry):
        if not text.strip():
            problems.append(f"untranslated: {name}")
            break
        expected = placeholders(source, printf=printf)
        found = placeholders(text, printf=printf)
        if found != expected:
            problems.append(f"placeholders differ in {text!r}: expected "
                            f"{_show(expected)}, found {_show(found)}; msgid {name}")
    return problems


def _show(found: tuple[frozenset[str], tuple[str, ...], frozenset[str]]) -> str:
    named, positional, fields = found
    items = sorted(f"{n}s" for n in named) + list(positional) + sorted(f"{{{f}}}" for f in fields)
    return ", ".join(items) or "none"


def check_catalogue(catalogue: polib.POFile, used: Iterable[Key]) -> Result:
    """Compare a catalogue with the messages the code uses (the keys of ``used``)."""
    used = set(used)
    entries = {entry_key(e): e for e in catalogue if not e.obsolete}
    result = Result(messages=len(used))
    if catalogue.metadata_is_fuzzy:
        result.problems.append("the catalogue's header is marked fuzzy")
    if catalogue.metadata.get("Language") != LANGUAGE:
        result.problems.append(f"the header's Language is not {LANGUAGE!r}")
    if f"nplurals={NPLURALS};" not in catalogue.metadata.get("Plural-Forms", "").replace(" ", ""):
        result.problems.append(f"the header's Plural-Forms does not say nplurals={NPLURALS}")
    for key in sorted(used - entries.keys()):
        result.problems.append(f"missing from the catalogue: {describe(key)}")
    for key in sorted(entries):
        result.problems.extend(check_entry(entries[key]))
    result.unused = [describe(key) for key in sorted(entries.keys() - used)]
    return result


def check_compiles(path: Path) -> list[str]:
    """What ``msgfmt --check-format`` says about the file; empty when it compiles."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return ["msgfmt is missing: install gettext (scripts/bootstrap.sh does)"]
    run = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
        [msgfmt, "--check-format", "--check-header", "-o", os.devnull, str(path)],
        capture_output=True, text=True, check=False,
    )
    if run.returncode == 0:
        return []
    return [f"msgfmt: {line}" for line in run.stderr.splitlines() if line.strip()] or ["msgfmt failed"]


def _makemessages(directory: Path) -> None:
    """Run makemessages for ``LANGUAGE`` in ``directory`` (a copy of, or the real, package)."""
    from django.core.management import call_command  # noqa: PLC0415 - Django is set up by then
    from django.test.utils import override_settings  # noqa: PLC0415 - Django is set up by then

    with override_settings(LOCALE_PATHS=[directory / "locale"]), contextlib.chdir(directory):
        call_command("makemessages", locale=[LANGUAGE], verbosity=0,
                     ignore_patterns=list(IGNORE_PATTERNS), **MAKEMESSAGES_OPTIONS)


def extract_messages(package: Path = PACKAGE) -> set[Key]:
    """The messages the code in ``package`` marks for translation; ``package`` is left as it was."""
    with tempfile.TemporaryDirectory(prefix="peerwork-i18n-") as tmp:
        copy = Path(tmp) / "peerwork"
        shutil.copytree(package, copy, symlinks=True,
                        ignore=shutil.ignore_patterns(*IGNORE_PATTERNS, "locale", "__pycache__", "*.pyc"))
        _makemessages(copy)
        extracted = polib.pofile(str(copy / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"))
        return {entry_key(e) for e in extracted if not e.obsolete}


def update_catalogue() -> None:
    """makemessages on the real package: add new messages, mark unused ones obsolete."""
    _makemessages(PACKAGE)


def check(catalogue_path: Path = CATALOGUE, package: Path = PACKAGE) -> Result:
    """The whole check: the catalogue against the code, then msgfmt."""
    result = check_catalogue(polib.pofile(str(catalogue_path)), extract_messages(package))
    result.problems.extend(check_compiles(catalogue_path))
    return result


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    # Settings create the data folder; keep it at the project's usual place
    # whatever the current directory is.
    os.environ.setdefault("PEERWORK_DATA_DIR", str(ROOT / "var"))
    import django  # noqa: PLC0415 - after the environment is set

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true",
                        help="run makemessages on src/peerwork first, with the check's options")
    args = parser.parse_args(argv)
    _setup_django()
    if args.update:
        update_catalogue()
    result = check()
    relative = CATALOGUE.relative_to(ROOT)
    if result.unused:
        print(f"note: {len(result.unused)} entries in {relative} are no longer used in the code "
              "(--update marks them obsolete):")
        for line in result.unused:
            print(f"  {line}")
    if not result.ok:
        print(f"translations: {len(result.problems)} problems in {relative}:", file=sys.stderr)
        for line in result.problems:
            print(f"  {line}", file=sys.stderr)
        print("Run `.venv/bin/python scripts/check_translations.py --update`, translate the new "
              "entries, and run it again.", file=sys.stderr)
        return 1
    print(f"translations: {result.messages} messages, all translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
