"""Every write to surveys: one function, one transaction, one audit event for staff
actions. Respondents' writes are not audited: the trail must not say who answered when."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_scopes import scope, scopes_disabled

from peerwork.core.secrets import new_secret, secret_hash
from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction
from peerwork.orgs.models import Organisation
from peerwork.reports import refresh
from peerwork.surveys import answers as answer_rules
from peerwork.surveys import results_queries, results_refresh
from peerwork.surveys.definition import DefinitionError, load_definition
from peerwork.surveys.enums import ResponseStatus, VersionStatus, WaveStatus
from peerwork.surveys.models import Response, Survey, SurveyVersion, Wave, WaveInvitation
from peerwork.surveys.queries import definition_of


class AlreadySubmitted(ValidationError):
    """The response was submitted before; nothing changed (HTTP 409)."""


class WaveClosed(ValidationError):
    """The wave no longer takes answers (HTTP 410)."""


def _checked(definition: dict[str, Any]) -> None:
    try:
        load_definition(definition)
    except DefinitionError as exc:
        raise ValidationError(exc.messages) from exc


@transaction.atomic
def create_survey(*, actor: Any, organisation: Organisation, definition: dict[str, Any]) -> Survey:
    """A new survey with ``definition`` as its first (draft) version."""
    _checked(definition)
    key = definition["key"]
    with scope(organisation=organisation):
        if Survey.objects.filter(organisation=organisation, key=key).exists():
            raise ValidationError(_("This organisation already has a survey with the short name "
                                    "%(key)s.") % {"key": key})
        survey = Survey.objects.create(
            organisation=organisation, key=key, title=definition["title"]["en"][:200],
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        data = copy.deepcopy(definition)
        data["version"] = 1
        SurveyVersion.objects.create(survey=survey, organisation=organisation, number=1, definition=data)
    audit.record(actor=actor, action=AuditAction.SURVEY_CREATED, organisation=organisation,
                 target=survey.title, detail={"survey": survey.pk})
    return survey


def draft_of(survey: Survey) -> SurveyVersion | None:
    with scope(organisation=survey.organisation):
        return SurveyVersion.objects.filter(survey=survey, status=VersionStatus.DRAFT).first()


@transaction.atomic
def new_draft(*, actor: Any, survey: Survey) -> SurveyVersion:
    """The survey's draft version, made from the newest version if there is none."""
    existing = draft_of(survey)
    if existing is not None:
        return existing
    with scope(organisation=survey.organisation):
        latest = SurveyVersion.objects.filter(survey=survey).order_by("-number").first()
        assert latest is not None  # a survey is created with its first version
        data = copy.deepcopy(latest.definition)
        data["version"] = latest.number + 1
        version = SurveyVersion.objects.create(survey=survey, organisation=survey.organisation,
                                               number=latest.number + 1, definition=data)
    audit.record(actor=actor, action=AuditAction.SURVEY_VERSION_SAVED,
                 organisation=survey.organisation, target=survey.title,
                 detail={"survey": survey.pk, "version": version.number})
    return version


@transaction.atomic
def save_draft(*, actor: Any, version: SurveyVersion, definition: dict[str, Any]) -> SurveyVersion:
    """Replace a draft's definition after checking it; a published version refuses."""
    if version.is_published:
        raise ValidationError(_("A published version cannot be changed. Start a new version."))
    data = copy.deepcopy(definition)
    data["version"] = version.number
    data["key"] = version.survey.key
    _checked(data)
    version.definition = data
    version.save(update_fields=["definition", "sha256"])
    _title_from_draft(version)
    audit.record(actor=actor, action=AuditAction.SURVEY_VERSION_SAVED,
                 organisation=version.organisation, target=version.survey.title,
                 detail={"survey": version.survey_id, "version": version.number})
    return version


def _title_from_draft(version: SurveyVersion) -> None:
    """Until a version is published, the survey is listed under its draft's title."""
    survey = version.survey
    title = version.definition["title"]["en"][:200]
    if survey.title == title:
        return
    with scope(organisation=survey.organisation):
        if SurveyVersion.objects.filter(survey=survey, status=VersionStatus.PUBLISHED).exists():
            return
    survey.title = title
    survey.save(update_fields=["title"])


@transaction.atomic
def publish_version(*, actor: Any, version: SurveyVersion) -> SurveyVersion:
    """Freeze a draft: from now on its definition and hash never change."""
    if version.is_published:
        return version
    _checked(version.definition)
    version.status = VersionStatus.PUBLISHED
    version.published_on = timezone.localdate()
    version.save(update_fields=["status", "published_on", "sha256"])
    survey = version.survey
    title = version.definition["title"]["en"][:200]
    if survey.title != title:
        survey.title = title
        survey.save(update_fields=["title"])
    audit.record(actor=actor, action=AuditAction.SURVEY_VERSION_PUBLISHED,
                 organisation=version.organisation, target=survey.title,
                 detail={"survey": survey.pk, "version": version.number, "sha256": version.sha256})
    return version


@transaction.atomic
def open_wave(*, actor: Any, version: SurveyVersion, title: str, closes_on: dt.date,
              purpose: str, stored: str, retention: str, contact: str,
              min_cell: int | None = None, opens_on: dt.date | None = None) -> Wave:
    """Open a wave of a published version, with its privacy statement and k."""
    if not version.is_published:
        raise ValidationError(_("Publish the version before you open a wave."))
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError(_("The closing date cannot be in the past."))
    k = settings.PEERWORK_MIN_CELL if min_cell is None else min_cell
    if k < settings.PEERWORK_MIN_CELL:
        raise ValidationError(_("The smallest group shown cannot be below %(k)s.")
                              % {"k": settings.PEERWORK_MIN_CELL})
    if not all(s.strip() for s in (title, purpose, stored, retention, contact)):
        raise ValidationError(_("Fill in the title and every part of the privacy statement."))
    with scope(organisation=version.organisation):
        wave = Wave.objects.create(
            survey=version.survey, version=version, organisation=version.organisation,
            title=title.strip()[:200], opens_on=opens_on or today, closes_on=closes_on,
            min_cell=k, purpose=purpose.strip(), stored=stored.strip(), retention=retention.strip(),
            contact=contact.strip()[:300], link_token=new_secret())
    audit.record(actor=actor, action=AuditAction.SURVEY_WAVE_OPENED,
                 organisation=version.organisation, target=wave.title,
                 detail={"wave": wave.pk, "version": version.number, "k": k})
    return wave


@transaction.atomic
def raise_min_cell(*, actor: Any, wave: Wave, min_cell: int) -> Wave:
    """k can only go up: lowering it would reveal cells that were hidden."""
    if min_cell < wave.min_cell:
        raise ValidationError(_("The smallest group shown can only be raised."))
    wave.min_cell = min_cell
    wave.save(update_fields=["min_cell"])
    audit.record(actor=actor, action=AuditAction.SURVEY_WAVE_OPENED, organisation=wave.organisation,
                 target=wave.title, detail={"wave": wave.pk, "k": min_cell})
    return wave


@transaction.atomic
def close_wave(*, actor: Any, wave: Wave) -> Wave:
    if wave.status == WaveStatus.CLOSED:
        return wave
    wave.status = WaveStatus.CLOSED
    wave.save(update_fields=["status"])
    audit.record(actor=actor, action=AuditAction.SURVEY_WAVE_CLOSED, organisation=wave.organisation,
                 target=wave.title, detail={"wave": wave.pk})
    # A large wave's final results are computed in the background now, not by whoever
    # looks first (small ones are quick to compute then).
    if not refresh.inline(results_queries.submitted_count(wave)):
        transaction.on_commit(lambda: results_refresh.request(wave, now=True))
    return wave


def is_open(wave: Wave) -> bool:
    today = timezone.localdate()
    return wave.status == WaveStatus.OPEN and wave.opens_on <= today <= wave.closes_on


def _deliver(subject: str, messages_: Sequence[tuple[str, str]]) -> None:
    for email, body in messages_:
        send_mail(subject, body, None, [email])


@transaction.atomic
def invite(*, actor: Any, wave: Wave, emails: list[str], language: str = "en") -> int:
    """Email a single-use link to each address not invited to this wave before.

    The invitation records only that it was used; the answer keeps no trace of it."""
    if not is_open(wave):
        raise WaveClosed(_("This wave is closed."))
    sent: list[tuple[str, str]] = []
    with scope(organisation=wave.organisation):
        known = set(WaveInvitation.objects.filter(wave=wave).values_list("email", flat=True))
        for email in sorted({e.strip().lower() for e in emails if e.strip()}):
            if email in known:
                continue
            token = new_secret()
            WaveInvitation.objects.create(wave=wave, organisation=wave.organisation, email=email,
                                          token_hash=secret_hash(token))
            sent.append((email, _invited_url(token)))
    _send_links(actor=actor, wave=wave, sent=sent, language=language, reminder=False)
    return len(sent)


@transaction.atomic
def remind(*, actor: Any, wave: Wave, language: str = "en") -> int:
    """Send a fresh single-use link to everyone whose link is still unused.

    The token is replaced (only its hash was kept, so the old link cannot be re-sent);
    the old link stops working. Returns how many were reminded."""
    if not is_open(wave):
        raise WaveClosed(_("This wave is closed."))
    sent: list[tuple[str, str]] = []
    with scope(organisation=wave.organisation):
        for invitation in WaveInvitation.objects.select_for_update().filter(wave=wave, used=False):
            token = new_secret()
            invitation.token_hash = secret_hash(token)
            invitation.reminders += 1
            invitation.save(update_fields=["token_hash", "reminders"])
            sent.append((invitation.email, _invited_url(token)))
    _send_links(actor=actor, wave=wave, sent=sent, language=language, reminder=True)
    return len(sent)


def _invited_url(token: str) -> str:
    return settings.SITE_URL + reverse("surveys:invited", kwargs={"token": token})


def _send_links(*, actor: Any, wave: Wave, sent: list[tuple[str, str]], language: str,
                reminder: bool) -> None:
    """Email each (address, link) in ``sent`` once the transaction commits, and audit it."""
    with override(language):
        subject = (_("Reminder: a survey from %(organisation)s") if reminder
                   else _("A survey from %(organisation)s")) % {"organisation": wave.organisation.name}
        messages_ = [(email, render_to_string("surveys/email/invitation.txt", {
            "wave": wave, "url": url, "organisation": wave.organisation, "reminder": reminder,
        })) for email, url in sent]
    audit.record(actor=actor, organisation=wave.organisation, target=wave.title,
                 action=AuditAction.SURVEY_REMINDED if reminder else AuditAction.SURVEY_INVITED,
                 detail={"wave": wave.pk, "count": len(sent)})
    transaction.on_commit(lambda: _deliver(subject, messages_))


# --- Respondents ----------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    response: Response
    code: str  # the respondent's private code; only its hash is stored


_LINKED: dict[tuple[int, str], Wave] = {}  # (id, link token): ids are reused after a flush
_FRESH_SQL = ("SELECT id, status, opens_on, closes_on, link_active, min_cell FROM surveys_wave "
              "WHERE link_token = %s")


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def find_wave_by_link(token: str) -> Wave | None:
    """The wave behind an open link, with its version, survey and organisation.

    The anonymous path is the busiest in the product, so the joined objects are kept per
    process and only what can change (status, dates, link, k) is read on every request,
    with one indexed statement."""
    with connection.cursor() as cursor:
        cursor.execute(_FRESH_SQL, [token])
        row = cursor.fetchone()
    if row is None:
        return None
    cached = _LINKED.get((row[0], token))
    if cached is None:
        with scopes_disabled():
            # The definition JSON is read only when this process has not checked it yet.
            cached = (Wave.objects.filter(pk=row[0])
                      .select_related("version", "organisation", "survey")
                      .defer("version__definition").get())
        _LINKED[(row[0], token)] = cached
    wave = copy.copy(cached)
    wave.status, wave.link_active, wave.min_cell = row[1], bool(row[4]), row[5]
    wave.opens_on, wave.closes_on = _day(row[2]), _day(row[3])
    return wave


def _start(wave: Wave) -> Started:
    code = new_secret()
    response = Response.objects.create(wave=wave, organisation=wave.organisation,
                                       key_hash=secret_hash(code), consented=True,
                                       started_on=timezone.localdate())
    return Started(response=response, code=code)


@transaction.atomic
def start_from_link(*, wave: Wave, consent: bool) -> Started:
    """Begin answering through the open link; only after consent is given."""
    if not wave.link_active or not is_open(wave):
        raise WaveClosed(_("This survey is closed."))
    if not consent:
        raise ValidationError(_("Tick the box to say you have read the statement and agree."))
    with scope(organisation=wave.organisation):
        return _start(wave)


USED_INVITATION = gettext_lazy("This link has been used. If you started answering, open the "
                               "private link you were given to continue.")


@transaction.atomic
def start_from_invitation(*, token: str, consent: bool) -> Started:
    """Use an emailed link once. The new response keeps no trace of the invitation."""
    if not consent:
        raise ValidationError(_("Tick the box to say you have read the statement and agree."))
    with scopes_disabled():
        invitation = (WaveInvitation.objects.select_for_update()
                      .filter(token_hash=secret_hash(token)).select_related("wave").first())
        if invitation is None:
            raise LookupError(token)
        if invitation.used:
            raise AlreadySubmitted(str(USED_INVITATION))
        if not is_open(invitation.wave):
            raise WaveClosed(_("This survey is closed."))
        invitation.used = True
        invitation.save(update_fields=["used"])
        return _start(invitation.wave)


def find_invitation(token: str) -> WaveInvitation | None:
    """The invitation behind an emailed link, with its wave, or None."""
    with scopes_disabled():
        return (WaveInvitation.objects.filter(token_hash=secret_hash(token))
                .select_related("wave__version", "wave__organisation").first())


def find_response(code: str) -> Response | None:
    """The response whose private code is ``code``, or None."""
    with scopes_disabled():
        return (Response.objects.filter(key_hash=secret_hash(code))
                .select_related("wave__version", "wave__organisation").first())


@transaction.atomic
def save_answers(*, response: Response, values: dict[str, Any]) -> dict[str, str]:
    """Save some answers (by question id, raw values) as the respondent goes.

    Returns the errors by question id; valid answers are saved even when others are not.
    """
    with scopes_disabled():
        fresh = Response.objects.select_for_update().select_related("wave__version").get(pk=response.pk)
    if fresh.is_submitted:
        raise AlreadySubmitted(_("These answers are already submitted and cannot be changed."))
    if not is_open(fresh.wave):
        raise WaveClosed(_("This survey is closed."))
    definition = definition_of(fresh.wave.version)
    answers = dict(fresh.answers)
    errors: dict[str, str] = {}
    for qid, raw in values.items():
        question = definition.question(qid)
        if question is None:
            errors[qid] = _("Unknown question.")
            continue
        try:
            value = answer_rules.clean_answer(question, raw)
        except answer_rules.AnswerError as exc:
            errors[qid] = str(exc)
            continue
        if answer_rules.is_empty(value):
            answers.pop(qid, None)
        else:
            answers[qid] = value
    fresh.answers = answer_rules.prune(definition, answers)
    fresh.save(update_fields=["answers"])
    response.answers = fresh.answers
    return errors


@transaction.atomic
def store_answers(*, response: Response, answers: dict[str, Any]) -> None:
    """Store already-cleaned answers for a draft (the page form's path)."""
    with scopes_disabled():
        fresh = Response.objects.select_for_update().select_related("wave__version").get(pk=response.pk)
    if fresh.is_submitted:
        raise AlreadySubmitted(_("These answers are already submitted and cannot be changed."))
    if not is_open(fresh.wave):
        raise WaveClosed(_("This survey is closed."))
    fresh.answers = answer_rules.prune(definition_of(fresh.wave.version), answers)
    fresh.save(update_fields=["answers"])
    response.answers = fresh.answers


def _incomplete(missing: list[Any], lang: str) -> ValidationError:
    names = ", ".join(f"«{q.label(lang)}»" for q in missing[:5])
    return ValidationError(_("Answer the required questions first: %(names)s") % {"names": names})


@transaction.atomic
def submit(*, response: Response, lang: str = "en") -> Response:
    """Submit once; a second submission changes nothing and says so."""
    with scopes_disabled():
        fresh = Response.objects.select_for_update().select_related("wave__version").get(pk=response.pk)
    if fresh.is_submitted:
        raise AlreadySubmitted(_("These answers are already submitted."))
    if not is_open(fresh.wave):
        raise WaveClosed(_("This survey is closed."))
    definition = definition_of(fresh.wave.version)
    missing = answer_rules.missing_required(definition, fresh.answers)
    if missing:
        raise _incomplete(missing, lang)
    fresh.status = ResponseStatus.SUBMITTED
    fresh.submitted_on = timezone.localdate()
    fresh.save(update_fields=["status", "submitted_on"])
    response.status, response.submitted_on = fresh.status, fresh.submitted_on
    return fresh


def submit_whole(*, wave: Wave, key: str, answers: dict[str, Any], lang: str = "en") -> Response:
    """Store and submit a complete answer in one INSERT (the one-page form and the API).

    ``key`` is the random key the form was served with: a replay of the same key finds
    the response already there and raises AlreadySubmitted, so a double click or a
    retried request never stores two answers. ``answers`` must be cleaned already."""
    if not is_open(wave):
        raise WaveClosed(_("This survey is closed."))
    definition = definition_of(wave.version)
    answers = answer_rules.prune(definition, answers)
    missing = answer_rules.missing_required(definition, answers)
    if missing:
        raise _incomplete(missing, lang)
    today = timezone.localdate()
    try:
        # No savepoint: a replay aborts the caller's whole transaction, which is what we want.
        with transaction.atomic(savepoint=False), scopes_disabled():
            return Response.objects.create(
                wave=wave, organisation_id=wave.organisation_id, key_hash=secret_hash(key),
                status=ResponseStatus.SUBMITTED, consented=True, started_on=today,
                submitted_on=today, answers=answers)
    except IntegrityError as exc:
        raise AlreadySubmitted(_("These answers are already submitted.")) from exc
