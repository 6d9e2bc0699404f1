"""``export_org SLUG [-o FILE]``: one organisation as a JSON document (see orgs/transfer.py)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from peerwork.orgs import transfer
from peerwork.orgs.models import Organisation


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a failed write leaves no half file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = ("Export one organisation (profile, members and roles, audit trail) as JSON. "
            "Password hashes and invitations are never exported.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the organisation's short name")
        parser.add_argument("-o", "--output", type=Path,
                            help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        output: Path | None = options["output"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation has the short name {slug!r}.")
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: folder {output.parent} does not exist.")
        # The audit event commits only if the document was written.
        with transaction.atomic():
            document = transfer.export_organisation(actor=None, organisation=organisation)
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            if output is None:
                self.stdout.write(text, ending="")
                return
            try:
                write_atomically(output, text)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from exc
        # Status goes to stderr so that standard output stays pure JSON when used.
        self.stderr.write(
            f"Exported {organisation.slug}: {len(document['members'])} members, "
            f"{len(document['audit_events'])} audit events, to {output}.",
            style_func=self.style.SUCCESS,
        )
