"""The background task that scores a round (see reports.refresh)."""

from __future__ import annotations

from django_scopes import scopes_disabled
from django_tasks import task

from peerwork.assessments import queries
from peerwork.assessments.models import Round
from peerwork.reports import refresh

SCORES = "scores"


@task()
def refresh_round_scores(round_id: int) -> None:
    """Score the round's current submissions and cache the scores."""
    with scopes_disabled():
        round_ = Round.objects.select_related("organisation").filter(pk=round_id).first()
    if round_ is None:
        return
    refresh.started(queries.refresh_name(round_), SCORES)
    queries.round_scores(round_)
