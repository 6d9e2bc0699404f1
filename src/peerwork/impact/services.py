"""Every write to the impact log: one function, one transaction, one audit event.

Free text is checked for likely personal data first: unless the writer has
acknowledged the warning, ``PersonalDataWarning`` is raised and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from peerwork.core.concurrency import StaleVersion, save_if_current
from peerwork.impact import stages
from peerwork.impact.enums import ExperienceSource, Function, ImpactLevel, Stage
from peerwork.impact.models import MAX_TEXT, Improvement
from peerwork.impact.privacy import Hit, personal_data_in
from peerwork.orgs import audit
from peerwork.orgs.enums import AuditAction
from peerwork.orgs.models import Organisation

__all__ = ["PersonalDataWarning", "StaleVersion", "log_improvement", "move_stage",
           "update_improvement"]

FIELDS = ["title", "problem", "experience_source", "function", "level", "outcome"]


class PersonalDataWarning(Exception):
    """The text looks as if it names or identifies someone."""

    def __init__(self, hits: list[Hit]) -> None:
        super().__init__(f"{len(hits)} likely personal data")
        self.hits = hits


def transition_message(code: str) -> str:
    return {
        "unknown_stage": _("Unknown stage."),
        "date_required": _("Give the date the improvement reached this stage."),
        "date_before_previous": _("The date cannot be before the date of the previous stage."),
        "date_in_future": _("The date cannot be in the future."),
        "already_there": _("The improvement is at this stage already."),
        "skips_stages": _("An improvement moves one stage at a time; it cannot skip a stage."),
        "back_too_far": _("Only the last move can be undone, one stage at a time."),
    }.get(code, _("This move is not possible."))


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    errors = []
    cleaned = {name: data.get(name, "") for name in FIELDS}
    for name in ("title", "problem", "outcome"):
        cleaned[name] = str(cleaned[name] or "").strip()
    if not cleaned["title"] or not cleaned["problem"]:
        errors.append(_("Give the improvement a title and say what the problem was."))
    if len(cleaned["title"]) > 200:
        errors.append(_("Keep the title under 200 characters."))
    if len(cleaned["problem"]) > MAX_TEXT or len(cleaned["outcome"]) > MAX_TEXT:
        errors.append(_("Keep each text under %(n)s characters.") % {"n": MAX_TEXT})
    for name, choices, message in [
            ("experience_source", ExperienceSource, _("Choose whose experience it came from.")),
            ("function", Function, _("Choose the Model 4 function it came through.")),
            ("level", ImpactLevel, _("Choose the level of impact."))]:
        if cleaned[name] not in choices.values:
            errors.append(message)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _warn(cleaned: Mapping[str, Any], acknowledged: bool) -> None:
    if acknowledged:
        return
    hits = personal_data_in(cleaned["title"], cleaned["problem"], cleaned["outcome"])
    if hits:
        raise PersonalDataWarning(hits)


@transaction.atomic
def log_improvement(*, actor: Any, organisation: Organisation, data: Mapping[str, Any],
                    identified_on: dt.date, personal_data_acknowledged: bool = False,
                    submission: uuid.UUID | None = None) -> Improvement:
    """Add an entry. A ``submission`` key seen before returns that entry unchanged."""
    if submission is not None:
        with scope(organisation=organisation):
            earlier = Improvement.objects.filter(organisation=organisation,
                                                 submission=submission).first()
        if earlier is not None:
            return earlier
    cleaned = _clean(data)
    if identified_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    _warn(cleaned, personal_data_acknowledged)
    with scope(organisation=organisation):
        try:
            with transaction.atomic():  # a savepoint: the same key sent twice at once
                entry = Improvement.objects.create(
                    organisation=organisation, recorded_by=actor, identified_on=identified_on,
                    submission=submission, **cleaned)
        except IntegrityError:
            return Improvement.objects.get(organisation=organisation, submission=submission)
    audit.record(actor=actor, action=AuditAction.IMPROVEMENT_LOGGED, organisation=organisation,
                 target=entry.title, detail={"improvement": entry.pk})
    return entry


@transaction.atomic
def update_improvement(*, actor: Any, entry: Improvement, data: Mapping[str, Any], version: int,
                       personal_data_acknowledged: bool = False) -> Improvement:
    cleaned = _clean({**{n: getattr(entry, n) for n in FIELDS}, **data})
    _warn(cleaned, personal_data_acknowledged)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    save_if_current(entry, expected=version, fields=list(cleaned))
    audit.record(actor=actor, action=AuditAction.IMPROVEMENT_UPDATED,
                 organisation=entry.organisation, target=entry.title,
                 detail={"improvement": entry.pk, "version": entry.version})
    return entry


@transaction.atomic
def move_stage(*, actor: Any, entry: Improvement, stage: str, on: dt.date | None,
               version: int) -> Improvement:
    """Move to the next stage on ``on``, or undo the last move. Raises ValidationError
    for an impossible move and StaleVersion when someone else saved first."""
    try:
        dates = stages.move(entry.dates(), entry.stage, stage, on,  # type: ignore[arg-type]
                            today=timezone.localdate())
    except stages.TransitionError as exc:
        raise ValidationError(transition_message(exc.code), code=exc.code) from exc
    previous = entry.stage
    entry.stage = Stage(stage)
    fields = ["stage"]
    for name, value in dates.items():
        if name != "identified":
            setattr(entry, f"{name}_on", value)
            fields.append(f"{name}_on")
    save_if_current(entry, expected=version, fields=fields)
    audit.record(actor=actor, action=AuditAction.IMPROVEMENT_MOVED,
                 organisation=entry.organisation, target=entry.title,
                 detail={"improvement": entry.pk, "from": previous, "to": stage})
    return entry
