"""``restore FILE [--yes]``: replace the whole database with a backup made by ``backup``.

The file is checked first (the right kind, and Peerwork's tables in it); only
then is anything replaced. Without a terminal to ask, ``--yes`` is required.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from peerwork.core.backups import (
    database_settings,
    engine_of,
    pg_tool,
    run_pg_tool,
    sqlite_connect,
    sqlite_copy,
)

# Tables every Peerwork database has; a file without them is some other database.
REQUIRED_TABLES = ("django_migrations", "orgs_organisation")
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read: {exc.strerror or exc}") from exc


def check_sqlite_backup(path: Path) -> None:
    """CommandError unless ``path`` is an intact SQLite database with Peerwork's tables."""
    header = _header(path)
    if header.startswith(PG_CUSTOM_HEADER):
        raise CommandError(f"{path} is a PostgreSQL backup; this installation uses SQLite.")
    if header != SQLITE_HEADER:
        raise CommandError(f"{path} is not an SQLite database.")
    source = sqlite_connect(path, mode="ro")
    try:
        verdict = source.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise CommandError(f"{path} is a damaged SQLite database: {exc}") from exc
    finally:
        source.close()
    if verdict != "ok":
        raise CommandError(f"{path} is a damaged SQLite database: {verdict}")
    missing = [table for table in REQUIRED_TABLES if table not in tables]
    if missing:
        raise CommandError(f"{path} is not a Peerwork backup: it has no table {', '.join(missing)}.")


def check_pg_backup(path: Path, settings_dict: dict[str, Any]) -> None:
    """CommandError unless ``path`` is a pg_dump custom-format archive with Peerwork's tables."""
    header = _header(path)
    if header == SQLITE_HEADER:
        raise CommandError(f"{path} is an SQLite backup; this installation uses PostgreSQL.")
    if not header.startswith(PG_CUSTOM_HEADER):
        raise CommandError(f"{path} is not a PostgreSQL backup in pg_dump's custom format.")
    listing = run_pg_tool([pg_tool("pg_restore"), "--list", str(path)], settings_dict).stdout
    missing = [table for table in REQUIRED_TABLES
               if not re.search(rf"\bTABLE \S+ {table}\b", listing)]
    if missing:
        raise CommandError(f"{path} is not a Peerwork backup: it has no table {', '.join(missing)}.")


class Command(BaseCommand):
    help = ("Replace the whole database with a backup written by the backup command. "
            "Stop the site and the task workers first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--yes", action="store_true",
                            help="do not ask; required when standard input is not a terminal")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        settings_dict = database_settings()
        engine = engine_of(settings_dict)
        if not path.exists():
            raise CommandError(f"{path}: no such file.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if engine == "sqlite":
            check_sqlite_backup(path)
            target = f"the SQLite database {settings_dict['NAME']}"
        else:
            check_pg_backup(path, settings_dict)
            host = settings_dict.get("HOST") or "localhost"
            target = f"the PostgreSQL database {settings_dict['NAME']} on {host}"
        self._confirm(options["yes"], target=target, path=path)

        # Our own open connections would hold locks (and, on SQLite, stale pages).
        connections.close_all()
        if engine == "sqlite":
            source = sqlite_connect(path, mode="ro")
            live = sqlite_connect(str(settings_dict["NAME"]))
            try:
                sqlite_copy(source, live)
            finally:
                live.close()
                source.close()
        else:
            # One transaction: if anything fails, the database stays as it was.
            run_pg_tool([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
                         "--single-transaction", "--no-password", f"--dbname={settings_dict['NAME']}",
                         str(path)], settings_dict)
        self.stdout.write(self.style.SUCCESS(f"Restored {target} from {path}."))
        pending = self._unapplied_migrations()
        if pending:
            self.stdout.write(self.style.WARNING(
                f"The backup is {pending} migrations behind this version of Peerwork: "
                "run `python -m peerwork migrate` before starting the site."
            ))

    def _confirm(self, yes: bool, *, target: str, path: Path) -> None:
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError(f"Not replacing {target} with {path}: add --yes to confirm "
                               "(there is no terminal to ask).")
        try:
            answer = input(f"Replace everything in {target} with {path}? This cannot be undone. "
                           "Type yes to continue: ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError("Nothing restored.") from exc
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing restored.")

    def _unapplied_migrations(self) -> int:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
