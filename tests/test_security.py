"""Security headers, CSRF, sessions, request size, password hashing, health check."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

import peerwork.settings as peerwork_settings
from conftest import PASSWORD
from peerwork.accounts.models import User
from peerwork.orgs.models import AuditEvent, Organisation

CSRF_MESSAGE = ("The form had expired or came from somewhere else. "
                "Go back, reload the page and try again.")
TOO_LARGE = "The request is too large. The limit is 10 MB."
PROFILE = {"name": "Changed", "type": "ngo", "country": "NO", "region": "Rogaland",
           "size_band": ""}


def csp_directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def logged_in_csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


# --- headers ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/library/", "/accounts/login/", "/no-such-page/",
                                  "/api/v1/library", "/healthz"])
def test_security_headers_on_every_kind_of_response(db, path):
    # Act
    response = Client().get(path)

    # Assert
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_security_csp_is_strict(db):
    # Act
    directives = csp_directives(Client().get("/"))

    # Assert
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]


@pytest.mark.parametrize("persona", ["org_admin", None])
def test_security_pages_have_no_inline_script_or_style(world, persona):
    # Arrange: the pages a person sees most, which the CSP would break if inline.
    client = world.client_for(getattr(world, persona) if persona else None)
    paths = ["/", "/library/", "/accounts/password/reset/"]
    if persona is None:
        paths += ["/accounts/login/"]
    else:
        paths += [f"/o/{world.org.slug}/", f"/o/{world.org.slug}/members/",
                  f"/o/{world.org.slug}/settings/", f"/o/{world.org.slug}/audit/", "/me/",
                  "/me/api-keys/"]

    # Act
    pages = {path: client.get(path) for path in paths}

    # Assert
    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(paths,
                                                                                     200)
    for path, page in pages.items():
        html = page.content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
        assert re.findall(r"<style\b", html) == [], path
        assert re.findall(r"\sstyle=", html) == [], path
        assert re.findall(r"\son[a-z]+=", html) == [], path


# --- CSRF ---------------------------------------------------------------------------


def test_security_csrf_missing_token_is_403_with_message(world):
    # Arrange
    client = logged_in_csrf_client(world.org_admin)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/", PROFILE)

    # Assert
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.content.decode()
    assert Organisation.objects.get(pk=world.org.pk).name == "Fjordvik psykisk helse"


def test_security_csrf_tampered_token_is_403_with_message(world):
    # Arrange
    client = logged_in_csrf_client(world.org_admin)
    client.get(f"/o/{world.org.slug}/settings/")  # sets the CSRF cookie
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    tampered = ("A" if token[0] != "A" else "B") + token[1:]

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/",
                           {**PROFILE, "csrfmiddlewaretoken": tampered})

    # Assert
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.content.decode()
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="org.updated").exists()


def test_security_csrf_valid_token_is_accepted(world):
    # Arrange
    client = logged_in_csrf_client(world.org_admin)
    page = client.get(f"/o/{world.org.slug}/settings/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                      page.content.decode()).group(1)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/",
                           {**PROFILE, "csrfmiddlewaretoken": token})

    # Assert
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.org.pk).region == "Rogaland"


def test_security_csrf_login_form_is_protected(world):
    # Act
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "peer@fjordvik.test", "password": PASSWORD})

    # Assert
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.content.decode()


def test_security_csrf_api_session_write_without_token_is_403_json(world):
    # Arrange
    client = logged_in_csrf_client(world.org_admin)

    # Act
    response = client.patch(f"/api/v1/organisations/{world.org.slug}",
                            {"region": "Rogaland"}, content_type="application/json")

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"


# --- sessions -----------------------------------------------------------------------


@pytest.mark.parametrize("cookie", ["tampered", "x" * 40, "../../etc/passwd",
                                    # UTF-8 bytes as a WSGI server hands them over (latin-1)
                                    "\u00c3\u00a9%00"])
def test_security_tampered_session_cookie_is_anonymous(world, cookie):
    # Arrange
    client = world.client_for(world.org_admin)
    real = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.cookies[django_settings.SESSION_COOKIE_NAME] = (
        real[:-1] + ("a" if real[-1] != "a" else "b") if cookie == "tampered" else cookie)

    # Act
    page = client.get(f"/o/{world.org.slug}/members/")
    api = client.get("/api/v1/organisations")

    # Assert
    assert page.status_code == 302
    assert page["Location"] == f"/accounts/login/?next=/o/{world.org.slug}/members/"
    assert api.status_code == 401


def test_security_session_settings_expire(db):
    # Assert: eight hours at most, and gone when the browser closes.
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.ACCOUNT_SESSION_REMEMBER is False


def test_security_login_cookie_is_a_browser_session_cookie(world):
    # Arrange
    client = Client()

    # Act
    response = client.post("/accounts/login/", {"login": "peer@fjordvik.test",
                                                "password": PASSWORD})

    # Assert
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_security_expired_session_is_anonymous(world):
    # Arrange
    client = Client()
    client.post("/accounts/login/", {"login": "peer@fjordvik.test", "password": PASSWORD})
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))

    # Act
    response = client.get(f"/o/{world.org.slug}/")

    # Assert
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/o/{world.org.slug}/"


# --- request size -------------------------------------------------------------------


def test_security_oversized_request_is_413_html(world):
    # Arrange
    client = world.client_for(world.org_admin)
    declared = str(django_settings.MAX_REQUEST_BYTES + 1)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/", PROFILE,
                           CONTENT_LENGTH=declared)

    # Assert
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"


def test_security_oversized_request_is_413_json_for_api(world):
    # Arrange
    client = world.client_for(world.org_admin)
    declared = str(django_settings.MAX_REQUEST_BYTES + 1)

    # Act
    response = client.patch(f"/api/v1/organisations/{world.org.slug}",
                            {"region": "Rogaland"}, content_type="application/json",
                            CONTENT_LENGTH=declared)

    # Assert
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": TOO_LARGE}
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"


def test_security_really_large_body_is_refused(world, settings):
    # Arrange: a small limit, and a body that really is bigger.
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    client = world.client_for(world.org_admin)

    # Act
    response = client.post(f"/o/{world.org.slug}/settings/",
                           {**PROFILE, "region": "x" * (1024 * 1024 + 1)})

    # Assert
    assert response.status_code == 413
    assert "The request is too large. The limit is 1 MB." in response.content.decode()
    assert Organisation.objects.get(pk=world.org.pk).region == "Vestland"


def test_security_request_at_limit_passes(world):
    # Act
    response = world.client_for(world.org_admin).get(
        "/", CONTENT_LENGTH=str(django_settings.MAX_REQUEST_BYTES))

    # Assert
    assert response.status_code == 200


# --- errors -------------------------------------------------------------------------


def test_security_not_found_page_is_friendly(db):
    # Act
    page = Client().get("/no-such-page/")
    api = Client().get("/api/no-such-endpoint")

    # Assert
    assert page.status_code == 404
    assert "There is nothing here, or you do not have access to it." in page.content.decode()
    assert api.status_code == 404
    assert api.json() == {"detail": "There is nothing here, or you do not have access to it."}


# --- passwords and health -----------------------------------------------------------


def test_security_passwords_are_hashed_with_argon2(db, settings):
    # Arrange: the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = peerwork_settings.PASSWORD_HASHERS

    # Act
    user = User.objects.create_user("hash@fjordvik.test", PASSWORD)

    # Assert
    assert peerwork_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher")
    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$")
    assert PASSWORD not in stored
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_security_healthz_reports_ok(db):
    # Act
    response = Client().get("/healthz")

    # Assert
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_security_production_mode_hardens_cookies_and_transport(tmp_path):
    # Arrange
    env = {**os.environ, "PEERWORK_PRODUCTION": "1", "SECRET_KEY": "s" * 60,
           "ALLOWED_HOSTS": "peerwork.example", "PEERWORK_DATA_DIR": str(tmp_path)}
    env.pop("DEBUG", None)
    code = ("import json, peerwork.settings as s; print(json.dumps({k: getattr(s, k) for k in "
            "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
            "'SECURE_HSTS_SECONDS']}))")

    # Act
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True)

    # Assert
    assert json.loads(result.stdout) == {
        "DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000}


def test_security_production_mode_refuses_development_secret(tmp_path):
    # Arrange
    env = {**os.environ, "PEERWORK_PRODUCTION": "1", "PEERWORK_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    env.pop("DEBUG", None)

    # Act
    result = subprocess.run([sys.executable, "-c", "import peerwork.settings"], env=env,
                            capture_output=True, text=True, check=False)

    # Assert
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
