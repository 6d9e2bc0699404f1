"""On SQLite, rebuild the response table WITHOUT ROWID.

An ordinary SQLite table numbers its rows in insertion order (the hidden rowid),
which would tell anyone with the database file the order in which people
answered. A WITHOUT ROWID table is stored in the order of its random UUID key.
PostgreSQL has no such column to drop.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def without_rowid(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name='surveys_response'")
        create = cursor.fetchone()[0]
        if "WITHOUT ROWID" in create.upper():
            return
        cursor.execute("SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='surveys_response' "
                       "AND sql IS NOT NULL")
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute("ALTER TABLE surveys_response RENAME TO surveys_response_old")
        cursor.execute(create + " WITHOUT ROWID")
        cursor.execute("INSERT INTO surveys_response SELECT * FROM surveys_response_old")
        cursor.execute("DROP TABLE surveys_response_old")
        for sql in indexes:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(without_rowid, migrations.RunPython.noop)]
