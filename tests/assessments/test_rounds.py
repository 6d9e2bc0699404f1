"""Assessment rounds through HTTP: a manager opens a round, three positions answer,
the team reads suppressed results and turns recommendations into a plan."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from peerwork.assessments import services
from peerwork.assessments.enums import ActionStatus, RoundStatus
from peerwork.assessments.models import Action, Answer, Response, Round, ShareLink
from peerwork.assessments.questionnaires import get_questionnaire
from peerwork.orgs.models import AuditEvent

from .conftest import link_of, open_round, respond, start


def test_rounds_manager_opens_round_with_three_share_links(world):
    # Arrange
    client = world.client_for(world.manager)
    closes = timezone.localdate() + dt.timedelta(days=10)

    # Act
    response = client.post(f"/o/{world.org.slug}/assessments/new/", {
        "title": "Before hiring", "stage": "preparing", "role_form": "role_form.peer_support_worker",
        "anonymous": "on", "closes_on": closes.isoformat(),
    })

    # Assert
    with scopes_disabled():
        round_ = Round.objects.get(organisation=world.org)
        positions = sorted(ShareLink.objects.filter(round=round_).values_list("position", flat=True))
        events = list(AuditEvent.objects.filter(action="assessment.round_created")
                      .values_list("target", flat=True))
    assert response.status_code == 302
    assert response["Location"] == f"/o/{world.org.slug}/assessments/{round_.pk}/"
    assert (round_.title, round_.stage, round_.anonymous, round_.closes_on) == (
        "Before hiring", "preparing", True, closes)
    assert (round_.questionnaire, round_.questionnaire_version) == ("readiness", 1)
    assert positions == ["colleague", "manager", "peer_worker"]
    assert events == ["Before hiring"]


def test_rounds_peer_worker_cannot_open_a_round_but_sees_the_list(world):
    client = world.client_for(world.peer)
    assert client.get(f"/o/{world.org.slug}/assessments/new/").status_code == 404
    assert client.get(f"/o/{world.org.slug}/assessments/").status_code == 200


def test_rounds_closing_date_in_the_past_is_refused(world):
    client = world.client_for(world.manager)
    response = client.post(f"/o/{world.org.slug}/assessments/new/", {
        "title": "Late", "stage": "preparing", "role_form": "role_form.care_provider",
        "closes_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    })
    assert response.status_code == 400
    assert "The closing date cannot be in the past." in response.content.decode()
    with scopes_disabled():
        assert Round.objects.count() == 0


def test_rounds_full_round_results_merge_the_lone_manager_and_show_the_gap(world, round_):
    # Arrange: one manager, five colleagues agree; five peer workers disagree.
    respond(round_, "manager", 5)
    for _ in range(5):
        respond(round_, "colleague", 5)
    for _ in range(5):
        respond(round_, "peer_worker", 1)

    # Act
    page = world.client_for(world.manager).get(
        f"/o/{world.org.slug}/assessments/{round_.pk}/results/")

    # Assert
    body = page.content.decode()
    assert page.status_code == 200
    assert page.context["scores"].group_keys == ("colleague+manager", "peer_worker")
    assert "Managers and colleagues" in body
    assert ">Managers<" not in body
    assert "The groups see this differently:" in body
    job_description = next(e for e in page.context["scores"].elements
                           if e.element_id == "precondition.job_description")
    assert [(c.group, c.n, c.mean) for c in job_description.groups] == [
        ("colleague+manager", 6, 5.0), ("peer_worker", 5, 1.0)]
    assert job_description.has_gap is True


def test_rounds_participation_shows_counts_per_position(world, round_):
    respond(round_, "peer_worker", 3)
    Client().post(f"/a/{link_of(round_, 'colleague')}/")  # started, not submitted

    page = world.client_for(world.colleague).get(f"/o/{world.org.slug}/assessments/{round_.pk}/")

    rows = {(p.position, p.started, p.submitted) for p in page.context["participation"]}
    assert rows == {("manager", 0, 0), ("colleague", 1, 0), ("peer_worker", 1, 1)}
    assert page.context["links"] == []  # only managers see the share links


def test_rounds_share_links_follow_the_order_of_the_counts(world, round_):
    page = world.client_for(world.manager).get(f"/o/{world.org.slug}/assessments/{round_.pk}/")

    counted = [p.position for p in page.context["participation"]]
    assert [link.position for link, _url in page.context["links"]] == counted
    assert counted == ["manager", "colleague", "peer_worker"]


def test_rounds_results_below_k_are_hidden(world, round_):
    for _ in range(4):
        respond(round_, "peer_worker", 2)

    page = world.client_for(world.manager).get(
        f"/o/{world.org.slug}/assessments/{round_.pk}/results/")

    scores = page.context["scores"]
    assert all(e.total.suppressed for e in scores.elements)
    assert scores.group_keys == ()
    assert page.context["findings"] == []


def test_rounds_recommendation_becomes_an_action_and_is_completed(world, round_):
    # Arrange: a weak round gives findings with recommendations.
    for position in ("colleague", "peer_worker"):
        for _ in range(5):
            respond(round_, position, 1)
    client = world.client_for(world.manager)
    results = client.get(f"/o/{world.org.slug}/assessments/{round_.pk}/results/")
    finding = results.context["findings"][0]
    recommendation = finding.recommendations[0]
    due = timezone.localdate() + dt.timedelta(days=30)

    # Act
    added = client.post(f"/o/{world.org.slug}/assessments/{round_.pk}/actions/", {
        "title": recommendation.title["en"], "owner": "Mona", "due_on": due.isoformat(),
        "element": finding.score.element_id, "recommendation": recommendation.id,
    })
    with scopes_disabled():
        action = Action.objects.get(round=round_)
    done = client.post(f"/o/{world.org.slug}/assessments/{round_.pk}/actions/{action.pk}/status/",
                       {"status": "done"})

    # Assert
    action.refresh_from_db()
    assert added.status_code == 302
    assert done.status_code == 302
    assert (action.owner, action.due_on, action.element, action.recommendation) == (
        "Mona", due, finding.score.element_id, recommendation.id)
    assert (action.status, action.done_on) == (ActionStatus.DONE, timezone.localdate())
    plan = world.client_for(world.peer).get(f"/o/{world.org.slug}/assessments/{round_.pk}/actions/")
    assert html.escape(recommendation.title["en"]) in plan.content.decode()  # visible to the team


def test_rounds_htmx_saves_one_answer_and_resume_shows_it(world, round_):
    # Arrange
    client = Client()
    code = start(client, link_of(round_, "peer_worker"))
    item = get_questionnaire().items_for(round_.stage)[0]

    # Act
    saved = client.post(f"/answer/{code}/item/{item.id}/",
                        {f"value-{item.id}": "4", f"comment-{item.id}": "Mostly fine"},
                        HTTP_HX_REQUEST="true")
    resumed = Client().get(f"/answer/{code}/")  # another browser, same private link

    # Assert
    assert saved.status_code == 200
    assert saved.content.decode() == "Saved."
    with scopes_disabled():
        answer = Answer.objects.get(response__round=round_, item=item.id)
    assert (answer.value, answer.comment) == (4, "Mostly fine")
    assert f'name="value-{item.id}" value="4" checked' in resumed.content.decode()


def test_rounds_dont_know_is_stored_as_no_value(world, round_):
    client = Client()
    code = start(client, link_of(round_, "colleague"))
    item = get_questionnaire().items_for(round_.stage)[0]
    client.post(f"/answer/{code}/item/{item.id}/", {f"value-{item.id}": "dont_know"})
    with scopes_disabled():
        assert Answer.objects.get(item=item.id).value is None


def test_rounds_anonymous_response_keeps_no_trace_of_who_or_when(world, round_,
                                                                django_capture_on_commit_callbacks):
    # Arrange: an emailed invitation, used once.
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_respondents(actor=world.manager, round_=round_,
                                    emails=["kari@fjordvik.test"], position="colleague")
    link = mail.outbox[0].body.split("http://127.0.0.1:8000")[1].split()[0]
    client = Client(REMOTE_ADDR="203.0.113.77")

    # Act
    started = client.post(link)
    code = started["Location"].split("/")[2]
    client.post(f"/answer/{code}/item/{get_questionnaire().items_for(round_.stage)[0].id}/",
                {f"value-{get_questionnaire().items_for(round_.stage)[0].id}": "3"})
    client.post(f"/answer/{code}/submit/")

    # Assert: the database holds no link from the invitation to the answer, no IP
    # address, no time of day and no ordering key.
    with scopes_disabled():
        response = Response.objects.get(round=round_)
        invitation = round_.invitations.get()
        row = str(Response.objects.filter(pk=response.pk).values().get())
    assert invitation.used is True
    assert {f.name for f in invitation._meta.get_fields()} == {
        "id", "round", "organisation", "email", "position", "token_hash", "used"}
    assert {f.name for f in Response._meta.get_fields()} == {
        "id", "round", "organisation", "position", "resume_hash", "respondent", "submitted",
        "started_on", "submitted_on", "answers"}
    assert isinstance(response.id, uuid.UUID)
    assert response.respondent is None
    assert type(response.started_on) is dt.date
    assert type(response.submitted_on) is dt.date
    assert response.submitted is True
    assert "203.0.113.77" not in row
    assert code not in row  # only the hash of the private code is stored


def test_rounds_invitation_link_works_once(world, round_, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_respondents(actor=world.manager, round_=round_,
                                    emails=["per@fjordvik.test"], position="peer_worker")
    link = mail.outbox[0].body.split("http://127.0.0.1:8000")[1].split()[0]
    first = Client().post(link)
    second = Client().post(link)
    assert first.status_code == 302
    assert second.status_code == 410
    assert "This link has been used." in second.content.decode()
    with scopes_disabled():
        assert Response.objects.filter(round=round_).count() == 1


def test_rounds_answer_to_closed_round_is_refused_and_nothing_saved(world, round_):
    client = Client()
    code = start(client, link_of(round_, "peer_worker"))
    item = get_questionnaire().items_for(round_.stage)[0]
    world.client_for(world.manager).post(f"/o/{world.org.slug}/assessments/{round_.pk}/close/")

    saved = client.post(f"/answer/{code}/item/{item.id}/", {f"value-{item.id}": "4"})
    started = Client().post(f"/a/{link_of(round_, 'peer_worker')}/")

    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert saved.status_code == 400
    assert saved.content.decode() == "This round is closed."
    assert started.status_code == 410
    with scopes_disabled():
        assert Answer.objects.count() == 0


def test_rounds_double_submission_is_refused_and_counted_once(world, round_):
    client = Client()
    code = start(client, link_of(round_, "peer_worker"))
    item = get_questionnaire().items_for(round_.stage)[0]
    client.post(f"/answer/{code}/item/{item.id}/", {f"value-{item.id}": "4"})

    first = client.post(f"/answer/{code}/submit/")
    second = client.post(f"/answer/{code}/submit/")
    late_change = client.post(f"/answer/{code}/item/{item.id}/", {f"value-{item.id}": "1"})

    assert first.status_code == 200
    assert second.status_code == 409
    assert late_change.status_code == 409
    with scopes_disabled():
        assert Response.objects.filter(round=round_, submitted=True).count() == 1
        assert Answer.objects.get(item=item.id).value == 4


def test_rounds_tampered_item_and_value_are_refused(world, round_):
    client = Client()
    code = start(client, link_of(round_, "peer_worker"))
    item = get_questionnaire().items_for(round_.stage)[0]

    unknown = client.post(f"/answer/{code}/item/no_such_item/", {"value-no_such_item": "3"})
    off_scale = client.post(f"/answer/{code}/item/{item.id}/", {f"value-{item.id}": "9"})
    not_a_number = client.post(f"/answer/{code}/item/{item.id}/", {f"value-{item.id}": "abc"})
    wrong_code = client.post(f"/answer/not-a-code/item/{item.id}/", {f"value-{item.id}": "3"})

    assert (unknown.status_code, unknown.content.decode()) == (400, "Unknown question.")
    assert off_scale.status_code == 400
    assert not_a_number.status_code == 400
    assert wrong_code.status_code == 404
    with scopes_disabled():
        assert Answer.objects.count() == 0


def test_rounds_other_organisation_cannot_see_or_change_a_round(world, round_):
    client = world.client_for(world.charlie)
    base = f"/o/{world.org.slug}/assessments/{round_.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/results/").status_code == 404
    assert client.post(f"{base}/close/").status_code == 404
    own = f"/o/{world.other_org.slug}/assessments/{round_.pk}"
    assert client.get(f"{own}/").status_code == 404  # the id does not work in another org
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_rounds_open_link_of_one_round_is_not_valid_for_another(world, round_):
    other = open_round(world, title="Second")
    client = Client()
    code = start(client, link_of(other, "manager"))
    with scopes_disabled():
        response = Response.objects.get(resume_hash__isnull=False, round=other)
    assert response.position == "manager"
    assert client.get(f"/answer/{code}/").context["round"].pk == other.pk


def test_rounds_private_link_reopens_at_the_first_part_with_questions_left(world, round_):
    # Arrange: the first part is answered in full, nothing after it.
    client = Client()
    code = start(client, link_of(round_, "peer_worker"))
    questionnaire = get_questionnaire()
    first = questionnaire.sections[0]
    body = {f"value-{i.id}": "4" for i in first.items if i.applies_to(round_.stage)}
    client.post(f"/answer/{code}/?section=0", {**body, "go": "next"})

    # Act
    resumed = Client().get(f"/answer/{code}/")

    # Assert
    assert resumed.context["index"] == 1
    assert resumed.context["shown"][0].id == questionnaire.sections[1].id


def test_rounds_cached_scores_follow_each_new_submission(world, round_):
    for _ in range(5):
        respond(round_, "peer_worker", 2)
    client = world.client_for(world.manager)
    url = f"/o/{world.org.slug}/assessments/{round_.pk}/results/"
    first = client.get(url).context["scores"]

    respond(round_, "peer_worker", 5)
    second = client.get(url).context["scores"]

    job = "precondition.job_description"
    assert next(e for e in first.elements if e.element_id == job).total.mean == 2.0
    assert next(e for e in second.elements if e.element_id == job).total.mean == 2.5
    assert second.respondents == 6


def test_rounds_results_table_shown_again_follows_a_new_submission(world, round_):
    # Arrange
    for _ in range(5):
        respond(round_, "colleague", 2)
    client = world.client_for(world.manager)
    url = f"/o/{world.org.slug}/assessments/{round_.pk}/results/"
    before = client.get(url).content.decode()

    # Act
    respond(round_, "colleague", 5)
    after = client.get(url).content.decode()
    in_norwegian = world.client_for(world.manager)
    in_norwegian.post("/language/", {"language": "nb", "next": "/"})
    norwegian = in_norwegian.get(url).content.decode()

    # Assert
    cell = r'{} <span class="meta">\(±[0-9.,]+, n={}\)</span>'
    assert re.search(cell.format(r"2\.0", 5), before)
    assert not re.search(cell.format(r"2\.5", 6), before)
    assert re.search(cell.format(r"2\.5", 6), after)
    assert re.search(cell.format("2,5", 6), norwegian)
