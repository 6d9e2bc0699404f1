"""``import_org FILE [--as-slug NEW]``: create an organisation from an export (see orgs/transfer.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from peerwork.orgs import transfer


class Command(BaseCommand):
    help = ("Create an organisation, its members and its audit trail from a file written by "
            "export_org. All or nothing: on any error nothing is saved.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the export file, or - for standard input")
        parser.add_argument("--as-slug", default="", metavar="NEW",
                            help="import under this short name instead of the one in the file")

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["file"]
        raw = self._read(name)
        try:
            document = transfer.read_document(raw)
            result = transfer.import_organisation(actor=None, document=document,
                                                  slug=options["as_slug"])
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if getattr(exc, "code", None) == transfer.SLUG_TAKEN:
                message += " Use --as-slug NEW to import it under another short name."
            raise CommandError(f"{name}: nothing imported. {message}") from exc
        except DatabaseError as exc:
            # For example a short name taken by a concurrent import after our check.
            raise CommandError(f"{name}: nothing imported. The database refused it: {exc}") from exc
        organisation = result.organisation
        self.stdout.write(self.style.SUCCESS(
            f"Imported {organisation.name} as {organisation.slug}: {result.members} members, "
            f"{result.audit_events} audit events."
        ))
        if result.new_accounts:
            self.stdout.write(
                "New accounts, without a password until each person sets one with "
                f"“Forgot password” ({len(result.new_accounts)}): {', '.join(result.new_accounts)}"
            )

    def _read(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read()
        path = Path(name)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"{name}: no such file.") from exc
        except OSError as exc:
            raise CommandError(f"{name}: cannot be read: {exc.strerror or exc}") from exc
