"""On SQLite, rebuild the response table WITHOUT ROWID (``peerwork.core.sqlite_tables``).

An ordinary SQLite table numbers its rows in insertion order (the hidden rowid),
which would tell anyone with the database file the order in which people
answered. A WITHOUT ROWID table is stored in the order of its random UUID key.
PostgreSQL has no such column to drop.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from peerwork.core.sqlite_tables import rebuild_without_rowid


def without_rowid(apps: Any, schema_editor: Any) -> None:
    rebuild_without_rowid(schema_editor, "surveys_response")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(without_rowid, migrations.RunPython.noop)]
