"""TOTP two-factor authentication: required for national analysts and organisation
administrators, offered to everyone; recovery codes; no switching it off when required."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from conftest import PASSWORD, give_totp
from peerwork.accounts.models import User
from peerwork.orgs import services
from peerwork.orgs.enums import Role

CONFTEST_SECRET = "JBSWY3DPEHPK3PXP"  # the secret conftest.give_totp records


@pytest.fixture
def committing_db(transactional_db: None) -> Iterator[None]:
    """Real commits, for flows that finish in on-commit callbacks while the request
    is still running (allauth's TOTP activation). The database cache is no model
    table, so the flush after the test would leave its entries behind: clear it."""
    yield
    cache.clear()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def log_in(email: str) -> tuple[Client, object]:
    """Log in through the form, as a person would; returns the client and the response."""
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    return client, response


def drop_totp(user: User) -> None:
    Authenticator.objects.filter(user=user).delete()


def confirm_password(client: Client, password: str = PASSWORD) -> None:
    """Allauth asks for the password again before two-factor settings change."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def activate_totp(client: Client) -> Any:
    """Open the set-up page and confirm with a code from the secret it shows.

    Allauth finishes the activation in on-commit callbacks: tests that look at what
    comes after use ``committing_db``."""
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    return client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})


@pytest.mark.parametrize("persona", ["analyst", "org_admin"])
@pytest.mark.parametrize("path", ["/", "/library/", "/me/", "/o/{slug}/"])
def test_two_factor_required_role_without_totp_is_sent_to_setup(world, persona, path):
    # Arrange
    drop_totp(getattr(world, persona))
    client, _login = log_in(f"{persona}@fjordvik.test")

    # Act
    response = client.get(path.format(slug=world.org.slug))

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_two_factor_platform_admin_without_totp_is_sent_to_setup(world):
    # Arrange
    drop_totp(world.platform_admin)
    client, _login = log_in("pia@platform.test")

    # Act
    response = client.get("/platform/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("persona", ["analyst", "org_admin"])
def test_two_factor_required_role_without_totp_gets_403_from_api(world, persona):
    # Arrange
    drop_totp(getattr(world, persona))
    client, _login = log_in(f"{persona}@fjordvik.test")

    # Act
    response = client.get("/api/v1/organisations")

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Set up two-factor authentication to use this account."}


def test_two_factor_activation_with_valid_code_opens_access(committing_db, world):
    # Arrange
    drop_totp(world.analyst)
    client, _login = log_in("analyst@fjordvik.test")

    # Act
    response = activate_totp(client)
    codes_page = client.get(response["Location"])

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert codes_page.status_code == 200  # shown at once, no password prompt in between
    assert Authenticator.objects.filter(user=world.analyst,
                                        type=Authenticator.Type.TOTP).count() == 1
    assert client.get(f"/o/{world.org.slug}/").status_code == 200
    assert client.get("/api/v1/organisations").status_code == 200


def test_two_factor_activation_with_wrong_code_is_refused(world):
    # Arrange
    drop_totp(world.analyst)
    client, _login = log_in("analyst@fjordvik.test")
    client.get("/accounts/2fa/totp/activate/")
    wrong = f"{(int(current_code(client.session[SECRET_SESSION_KEY])) + 1) % 10**6:06d}"

    # Act
    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong})

    # Assert
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=world.analyst).exists()
    assert client.get("/library/")["Location"] == "/accounts/2fa/totp/activate/"


def test_two_factor_peer_worker_is_not_forced(world):
    # Arrange
    client, _login = log_in("peer@fjordvik.test")

    # Act
    page = client.get(f"/o/{world.org.slug}/")
    api = client.get("/api/v1/organisations")

    # Assert
    assert page.status_code == 200
    assert api.status_code == 200


def test_two_factor_is_offered_to_peer_worker(world):
    # Arrange
    client, _login = log_in("peer@fjordvik.test")
    confirm_password(client)

    # Act
    response = activate_totp(client)

    # Assert
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=world.peer,
                                        type=Authenticator.Type.TOTP).count() == 1


def test_two_factor_login_asks_for_code(world):
    # Arrange: the analyst has TOTP (conftest).
    client = Client()

    # Act
    first = client.post("/accounts/login/", {"login": "analyst@fjordvik.test",
                                             "password": PASSWORD})
    between = client.get(f"/o/{world.org.slug}/")
    second = client.post("/accounts/2fa/authenticate/", {"code": current_code(CONFTEST_SECRET)})

    # Assert
    assert first.status_code == 302
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert between.status_code == 302
    assert between["Location"] == f"/accounts/login/?next=/o/{world.org.slug}/"
    assert second.status_code == 302
    assert second["Location"] == "/"
    assert client.session[SESSION_KEY] == str(world.analyst.pk)


def test_two_factor_login_wrong_code_is_refused(world):
    # Arrange
    client = Client()
    client.post("/accounts/login/", {"login": "analyst@fjordvik.test", "password": PASSWORD})
    wrong = f"{(int(current_code(CONFTEST_SECRET)) + 1) % 10**6:06d}"

    # Act
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    # Assert
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_two_factor_recovery_codes_are_generated_and_each_works_once(committing_db, world):
    # Arrange: set up TOTP through the pages, which also makes recovery codes.
    drop_totp(world.analyst)
    client, _login = log_in("analyst@fjordvik.test")
    activate_totp(client)
    codes_page = client.get("/accounts/2fa/recovery-codes/")
    store = Authenticator.objects.get(user=world.analyst,
                                      type=Authenticator.Type.RECOVERY_CODES)
    codes = RecoveryCodes(store).get_unused_codes()
    client.post("/accounts/logout/")

    # Act
    first = Client()
    first.post("/accounts/login/", {"login": "analyst@fjordvik.test", "password": PASSWORD})
    used = first.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    second = Client()
    second.post("/accounts/login/", {"login": "analyst@fjordvik.test", "password": PASSWORD})
    reused = second.post("/accounts/2fa/authenticate/", {"code": codes[0]})

    # Assert
    assert len(codes) == 10
    assert codes_page.status_code == 200
    assert all(code in codes_page.content.decode() for code in codes)
    assert used.status_code == 302
    assert first.session[SESSION_KEY] == str(world.analyst.pk)
    assert reused.status_code == 200
    assert "Incorrect code." in reused.content.decode()
    assert SESSION_KEY not in second.session
    store.refresh_from_db()
    assert RecoveryCodes(store).get_unused_codes() == codes[1:]


@pytest.mark.parametrize("persona", ["analyst", "org_admin", "platform_admin"])
def test_two_factor_required_user_cannot_deactivate_totp(world, persona):
    # Arrange
    user = getattr(world, persona)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_code(CONFTEST_SECRET)})
    confirm_password(client)

    # Act
    response = client.post("/accounts/2fa/totp/deactivate/")

    # Assert
    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication." in response.content.decode()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert get_mfa_adapter().can_delete_authenticator(authenticator) is False


def test_two_factor_peer_worker_can_deactivate_totp(world):
    # Arrange
    give_totp(world.peer)
    client = Client()
    client.post("/accounts/login/", {"login": "peer@fjordvik.test", "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_code(CONFTEST_SECRET)})
    confirm_password(client)

    # Act
    response = client.post("/accounts/2fa/totp/deactivate/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=world.peer,
                                            type=Authenticator.Type.TOTP).exists()


def test_two_factor_new_invited_analyst_can_set_up_totp(committing_db, world):
    # Arrange: a new analyst accepts an invitation and is logged in by it.
    issued = services.invite_member(actor=world.org_admin, organisation=world.org,
                                    email="nina@fjordvik.test", role=Role.ANALYST)
    client = Client()
    client.post(issued.url.removeprefix("http://127.0.0.1:8000"),
                {"name": "Nina", "password1": "fjord-lighthouse-kelp-42",
                 "password2": "fjord-lighthouse-kelp-42"})

    # Act: the set-up page opens straight away; the password was just chosen.
    activated = activate_totp(client)
    codes_page = client.get(activated["Location"])

    # Assert
    assert activated.status_code == 302
    assert activated["Location"] == "/accounts/2fa/recovery-codes/"
    assert codes_page.status_code == 200
    assert client.get(f"/o/{world.org.slug}/").status_code == 200


def test_two_factor_forced_setup_needs_no_second_password(world):
    # Arrange
    drop_totp(world.analyst)
    client, _login = log_in("analyst@fjordvik.test")

    # Act
    response = client.get("/accounts/2fa/totp/activate/")

    # Assert
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_two_factor_optional_setup_asks_for_password_again(world):
    # Arrange
    client, _login = log_in("peer@fjordvik.test")

    # Act
    response = client.get("/accounts/2fa/totp/activate/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F")


def test_two_factor_page_offers_switching_off_only_where_allowed(world):
    # Arrange: both have TOTP; only the analyst's role requires it.
    give_totp(world.peer)
    analyst_client = world.client_for(world.analyst)
    peer_client = world.client_for(world.peer)

    # Act
    analyst_page = analyst_client.get("/accounts/2fa/").content.decode()
    peer_page = peer_client.get("/accounts/2fa/").content.decode()

    # Assert
    assert "/accounts/2fa/totp/deactivate/" not in analyst_page
    assert "Your role requires two-factor authentication, so it cannot be switched off." in analyst_page
    assert "/accounts/2fa/totp/deactivate/" in peer_page
