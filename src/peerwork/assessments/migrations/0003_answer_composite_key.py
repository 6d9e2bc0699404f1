"""Answers keyed by (response, item) instead of a serial number, and on SQLite the
response and answer tables without the hidden rowid: a serial number or a rowid tells
anyone with the database the order in which answers arrived.

Django cannot change a table's primary key in place, so the answers are copied out,
the table is created anew and the answers copied back, in key order, within the
migration's transaction (SQLite and PostgreSQL alike). Reversible the same way.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from peerwork.core.sqlite_tables import rebuild_without_rowid

COLUMNS = "response_id, item, value, comment"
COPY = "assessments_answer_copy"


def _copy_out(apps: Any, schema_editor: Any) -> None:
    """Keep the answers in a plain table and drop the answer table."""
    answer = apps.get_model("assessments", "Answer")
    table = schema_editor.quote_name(answer._meta.db_table)
    schema_editor.execute(f"CREATE TABLE {COPY} AS SELECT {COLUMNS} FROM {table}")  # noqa: S608
    schema_editor.delete_model(answer)


def _copy_in(apps: Any, schema_editor: Any) -> None:
    """Create the answer table as the model now says and put the answers back."""
    answer = apps.get_model("assessments", "Answer")
    schema_editor.create_model(answer)
    if isinstance(answer._meta.pk, models.CompositePrimaryKey):  # not the old serial key
        rebuild_without_rowid(schema_editor, answer._meta.db_table)
    table = schema_editor.quote_name(answer._meta.db_table)
    schema_editor.execute(f"INSERT INTO {table} ({COLUMNS}) "  # noqa: S608
                          f"SELECT {COLUMNS} FROM {COPY} ORDER BY response_id, item")
    schema_editor.execute(f"DROP TABLE {COPY}")


def _responses_without_rowid(apps: Any, schema_editor: Any) -> None:
    rebuild_without_rowid(schema_editor, "assessments_response")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0002_round_summary"),
    ]

    operations = [
        migrations.RunPython(_copy_out, _copy_in),
        # No answer table exists here, so nothing refers to the response table while
        # SQLite rebuilds it.
        migrations.RunPython(_responses_without_rowid, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveConstraint(model_name="answer", name="one_answer_per_item"),
            migrations.RemoveField(model_name="answer", name="id"),
            migrations.AddField(
                model_name="answer", name="pk",
                field=models.CompositePrimaryKey("response", "item", blank=True, editable=False,
                                                 primary_key=True, serialize=False),
            ),
            migrations.AlterField(
                model_name="answer", name="response",
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                        related_name="answers", to="assessments.response"),
            ),
        ]),
        migrations.RunPython(_copy_in, _copy_out),
    ]
