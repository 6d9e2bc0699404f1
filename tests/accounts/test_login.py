"""Logging in and out, resetting a forgotten password, and the failed-login rate limit."""

from __future__ import annotations

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from conftest import PASSWORD
from peerwork.accounts.models import User

RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/key/[^\s]+/)")
NEW_PASSWORD = "moss-harbour-ferry-1907"


def test_login_with_email_and_password_starts_session(world):
    # Arrange
    client = Client()

    # Act
    response = client.post("/accounts/login/", {"login": "peer@fjordvik.test",
                                                "password": PASSWORD})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(world.peer.pk)


def test_login_email_is_case_insensitive(world):
    # Arrange
    client = Client()

    # Act
    response = client.post("/accounts/login/", {"login": "Peer@Fjordvik.TEST",
                                                "password": PASSWORD})

    # Assert
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.peer.pk)


def test_login_wrong_password_is_refused(world):
    # Arrange
    client = Client()

    # Act
    response = client.post("/accounts/login/", {"login": "peer@fjordvik.test",
                                                "password": "not the password"})

    # Assert
    assert response.status_code == 200
    assert ("The email address and/or password you specified are not correct."
            in response.content.decode())
    assert SESSION_KEY not in client.session


def test_login_deactivated_account_is_refused(world):
    # Arrange
    User.objects.filter(pk=world.peer.pk).update(is_active=False)
    client = Client()

    # Act
    response = client.post("/accounts/login/", {"login": "peer@fjordvik.test",
                                                "password": PASSWORD})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"
    assert SESSION_KEY not in client.session


def test_login_failed_attempts_are_rate_limited(world):
    # Arrange: five failures use up the allowance for this address.
    client = Client()
    for _attempt in range(5):
        failed = client.post("/accounts/login/", {"login": "peer@fjordvik.test",
                                                  "password": "guess"})
        assert "Too many failed login attempts" not in failed.content.decode()

    # Act: the sixth attempt, even with the right password.
    response = client.post("/accounts/login/", {"login": "peer@fjordvik.test",
                                                "password": PASSWORD})

    # Assert
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_login_rate_limit_is_per_address(world):
    # Arrange
    client = Client()
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": "peer@fjordvik.test", "password": "guess"})

    # Act: another person's login from elsewhere is unaffected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    response = other.post("/accounts/login/", {"login": "manager@fjordvik.test",
                                               "password": PASSWORD})

    # Assert
    assert response.status_code == 302
    assert other.session[SESSION_KEY] == str(world.manager.pk)


def test_logout_by_post_ends_session(world):
    # Arrange
    client = Client()
    client.post("/accounts/login/", {"login": "peer@fjordvik.test", "password": PASSWORD})

    # Act
    response = client.post("/accounts/logout/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session
    assert client.get("/me/")["Location"] == "/accounts/login/?next=/me/"


def test_logout_by_get_does_not_log_out(world):
    # Arrange
    client = world.client_for(world.peer)

    # Act
    response = client.get("/accounts/logout/")

    # Assert: GET only shows the confirmation form.
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(world.peer.pk)


def test_password_reset_sends_link_that_sets_new_password(world):
    # Arrange
    client = Client()

    # Act
    response = client.post("/accounts/password/reset/", {"email": "peer@fjordvik.test"})
    (message,) = mail.outbox
    match = RESET_LINK.search(message.body)
    assert match is not None, message.body
    key_page = client.get(match.group(1))
    change = client.post(key_page["Location"],
                         {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert message.to == ["peer@fjordvik.test"]
    assert key_page.status_code == 302
    assert change.status_code == 302
    assert change["Location"] == "/accounts/password/reset/key/done/"
    assert User.objects.get(pk=world.peer.pk).check_password(NEW_PASSWORD)


def test_password_reset_unknown_email_reveals_nothing(db):
    # Arrange
    client = Client()

    # Act
    response = client.post("/accounts/password/reset/", {"email": "nobody@fjordvik.test"})

    # Assert: the same redirect as for a known address; no account is created.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert User.objects.filter(email="nobody@fjordvik.test").exists() is False
    # Sign-up is closed, so there is nothing to tell a stranger's address.
    assert mail.outbox == []


def test_signup_is_closed(db):
    # Act
    response = Client().post("/accounts/signup/", {
        "email": "walkin@example.test", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })

    # Assert
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="walkin@example.test").exists()
