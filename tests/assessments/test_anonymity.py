"""Answers carry no serial number, and everything that lists responses or answers does so
in the order of the responses' random ids, never in the order they were stored (which
PostgreSQL returns rows in when a query asks for no order)."""

from __future__ import annotations

import io
import uuid

from defusedcsv import csv
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from conftest import make_user
from peerwork.assessments import services
from peerwork.assessments.models import Answer, Response, Round, ShareLink
from peerwork.assessments.queries import submitted_responses
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.core.secrets import new_secret
from peerwork.core.sqlite_tables import is_without_rowid

from .conftest import open_round

STORED = 6


def _stored_against_id_order(round_: Round) -> list[tuple[str, int]]:
    """Six submitted responses, each with a respondent and a value, stored so that each
    one's id sorts before the ids of those stored earlier. Returns (email, value) in the
    order of the ids."""
    item = get_questionnaire().items_for(round_.stage)[0].id
    today = timezone.localdate()
    stored = []
    with scopes_disabled():
        for index in range(STORED):
            user = make_user(f"r{index}@fjordvik.test")
            response = Response.objects.create(
                id=uuid.UUID(f"{STORED - index:08x}-0000-4000-8000-{index:012x}"), round=round_,
                organisation=round_.organisation, position="colleague", resume_hash=f"{index:064d}",
                respondent=user, submitted=True, started_on=today, submitted_on=today)
            Answer.objects.create(response=response, item=item, value=index % 5 + 1)
            stored.append((user.email, index % 5 + 1))
    return stored[::-1]


def test_anonymity_answer_key_is_the_response_and_item_not_a_serial_number(world, round_):
    # Arrange
    item = get_questionnaire().items_for(round_.stage)[0].id
    _stored_against_id_order(round_)

    # Act
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(
            cursor, "assessments_answer")}
        without_rowid = connection.vendor != "sqlite" or is_without_rowid(cursor, "assessments_answer")
    with scopes_disabled():
        keys = sorted(Answer.objects.filter(item=item).values_list("response_id", "item"))
        responses = sorted(Response.objects.filter(round=round_).values_list("id", flat=True))

    # Assert
    assert columns == {"response_id", "item", "value", "comment"}
    assert without_rowid
    assert [f.name for f in Answer._meta.pk_fields] == ["response", "item"]
    assert keys == [(r, item) for r in responses]


def test_anonymity_answer_exports_follow_the_random_ids_not_the_order_stored(world):
    # Arrange: answer-level files exist only for rounds that are not anonymous.
    round_ = open_round(world, anonymous=False)
    expected = _stored_against_id_order(round_)
    client = world.client_for(world.manager)

    def export(fmt: str) -> bytes:
        response = client.get(reverse("assessments:export",
                                      args=[world.org.slug, round_.pk, "answers", fmt]))
        assert response.status_code == 200
        return response.content

    # Act
    rows = list(csv.reader(io.StringIO(export("csv").decode())))
    sheet = list(load_workbook(io.BytesIO(export("xlsx")), read_only=True)["answers"].values)

    # Assert
    header = rows[0]
    assert [(r[header.index("respondent")], int(r[header.index("value")])) for r in rows[1:]] == expected
    assert [(r[1], r[4]) for r in sheet[1:]] == expected


def test_anonymity_scoring_reads_responses_in_the_order_of_their_ids(world, round_):
    # Arrange
    expected = [value for _email, value in _stored_against_id_order(round_)]

    # Act
    responses = submitted_responses(round_)

    # Assert
    assert [next(iter(r.answers.values())) for r in responses] == expected


def _cache_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM peerwork_cache ORDER BY cache_key")
        return [row[0] for row in cursor.fetchall()]


def test_anonymity_cache_keeps_only_the_latest_scores_of_a_round(world, round_):
    # Arrange: results seen after five answers.
    items = get_questionnaire().items_for(round_.stage)
    with scopes_disabled():
        link = ShareLink.objects.select_related("round", "organisation").get(
            round=round_, position="colleague")

    def answer(value: int) -> None:
        services.answer_all_from_link(link=link, form_key=new_secret(),
                                      answers={i.id: (value, "") for i in items})

    for value in (1, 2, 3, 4, 5):
        answer(value)
    client = world.client_for(world.manager)
    results = f"/o/{world.org.slug}/assessments/{round_.pk}/results/"
    report = f"/o/{world.org.slug}/assessments/{round_.pk}/report/"
    assert client.get(results).status_code == client.get(report).status_code == 200
    before = _cache_keys()

    # Act: one more answer, and the results seen again.
    answer(4)
    client.get(results)
    client.get(report)

    # Assert: the same slots, now holding the scores of six; nothing of the five is left
    # beside them to subtract from.
    assert _cache_keys() == before
    assert any("round-scores" in key for key in before)
    assert any("chart" in key for key in before)
