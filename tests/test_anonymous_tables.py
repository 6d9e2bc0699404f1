"""The tables of anonymous answers have nothing that numbers rows in the order they were
written: no serial or identity column, and on SQLite no rowid (a migration that rebuilds
one of them through Django's SQLite schema editor silently brings the rowid back; the
test database is built by the migrations, so this fails if one forgets to drop it)."""

from __future__ import annotations

import pytest
from django.db import connection

from peerwork.core.sqlite_tables import ANONYMOUS_TABLES, is_without_rowid


def _numbering_columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return [] if is_without_rowid(cursor, table) else ["rowid"]
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                       "AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')", [table])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.parametrize("table", ANONYMOUS_TABLES)
def test_anonymous_table_numbers_no_rows(table: str) -> None:
    with connection.cursor() as cursor:
        assert table in connection.introspection.table_names(cursor)

    assert _numbering_columns(table) == []


@pytest.mark.django_db
def test_anonymous_table_check_sees_a_serial_key() -> None:
    # The check above is not blind: an ordinary table with a serial key is caught.
    assert _numbering_columns("assessments_action") == (
        ["rowid"] if connection.vendor == "sqlite" else ["id"])
