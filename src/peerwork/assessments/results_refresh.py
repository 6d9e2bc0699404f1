"""What a round's results page and API show (see reports.refresh): the scores of the
current submissions, or, for a round too large to score in a request, the newest scores
computed while one background task computes the rest."""

from __future__ import annotations

import datetime as dt

from peerwork.assessments import queries, tasks
from peerwork.assessments.models import Round
from peerwork.assessments.scoring import RoundScores
from peerwork.reports import refresh

Shown = refresh.Shown[Round, RoundScores]


def shown(round_: Round) -> Shown:
    """The scores to show now. A small round's are computed here if need be; a large
    round's missing ones are asked of the background task, the newest shown meanwhile."""
    return refresh.shown(round_, key=round_.pk, title=round_.title,
                         submitted=queries.submitted_count(round_),
                         cached=lambda count: queries.cached_scores(round_, count),
                         compute=lambda: queries.round_scores(round_),
                         latest=lambda: queries.latest_scores(round_), ask=lambda: request(round_))


def request(round_: Round, *, now: bool = False) -> bool:
    """Queue the round's background scoring unless one is queued."""

    def enqueue(run_after: dt.datetime | None) -> None:
        tasks.refresh_round_scores.using(run_after=run_after).enqueue(round_id=round_.pk)

    return refresh.request(queries.refresh_name(round_), tasks.SCORES, enqueue, now=now)


def trend(state: Shown) -> tuple[queries.Trend | None, list[Shown]]:
    """The trend over the shown scores of the service's rounds up to ``state``'s, and
    the state of every round it read (``state`` first)."""
    states = {state.key: state}

    def scores_of(round_: Round) -> RoundScores | None:
        if round_.pk not in states:
            states[round_.pk] = shown(round_)
        return states[round_.pk].results

    found = queries.trend(state.of, scores_of)
    return found, list(states.values())
