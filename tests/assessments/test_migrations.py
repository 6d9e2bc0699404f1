"""Migration 0003 (answers keyed by response and item, no rowid on SQLite) keeps every
answer, forwards and backwards, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0002_round_summary")]
AFTER = [("assessments", "0003_answer_composite_key")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


@pytest.fixture
def at_0002(transactional_db: Any) -> Iterator[Any]:
    """The historical models of 0002, on a database migrated back to it; migrated
    forward again afterwards, whatever the test did."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _seed(apps: Any) -> list[tuple[str, str, int | None, str]]:
    organisation = apps.get_model("orgs", "Organisation").objects.create(
        slug="fjordvik", name="Fjordvik", type="municipal")
    round_ = apps.get_model("assessments", "Round").objects.create(
        organisation=organisation, title="R", stage="first_year",
        role_form="role_form.care_provider", closes_on=dt.date(2030, 1, 1),
        questionnaire="readiness", questionnaire_version=1)
    response_model = apps.get_model("assessments", "Response")
    answer_model = apps.get_model("assessments", "Answer")
    expected = []
    for n in range(3):
        response = response_model.objects.create(
            id=uuid.uuid4(), round=round_, organisation=organisation, position="colleague",
            resume_hash=f"{n:064d}", started_on=dt.date(2029, 12, 1))
        for item, value, comment in [("i2", 4, "«Bra» 😀"), ("i1", None, ""), ("i3", 1, "x" * 2000)]:
            answer_model.objects.create(response=response, item=item, value=value, comment=comment)
            expected.append((str(response.id), item, value, comment))
    return sorted(expected)


def _answers(apps: Any) -> list[tuple[str, str, int | None, str]]:
    rows = apps.get_model("assessments", "Answer").objects.values_list(
        "response_id", "item", "value", "comment")
    return sorted((str(r), i, v, c) for r, i, v, c in rows)


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def test_migration_0003_keeps_every_answer_and_drops_the_serial_key(at_0002):
    # Arrange
    expected = _seed(at_0002)

    # Act
    after = _migrate(AFTER)

    # Assert
    assert _answers(after) == expected
    assert _columns("assessments_answer") == {"response_id", "item", "value", "comment"}
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "assessments_answer")
    keys = [sorted(c["columns"]) for c in constraints.values() if c["primary_key"]]
    assert keys == [["item", "response_id"]]
    assert [c["columns"] for c in constraints.values() if c["unique"] and not c["primary_key"]] == []


def test_migration_0003_reversed_keeps_every_answer(at_0002):
    # Arrange
    expected = _seed(at_0002)
    _migrate(AFTER)

    # Act
    before = _migrate(BEFORE)

    # Assert
    assert _answers(before) == expected
    assert _columns("assessments_answer") == {"id", "item", "value", "comment", "response_id"}
