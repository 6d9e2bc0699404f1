"""SQLite tables of anonymous rows without the hidden rowid.

An ordinary SQLite table numbers its rows in insertion order (the rowid), which would
tell anyone with the database file the order in which people answered. A WITHOUT ROWID
table is stored in the order of its primary key, which for anonymous rows is random.
Django cannot create such a table, and its SQLite schema editor rebuilds a table as an
ordinary one whenever a migration alters it, so every migration that touches one of
these tables calls ``rebuild_without_rowid`` again (``tests/test_anonymous_tables.py``
fails if one is missed). PostgreSQL has no such column.
"""

from __future__ import annotations

from typing import Any

# Tables whose row order must say nothing about when a row was written.
ANONYMOUS_TABLES = ("surveys_response", "assessments_response", "assessments_answer")


def is_without_rowid(cursor: Any, table: str) -> bool:
    cursor.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=%s", [table])
    row = cursor.fetchone()
    return row is not None and row[0].rstrip().upper().endswith("WITHOUT ROWID")


def rebuild_without_rowid(schema_editor: Any, table: str) -> None:
    """Rebuild ``table`` WITHOUT ROWID, keeping its rows, indexes and the foreign keys
    that point at it; nothing on other databases or when it is one already.

    Done the way Django's own SQLite rebuilds are: a new table under a temporary name,
    a copy, the old one dropped and the new one renamed, so that other tables'
    references to the name still hold. Run it inside a migration, whose schema editor
    has switched foreign key enforcement off."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    quote = schema_editor.quote_name
    temporary = f"new__{table}"
    with connection.cursor() as cursor:
        if is_without_rowid(cursor, table):
            return
        cursor.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=%s", [table])
        create = cursor.fetchone()[0]
        cursor.execute("SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=%s "
                       "AND sql IS NOT NULL", [table])
        indexes = [row[0] for row in cursor.fetchall()]
        head, body = create.split("(", 1)
        if quote(table) not in head and table not in head:
            raise RuntimeError(f"unexpected CREATE statement for {table}: {head}")
        cursor.execute(f"CREATE TABLE {quote(temporary)} ({body} WITHOUT ROWID")
        cursor.execute(f"INSERT INTO {quote(temporary)} SELECT * FROM {quote(table)}")  # noqa: S608 - our table
        cursor.execute(f"DROP TABLE {quote(table)}")
        cursor.execute(f"ALTER TABLE {quote(temporary)} RENAME TO {quote(table)}")
        for sql in indexes:
            cursor.execute(sql)
