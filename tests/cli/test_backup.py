"""``backup`` and ``restore``: the whole database out to one file and back.

SQLite tests run against pytest-django's test database, which lives in memory
under a shared-cache ``file:`` name that other connections in this process can
open, so the commands really copy it out and back in through SQLite's backup API.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_scopes import scopes_disabled

from peerwork.accounts.models import User
from peerwork.core.backups import pg_tool, sqlite_backup
from peerwork.orgs.models import AuditEvent, Membership, Organisation

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite",
                               reason="SQLite backup: this run uses PostgreSQL")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="pg_dump/pg_restore: this run uses SQLite (set DATABASE_URL)")


def snapshot() -> dict[str, Any]:
    with scopes_disabled():
        return {
            "organisations": sorted(Organisation.objects.values_list("slug", "name", "created")),
            "users": sorted(User.objects.values_list("email", "password")),
            "memberships": sorted(Membership.objects.values_list("organisation__slug", "user__email",
                                                                 "role")),
            "events": sorted(AuditEvent.objects.values_list("uuid", "action", "target")),
        }


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def backup_then_lose_and_restore(world: Any, path: Path) -> None:
    # Arrange: a backup, then Fjordvik is deleted with its members and audit trail.
    before = snapshot()
    output = backup(path)
    assert output.startswith(f"Backed up the {connection.vendor} database to {path} (")
    world.org.delete()
    User.objects.filter(email="peer@fjordvik.test").delete()
    assert snapshot() != before

    # Act
    output = restore(path, "--yes")

    # Assert
    assert "Restored the " in output
    assert snapshot() == before
    assert Organisation.objects.get(slug=world.org.slug).name == "Fjordvik psykisk helse"


@on_sqlite
def test_backup_restore_sqlite_brings_back_deleted_organisation(transactional_db, world, tmp_path):
    backup_then_lose_and_restore(world, tmp_path / "peerwork.sqlite3")


@on_sqlite
def test_backup_sqlite_is_one_self_contained_database_file(transactional_db, world, tmp_path):
    path = tmp_path / "peerwork.sqlite3"

    backup(path)

    copy = sqlite3.connect(path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT slug FROM orgs_organisation ORDER BY slug").fetchall() == [
            (world.org.slug,), (world.other_org.slug,)]
    finally:
        copy.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peerwork.sqlite3"]


@on_sqlite
def test_sqlite_backup_from_database_file_by_path(transactional_db, world, tmp_path):
    # The live database of an installation is a file, named by its path: copy one and
    # then copy that copy, as the command does with settings' NAME.
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    backup(first)

    sqlite_backup(str(first), second)

    copy = sqlite3.connect(second)
    try:
        assert copy.execute("SELECT count(*) FROM orgs_organisation").fetchone() == (2,)
    finally:
        copy.close()


@on_postgresql
def test_backup_restore_postgresql_brings_back_deleted_organisation(transactional_db, world, tmp_path):
    backup_then_lose_and_restore(world, tmp_path / "peerwork.dump")


@on_postgresql
def test_restore_postgresql_refuses_sqlite_file(db, tmp_path):
    path = tmp_path / "peerwork.sqlite3"
    sqlite3.connect(path).close()
    path.write_bytes(b"SQLite format 3\x00" + bytes(100))

    with pytest.raises(CommandError, match="is an SQLite backup; this installation uses PostgreSQL"):
        restore(path, "--yes")


def test_restore_without_yes_and_without_terminal_refuses(transactional_db, world, tmp_path, monkeypatch):
    path = tmp_path / "backup"
    backup(path)
    world.org.delete()
    after_delete = snapshot()
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))

    with pytest.raises(CommandError, match="add --yes to confirm"):
        restore(path)

    assert snapshot() == after_delete


def test_restore_missing_file_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.sqlite3: no such file\."):
        restore(tmp_path / "missing.sqlite3", "--yes")


def test_restore_file_of_wrong_format_refused(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n", encoding="utf-8")
    before = snapshot()
    expected = ("is not an SQLite database" if connection.vendor == "sqlite"
                else "is not a PostgreSQL backup in pg_dump's custom format")

    with pytest.raises(CommandError, match=expected):
        restore(path, "--yes")
    assert snapshot() == before


@on_sqlite
def test_restore_sqlite_database_of_another_application_refused(db, tmp_path):
    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE django_migrations (id integer primary key)")
    other.commit()
    other.close()

    with pytest.raises(CommandError, match="is not a Peerwork backup: it has no table orgs_organisation"):
        restore(path, "--yes")


def test_backup_into_missing_folder_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"folder .*nowhere does not exist"):
        backup(tmp_path / "nowhere" / "backup")


def test_missing_pg_dump_gives_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match=r"pg_dump was not found\. Install the PostgreSQL client tools"):
        pg_tool("pg_dump")
