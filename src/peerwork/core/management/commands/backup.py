"""``backup FILE``: a consistent copy of the whole database in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.core.backups import (
    database_settings,
    engine_of,
    pg_backup,
    sqlite_backup,
)


class Command(BaseCommand):
    help = ("Back up the whole database to FILE: an SQLite copy, or a pg_dump archive in custom "
            "format for PostgreSQL. Read it back with restore.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file to write (replaced if it exists)")

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["file"]
        settings_dict = database_settings()
        engine = engine_of(settings_dict)
        if not destination.parent.is_dir():
            raise CommandError(f"Cannot write {destination}: folder {destination.parent} does not exist.")
        if destination.is_dir():
            raise CommandError(f"Cannot write {destination}: it is a folder.")
        try:
            if engine == "sqlite":
                sqlite_backup(str(settings_dict["NAME"]), destination)
            else:
                pg_backup(settings_dict, destination)
        except OSError as exc:
            raise CommandError(f"Cannot write {destination}: {exc.strerror or exc}") from exc
        size = destination.stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the {engine} database to {destination} ({size:,} bytes)."
        ))
