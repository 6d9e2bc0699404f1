"""Whole-database backups, shared by the ``backup`` and ``restore`` commands.

SQLite: Python's online backup API, a snapshot even while the site is running.
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

# Settings key → the libpq variable that pg_dump and pg_restore read.
PG_ENVIRONMENT = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER",
                  "PASSWORD": "PGPASSWORD", "NAME": "PGDATABASE"}


def database_settings() -> dict[str, Any]:
    """The live settings of the default database (under tests, the test database's)."""
    return connections[DEFAULT_DB_ALIAS].settings_dict


def engine_of(settings_dict: dict[str, Any]) -> str:
    """``"postgresql"``, ``"sqlite"``, or CommandError for an engine we cannot back up."""
    engine = str(settings_dict["ENGINE"])
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise CommandError(f"Backups of the database engine {engine} are not supported.")


def sqlite_connect(name: str | Path, *, mode: str = "rw") -> sqlite3.Connection:
    """Open an existing SQLite database by path, or by a ``file:`` URI as Django's test
    databases are named. ``mode`` is ``"rw"`` or ``"ro"``; neither creates a missing file."""
    if isinstance(name, str) and name.startswith("file:"):
        uri = name
    elif str(name) == ":memory:":
        raise CommandError("The database is a private in-memory database; no other connection can reach it.")
    else:
        # A URI so that the mode applies; as_uri() escapes any ? or # in the path.
        uri = f"{Path(name).resolve().as_uri()}?mode={mode}"
    try:
        return sqlite3.connect(uri, uri=True, timeout=20)
    except sqlite3.Error as exc:
        raise CommandError(f"Cannot open the SQLite database {name}: {exc}") from exc


def sqlite_copy(source: sqlite3.Connection, destination: sqlite3.Connection) -> None:
    """Copy every page of ``source`` into ``destination`` with the online backup API."""
    try:
        source.backup(destination)
    except sqlite3.Error as exc:
        raise CommandError(f"SQLite could not copy the database: {exc}") from exc


def sqlite_backup(name: str, destination: Path) -> None:
    """Write a snapshot of the SQLite database ``name`` to ``destination``, whole or not at all."""
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.",
                                         suffix=".tmp")
    os.close(handle)
    try:
        source = sqlite_connect(name)
        target = sqlite3.connect(temporary)
        try:
            sqlite_copy(source, target)
            # One self-contained file: in WAL mode it would need -wal and -shm files beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
            source.close()
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: connection details from settings, none on the command line."""
    environment = os.environ.copy()
    for key, variable in PG_ENVIRONMENT.items():
        value = settings_dict.get(key)
        if value:
            environment[variable] = str(value)
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def pg_tool(name: str) -> str:
    """The full path of a PostgreSQL client program, or a CommandError saying how to get it."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools (Debian: postgresql-client) "
            "of the server's major version or newer."
        )
    return path


def run_pg_tool(arguments: list[str], settings_dict: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL client program; CommandError with its own message when it fails."""
    # No shell, and the password travels in the environment, not in the process list.
    result = subprocess.run(  # noqa: S603 - fixed program path, arguments are not shell-parsed
        arguments, env=pg_environment(settings_dict), capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        problem = lines[-1] if lines else f"exit status {result.returncode}"
        raise CommandError(f"{Path(arguments[0]).name} failed: {problem}")
    return result


def pg_backup(settings_dict: dict[str, Any], destination: Path) -> None:
    """Write ``pg_dump --format=custom`` of the database to ``destination``, whole or not at all."""
    pg_dump = pg_tool("pg_dump")
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.",
                                         suffix=".tmp")
    os.close(handle)
    try:
        run_pg_tool([pg_dump, "--format=custom", "--no-password", f"--file={temporary}"], settings_dict)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
