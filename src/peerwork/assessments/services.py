"""Every write to assessment rounds: one function, one transaction, one audit event
for staff actions. Respondents' writes are not audited: the trail must not say who
answered when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connections, transaction
from django.db.models import Field
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled

from peerwork.assessments.enums import ActionStatus, Position, RoleForm, RoundStatus, Stage
from peerwork.assessments.models import (
    Action,
    Answer,
    Response,
    Round,
    RoundInvitation,
    RoundSummary,
    ShareLink,
)
from peerwork.assessments.queries import round_scores
from peerwork.assessments.questionnaires import CURRENT, Questionnaire, get_questionnaire
from peerwork.core.secrets import new_secret, secret_hash
from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction
from peerwork.orgs.models import Organisation

MAX_COMMENT = 2000


def _check_choice(value: str, choices: Any, message: str) -> None:
    if value not in choices.values:
        raise ValidationError(message)


@transaction.atomic
def create_round(*, actor: Any, organisation: Organisation, title: str, stage: str, role_form: str,
                 anonymous: bool, closes_on: dt.date, share_for_benchmark: bool = False) -> Round:
    """Open a round with the current questionnaire and one share link per position."""
    _check_choice(stage, Stage, _("Choose a stage."))
    _check_choice(role_form, RoleForm, _("Choose the form of the role."))
    if closes_on < timezone.localdate():
        raise ValidationError(_("The closing date cannot be in the past."))
    questionnaire_id, version = CURRENT
    get_questionnaire(questionnaire_id, version)  # refuse to open a round on a broken file
    with scope(organisation=organisation):
        round_ = Round.objects.create(
            organisation=organisation, title=title.strip()[:200], stage=stage,
            role_form=role_form, anonymous=anonymous, closes_on=closes_on,
            share_for_benchmark=share_for_benchmark, questionnaire=questionnaire_id,
            questionnaire_version=version,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for position in Position.values:
            ShareLink.objects.create(round=round_, organisation=organisation, position=position,
                                     token=new_secret())
    audit.record(actor=actor, action=AuditAction.ROUND_CREATED, organisation=organisation,
                 target=round_.title, detail={"round": round_.pk, "anonymous": anonymous})
    return round_


@transaction.atomic
def close_round(*, actor: Any, round_: Round) -> Round:
    if round_.status == RoundStatus.CLOSED:
        return round_
    round_.status = RoundStatus.CLOSED
    round_.closed = timezone.now()
    round_.save(update_fields=["status", "closed"])
    summarise_round(round_=round_)
    audit.record(actor=actor, action=AuditAction.ROUND_CLOSED, organisation=round_.organisation,
                 target=round_.title, detail={"round": round_.pk})
    return round_


def summarise_round(*, round_: Round) -> int:
    """Store the round's shown scores per area for the benchmark; returns how many."""
    scores = round_scores(round_)
    with scope(organisation=round_.organisation):
        RoundSummary.objects.filter(round=round_).delete()
        rows = [RoundSummary(round=round_, organisation=round_.organisation, element=e.element_id,
                             mean=e.total.mean, n=e.total.n)
                for e in scores.elements
                if not e.total.suppressed and e.total.mean is not None and e.total.n is not None]
        RoundSummary.objects.bulk_create(rows)
    return len(rows)


def is_open(round_: Round) -> bool:
    return round_.status == RoundStatus.OPEN and timezone.localdate() <= round_.closes_on


@transaction.atomic
def invite_respondents(*, actor: Any, round_: Round, emails: list[str], position: str,
                       language: str = "en") -> int:
    """Email a single-use link to each address not invited to this round before.

    Returns how many were sent. The link records only that it was used.
    """
    _check_choice(position, Position, _("Choose a position."))
    if not is_open(round_):
        raise ValidationError(_("This round is closed."))
    sent: list[tuple[str, str]] = []
    with scope(organisation=round_.organisation):
        known = set(RoundInvitation.objects.filter(round=round_).values_list("email", flat=True))
        for email in sorted({e.strip().lower() for e in emails if e.strip()}):
            if email in known:
                continue
            token = new_secret()
            RoundInvitation.objects.create(round=round_, organisation=round_.organisation,
                                           email=email, position=position,
                                           token_hash=secret_hash(token))
            sent.append((email, settings.SITE_URL + reverse("assessments:invited",
                                                            kwargs={"token": token})))
    with override(language):
        subject = _("Your view on peer work at %(organisation)s") % {
            "organisation": round_.organisation.name}
        messages_ = [(email, render_to_string("assessments/email/invitation.txt", {
            "round": round_, "url": url, "organisation": round_.organisation,
        })) for email, url in sent]
    audit.record(actor=actor, action=AuditAction.ROUND_INVITED, organisation=round_.organisation,
                 target=round_.title, detail={"round": round_.pk, "count": len(sent),
                                              "position": position})

    def deliver() -> None:
        for email, body in messages_:
            send_mail(subject, body, None, [email])

    transaction.on_commit(deliver)
    return len(sent)


@dataclass(frozen=True)
class Started:
    response: Response
    code: str  # the respondent's private code; only its hash is stored


def _start(round_: Round, position: str, respondent: Any | None) -> Started:
    code = new_secret()
    response = Response.objects.create(
        round=round_, organisation=round_.organisation, position=position,
        resume_hash=secret_hash(code),
        respondent=respondent if not round_.anonymous else None,
        started_on=timezone.localdate(),
    )
    return Started(response=response, code=code)


@transaction.atomic
def start_from_link(*, link: ShareLink, respondent: Any | None = None) -> Started:
    if not link.active or not is_open(link.round):
        raise ValidationError(_("This round is closed."))
    with scope(organisation=link.organisation):
        return _start(link.round, link.position, respondent)


def find_share_link(token: str) -> ShareLink | None:
    with scopes_disabled():
        try:
            return ShareLink.objects.select_related("round__organisation").get(token=token)
        except ShareLink.DoesNotExist:
            return None


@transaction.atomic
def start_from_invitation(*, token: str) -> Started:
    """Use an emailed link once. The new response keeps no trace of the invitation."""
    with scopes_disabled():
        invitation = (RoundInvitation.objects.select_for_update()
                      .filter(token_hash=secret_hash(token)).select_related("round").first())
        if invitation is None:
            raise LookupError(token)
        if invitation.used:
            raise ValidationError(_("This link has been used. If you started answering, "
                                    "open the private link you were given to continue."))
        if not is_open(invitation.round):
            raise ValidationError(_("This round is closed."))
        invitation.used = True
        invitation.save(update_fields=["used"])
        return _start(invitation.round, invitation.position, None)


def find_response(code: str) -> Response | None:
    """The response whose private code is ``code``, or None."""
    with scopes_disabled():
        try:
            return Response.objects.select_related("round__organisation").get(resume_hash=secret_hash(code))
        except Response.DoesNotExist:
            return None


class AlreadySubmittedError(ValidationError):
    """A second submission of the same answers: nothing was changed."""


# An answer as a respondent gives it: a value on the scale (None: "don't know") and a comment.
AnswerInput = tuple[int | None, str]


def _check_answers(round_: Round, answers: Mapping[str, AnswerInput]) -> None:
    """Refuse an answer the round's questionnaire does not allow, naming the first one."""
    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    for item_id, (value, comment) in answers.items():
        item = questionnaire.items.get(item_id)
        if item is None or not item.applies_to(round_.stage):
            raise ValidationError(_("Unknown question."))
        check_value(questionnaire, value, comment)


def check_value(questionnaire: Questionnaire, value: int | None, comment: str) -> None:
    """Refuse a value off the questionnaire's scale or an over-long comment."""
    if value is not None and value not in questionnaire.scale_values:
        raise ValidationError(_("Choose one of the answers on the scale."))
    if len(comment) > MAX_COMMENT:
        raise ValidationError(_("A comment can be at most %(n)s characters.") % {"n": MAX_COMMENT})


def _check_can_answer(response: Response) -> None:
    if response.submitted:
        raise ValidationError(_("These answers are already submitted and cannot be changed."))
    if not is_open(response.round):
        raise ValidationError(_("This round is closed."))


def _answer_rows(response: Response, answers: Mapping[str, AnswerInput]) -> list[Answer]:
    return [Answer(response=response, item=item_id, value=value, comment=comment.strip())
            for item_id, (value, comment) in answers.items()]


def _insert_answers(response: Response, answers: Mapping[str, AnswerInput]) -> None:
    """Insert a new response's answers with one prepared statement. The hot path of a
    submission: building 90 model instances for ``bulk_create`` costs more than the
    database does (docs/benchmarks.md, "Assessment rounds")."""
    meta = Answer._meta
    connection = connections[Answer.objects.db]
    fields = [cast(Field, meta.get_field(name)) for name in ("response", "item", "value", "comment")]
    columns = [field.column for field in fields]
    response_id = fields[0].get_db_prep_value(response.pk, connection)
    sql = "INSERT INTO {} ({}) VALUES (%s, %s, %s, %s)".format(  # noqa: S608 - names from the model
        connection.ops.quote_name(meta.db_table), ", ".join(connection.ops.quote_name(c) for c in columns))
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(response_id, item_id, value, comment.strip())
                                 for item_id, (value, comment) in answers.items()])


@transaction.atomic
def save_answers(*, response: Response, answers: Mapping[str, AnswerInput]) -> int:
    """Save a page of answers as the respondent goes, in one statement; saving again
    replaces them. Returns how many were saved."""
    _check_can_answer(response)
    _check_answers(response.round, answers)
    Answer.objects.bulk_create(_answer_rows(response, answers), update_conflicts=True,
                               unique_fields=["response", "item"], update_fields=["value", "comment"])
    return len(answers)


def save_answer(*, response: Response, item_id: str, value: int | None, comment: str = "") -> Answer:
    """Save one answer (the HTMX and API path)."""
    save_answers(response=response, answers={item_id: (value, comment)})
    return Answer(response=response, item=item_id, value=value, comment=comment.strip())


def answer_all_from_link(*, link: ShareLink, form_key: str, answers: Mapping[str, AnswerInput],
                         respondent: Any | None = None) -> Response:
    """Create, answer and submit a response in one transaction: the one-page form.

    ``form_key`` is the random key the form was served with; it becomes the private code,
    so posting the same form twice finds the first submission instead of counting twice.
    """
    if not answers:
        raise ValidationError(_("Answer at least one question before you submit."))
    try:
        with transaction.atomic(), scope(organisation=link.organisation):
            if not link.active or not is_open(link.round):
                raise ValidationError(_("This round is closed."))
            _check_answers(link.round, answers)
            today = timezone.localdate()
            round_ = link.round
            response = Response.objects.create(
                round=round_, organisation=round_.organisation, position=link.position,
                resume_hash=secret_hash(form_key),
                respondent=respondent if not round_.anonymous else None,
                started_on=today, submitted=True, submitted_on=today)
            _insert_answers(response, answers)
            return response
    except IntegrityError as exc:  # the same form posted again: its key is taken
        raise AlreadySubmittedError(_("These answers are already submitted.")) from exc


@transaction.atomic
def submit(*, response: Response) -> Response:
    """Submit once; a second submission changes nothing and says so."""
    with scope(organisation=response.organisation):
        fresh = Response.objects.select_for_update().select_related("round").get(pk=response.pk)
    if fresh.submitted:
        raise ValidationError(_("These answers are already submitted."))
    if not is_open(fresh.round):
        raise ValidationError(_("This round is closed."))
    if not Answer.objects.filter(response=fresh).exists():
        raise ValidationError(_("Answer at least one question before you submit."))
    fresh.submitted = True
    fresh.submitted_on = timezone.localdate()
    fresh.save(update_fields=["submitted", "submitted_on"])
    return fresh


@transaction.atomic
def add_action(*, actor: Any, round_: Round, title: str, owner: str, due_on: dt.date,
               element: str = "", recommendation: str = "") -> Action:
    with scope(organisation=round_.organisation):
        action = Action.objects.create(round=round_, organisation=round_.organisation,
                                       title=title.strip()[:300], owner=owner.strip()[:150],
                                       due_on=due_on, element=element, recommendation=recommendation)
    audit.record(actor=actor, action=AuditAction.ACTION_ADDED, organisation=round_.organisation,
                 target=action.title, detail={"round": round_.pk, "element": element})
    return action


@transaction.atomic
def set_action_status(*, actor: Any, action: Action, status: str) -> Action:
    _check_choice(status, ActionStatus, _("Choose a status."))
    if status == action.status:
        return action
    before = action.status
    action.status = status
    action.done_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on"])
    audit.record(actor=actor, action=AuditAction.ACTION_UPDATED, organisation=action.organisation,
                 target=action.title, detail={"from": before, "to": status})
    return action


