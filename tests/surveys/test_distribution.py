"""Distribution: the open link, single-use invitations, reminders, the closing date, k."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from tests.surveys.conftest import open_wave, small_definition

from peerwork.orgs.models import AuditEvent
from peerwork.surveys import services
from peerwork.surveys.models import Response, Wave, WaveInvitation


def tokens_in_outbox() -> list[str]:
    return [re.search(r"/s/i/([^/\s]+)/", m.body).group(1) for m in mail.outbox]  # type: ignore[union-attr]


def test_invitation_works_once_and_leaves_no_link_to_the_answer(
    world: Any, wave: Wave, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invite(actor=world.analyst, wave=wave, emails=["a@x.test", "A@x.test ", "b@x.test"])
    assert sent == 2
    token = tokens_in_outbox()[0]
    client = Client()
    page = client.get(f"/s/i/{token}/")
    assert page.status_code == 200
    assert "Before you start: your privacy" in page.content.decode()
    started = client.post(f"/s/i/{token}/", {"consent": "yes"})
    assert started.status_code == 302
    again = Client().post(f"/s/i/{token}/", {"consent": "yes"})
    assert again.status_code == 409
    # Opened again, the used link says so at once instead of asking for consent first.
    reopened = Client().get(f"/s/i/{token}/")
    assert reopened.status_code == 409
    assert "This link has been used." in reopened.content.decode()
    assert "Before you start: your privacy" not in reopened.content.decode()
    with scopes_disabled():
        invitation = WaveInvitation.objects.get(wave=wave, email="a@x.test")
        response = Response.objects.get(wave=wave)
    assert invitation.used is True
    assert token not in str(vars(response))
    assert invitation.token_hash not in str(vars(response))


def test_reminders_go_only_to_unused_invitations_with_a_fresh_link(
    world: Any, wave: Wave, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(actor=world.analyst, wave=wave, emails=["a@x.test", "b@x.test"])
    first, second = tokens_in_outbox()
    invited_subject = mail.outbox[0].subject
    services.start_from_invitation(token=first, consent=True)
    mail.outbox.clear()
    client = world.client_for(world.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        reminded = client.post(f"/o/{world.org.slug}/surveys/waves/{wave.pk}/remind/")
    assert reminded.status_code == 302
    assert [m.to for m in mail.outbox] == [["b@x.test"]]
    assert invited_subject.startswith("A survey from")
    assert mail.outbox[0].subject.startswith("Reminder: a survey from")
    with scopes_disabled():
        events = [(e.action, e.detail["count"]) for e in AuditEvent.objects.order_by("pk")
                  if e.action in ("survey.invited", "survey.reminded")]
    assert events[-2:] == [("survey.invited", 2), ("survey.reminded", 1)]
    fresh = tokens_in_outbox()[0]
    assert Client().get(f"/s/i/{second}/").status_code == 404  # the old link is replaced
    assert Client().post(f"/s/i/{fresh}/", {"consent": "yes"}).status_code == 302


def test_closing_date_ends_the_wave(world: Any) -> None:
    wave = open_wave(world, closes_on=timezone.localdate())
    assert services.is_open(wave)
    with scopes_disabled():
        Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
        wave.refresh_from_db()
    assert not services.is_open(wave)
    assert Client().get(f"/s/{wave.link_token}/").status_code == 410
    with pytest.raises(services.WaveClosed):
        services.invite(actor=world.analyst, wave=wave, emails=["late@x.test"])


def test_k_starts_at_five_and_only_goes_up(world: Any, settings: Any) -> None:
    with pytest.raises(ValidationError):
        open_wave(world, small_definition(key="four"), min_cell=4)
    wave = open_wave(world, small_definition(key="seven"), min_cell=7)
    services.raise_min_cell(actor=world.analyst, wave=wave, min_cell=9)
    with pytest.raises(ValidationError):
        services.raise_min_cell(actor=world.analyst, wave=wave, min_cell=6)
    assert wave.min_cell == 9


def test_wave_page_shows_link_to_managers_and_counts_only(world: Any, wave: Wave) -> None:
    services.submit_whole(wave=wave, key="k" * 30, answers={"sector": "ngo", "fte": 10})
    analyst = world.client_for(world.analyst).get(f"/o/{world.org.slug}/surveys/waves/{wave.pk}/")
    assert analyst.status_code == 200
    assert wave.link_token in analyst.content.decode()
    peer = world.client_for(world.peer).get(f"/o/{world.org.slug}/surveys/waves/{wave.pk}/")
    assert peer.status_code == 200
    assert wave.link_token not in peer.content.decode()


def test_invitations_through_the_page_validate_addresses(world: Any, wave: Wave) -> None:
    client = world.client_for(world.analyst)
    refused = client.post(f"/o/{world.org.slug}/surveys/waves/{wave.pk}/", {"emails": "a@x.test, nope"})
    assert refused.status_code == 400
    assert "Not an email address: nope" in refused.content.decode()
    with scopes_disabled():
        assert WaveInvitation.objects.filter(wave=wave).count() == 0
