"""The whole questionnaire on one page: through an open link (nothing stored until the
respondent submits, all in one transaction) and through a private link."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from peerwork.assessments import services
from peerwork.assessments.models import Answer, Response, Round
from peerwork.assessments.questionnaires import get_questionnaire

from .conftest import link_of, start


def _items(round_: Round) -> list[str]:
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    return [i.id for i in questionnaire.items_for(round_.stage)]


def _form_key(page: bytes) -> str:
    match = re.search(rb'name="form_key" value="([^"]+)"', page)
    assert match is not None
    return match.group(1).decode()


def _counts(round_: Round) -> tuple[int, int]:
    with scopes_disabled():
        return (Response.objects.filter(round=round_).count(),
                Answer.objects.filter(response__round=round_).count())


def test_one_page_form_shows_every_question_and_stores_nothing(round_):
    # Arrange
    token = link_of(round_, "colleague")

    # Act
    page = Client().get(f"/a/{token}/all/")

    # Assert
    assert page.status_code == 200
    for item_id in _items(round_):
        assert f'name="value-{item_id}"'.encode() in page.content
    assert b"hx-post" not in page.content  # nothing is saved before Submit
    assert _counts(round_) == (0, 0)


def test_one_page_submission_saves_every_answer_at_once_and_shows_thanks(round_):
    # Arrange
    client = Client()
    token = link_of(round_, "peer_worker")
    key = _form_key(client.get(f"/a/{token}/all/").content)
    items = _items(round_)
    body = {f"value-{i}": "4" for i in items} | {"form_key": key, f"comment-{items[0]}": "  Only partly.  "}
    body[f"value-{items[1]}"] = "dont_know"

    # Act
    posted = client.post(f"/a/{token}/all/", body)

    # Assert
    assert posted.status_code == 200
    assert "Your answers are submitted." in posted.content.decode()
    assert "submitted" in client.get(f"/answer/{key}/").content.decode()
    with scopes_disabled():
        response = Response.objects.get(round=round_)
        saved = {a.item: (a.value, a.comment) for a in Answer.objects.filter(response=response)}
    assert response.submitted
    assert response.position == "peer_worker"
    assert response.started_on == response.submitted_on
    assert len(saved) == len(items)
    assert saved[items[0]] == (4, "Only partly.")
    assert saved[items[1]] == (None, "")


def test_one_page_replayed_form_is_refused_and_counted_once(round_):
    # Arrange
    client = Client()
    token = link_of(round_, "colleague")
    key = _form_key(client.get(f"/a/{token}/all/").content)
    body = {f"value-{i}": "3" for i in _items(round_)} | {"form_key": key}
    client.post(f"/a/{token}/all/", body)
    before = _counts(round_)

    # Act
    again = client.post(f"/a/{token}/all/", {**body, f"value-{_items(round_)[0]}": "1"})

    # Assert
    assert again.status_code == 409
    assert "already submitted" in again.content.decode()
    assert _counts(round_) == before
    with scopes_disabled():
        assert not Answer.objects.filter(response__round=round_, value=1).exists()


@pytest.mark.parametrize("bad_value", ["7", "many", "-1"])
def test_one_page_bad_value_saves_nothing_and_keeps_the_other_answers_on_screen(round_, bad_value):
    # Arrange
    client = Client()
    token = link_of(round_, "colleague")
    key = _form_key(client.get(f"/a/{token}/all/").content)
    items = _items(round_)
    body = {f"value-{i}": "2" for i in items} | {"form_key": key, f"value-{items[3]}": bad_value}

    # Act
    page = client.post(f"/a/{token}/all/", body)

    # Assert
    assert page.status_code == 400
    text = page.content.decode()
    assert "Choose one of the answers on the scale." in text
    assert f'name="value-{items[0]}" value="2" checked' in text
    assert _form_key(page.content) == key
    assert _counts(round_) == (0, 0)


def test_one_page_without_any_answer_is_refused(round_):
    client = Client()
    token = link_of(round_, "colleague")
    key = _form_key(client.get(f"/a/{token}/all/").content)

    page = client.post(f"/a/{token}/all/", {"form_key": key})

    assert page.status_code == 400
    assert "Answer at least one question" in page.content.decode()
    assert _counts(round_) == (0, 0)


@pytest.mark.parametrize("key", ["", "short", "x" * 200, "not/a/key/at/all/but/long/enough"])
def test_one_page_missing_or_forged_key_is_refused(round_, key):
    token = link_of(round_, "colleague")
    body = {f"value-{i}": "3" for i in _items(round_)} | {"form_key": key}

    page = Client().post(f"/a/{token}/all/", body)

    assert page.status_code == 400
    assert _counts(round_) == (0, 0)


def test_one_page_closed_round_is_refused_and_nothing_saved(world, round_, settings):
    # Arrange
    client = Client()
    token = link_of(round_, "colleague")
    key = _form_key(client.get(f"/a/{token}/all/").content)
    services.close_round(actor=world.manager, round_=round_)

    # Act
    posted = client.post(f"/a/{token}/all/", {f"value-{i}": "3" for i in _items(round_)} | {"form_key": key})
    settings.PEERWORK_LINK_CACHE_SECONDS = 0
    shown_again = client.get(f"/a/{token}/all/")

    # Assert
    assert posted.status_code == 410
    assert shown_again.status_code == 410
    assert _counts(round_) == (0, 0)


def test_one_page_form_may_be_shown_from_a_recent_lookup_but_never_submitted(world, round_, settings):
    # Arrange: the empty form may come from a lookup a few seconds old ...
    settings.PEERWORK_LINK_CACHE_SECONDS = 60
    client = Client()
    token = link_of(round_, "colleague")
    client.get(f"/a/{token}/all/")
    services.close_round(actor=world.manager, round_=round_)

    # Act
    shown = client.get(f"/a/{token}/all/")
    posted = client.post(f"/a/{token}/all/",
                         {f"value-{i}": "3" for i in _items(round_)} | {"form_key": _form_key(shown.content)})

    # Assert: ... but a submission always reads the link afresh.
    assert shown.status_code == 200
    assert posted.status_code == 410
    assert _counts(round_) == (0, 0)


def test_one_page_unknown_link_is_not_found(round_):
    assert Client().get("/a/no-such-token/all/").status_code == 404


def test_private_link_shows_all_questions_and_saves_them_in_one_post(round_):
    # Arrange
    client = Client()
    code = start(client, link_of(round_, "manager"))
    items = _items(round_)

    # Act
    page = client.get(f"/answer/{code}/?section=all")
    posted = client.post(f"/answer/{code}/?section=all", {f"value-{i}": "5" for i in items})
    again = client.post(f"/answer/{code}/?section=all", {f"value-{items[0]}": "1"})

    # Assert
    assert page.status_code == 200
    assert all(f'name="value-{i}"'.encode() in page.content for i in items)
    assert posted.status_code == 302
    assert posted["Location"] == f"/answer/{code}/submit/"
    assert again.status_code == 302
    with scopes_disabled():
        saved = dict(Answer.objects.filter(response__round=round_).values_list("item", "value"))
    assert len(saved) == len(items)
    assert saved[items[0]] == 1  # saving again replaces, never duplicates
    assert set(saved.values()) == {1, 5}
