"""``check_production``: one OK/WARN/FAIL line per check, status 1 on any FAIL.

The settings module reads the environment once, at import, so the
configurations under test run in a fresh process, on an empty SQLite file.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

SRC = Path(__file__).resolve().parents[2] / "src"
LONG_KEY = "k3J9-vQ2xL7pR0sT5wY8zA1bC4dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA6bC9dE"
# Variables that would leak this shell's configuration into the one under test.
CONFIG_VARIABLES = ("DATABASE_URL", "DB", "SQLITE_PATH", "STATIC_ROOT", "SECRET_KEY", "SECRET_KEY_FILE",
                    "DEBUG", "PEERWORK_PRODUCTION", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_BACKEND",
                    "DEFAULT_FROM_EMAIL", "PEERWORK_DATA_DIR")
PRODUCTION = {"PEERWORK_PRODUCTION": "1", "SECRET_KEY": LONG_KEY, "DEBUG": "0",
              "ALLOWED_HOSTS": "example.org", "SITE_URL": "https://example.org",
              "DEFAULT_FROM_EMAIL": "Peerwork <noreply@example.org>"}


def peerwork(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    environment.update(PEERWORK_DATA_DIR=str(tmp_path), PYTHONPATH=str(SRC), **variables)
    return subprocess.run([sys.executable, "-m", "peerwork", *args], env=environment, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)


def lines(output: str, level: str) -> list[str]:
    return [line[6:] for line in output.splitlines() if line.startswith(f"{level:<4}  ")]


def test_check_production_fails_on_development_settings(tmp_path):
    result = peerwork(tmp_path, "check_production")

    assert result.returncode == 1
    failed = lines(result.stdout, "FAIL")
    assert failed[:5] == [
        "PEERWORK_PRODUCTION is not set: HTTPS redirect, secure cookies and HSTS are off",
        "DEBUG is on: error pages would show settings and code",
        "SECRET_KEY is the development key: set SECRET_KEY or SECRET_KEY_FILE",
        "SITE_URL is http://127.0.0.1:8000: links in emails must start with https://",
        "EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend: invitations and password "
        "resets are not sent",
    ]
    assert any(line.startswith("Django security.W018: You should not have DEBUG set to True")
               for line in failed)
    assert "the database is SQLite: fine for one server; PostgreSQL is recommended" in lines(
        result.stdout, "WARN")
    assert result.stderr.startswith("CommandError: Not ready for production: FAIL ")
    assert "Traceback" not in result.stderr


def test_check_production_passes_settings_but_fails_unprepared_database(tmp_path):
    # Production settings are right; the empty database and the missing
    # collectstatic are what is left to do.
    result = peerwork(tmp_path, "check_production", **PRODUCTION)

    assert result.returncode == 1, result.stdout + result.stderr
    assert len(lines(result.stdout, "FAIL")) == 2
    assert lines(result.stdout, "FAIL")[0].endswith(
        "migrations are not applied: run `python -m peerwork migrate`")
    assert lines(result.stdout, "FAIL")[1] == (
        f"static files are not collected in {tmp_path}/static: run `python -m peerwork collectstatic`")
    assert lines(result.stdout, "WARN") == [
        "the database is SQLite: fine for one server; PostgreSQL is recommended"]
    assert lines(result.stdout, "OK")[:6] == [
        "PEERWORK_PRODUCTION is on", "DEBUG is off", f"SECRET_KEY is set ({len(LONG_KEY)} characters)",
        "ALLOWED_HOSTS is example.org", "SITE_URL is https://example.org",
        "EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend",
    ]
    assert "Django's deployment checks pass" in lines(result.stdout, "OK")


def test_production_mode_with_debug_refuses_to_start(tmp_path):
    result = peerwork(tmp_path, "check_production", **{**PRODUCTION, "DEBUG": "1"})

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "peerwork: configuration error: Production mode refuses to start with DEBUG on.\n"


def test_production_mode_with_short_secret_key_refuses_to_start(tmp_path):
    result = peerwork(tmp_path, "check_production", **{**PRODUCTION, "SECRET_KEY": "too-short"})

    assert result.returncode == 2
    assert result.stderr == ("peerwork: configuration error: Production mode needs SECRET_KEY (or "
                             "SECRET_KEY_FILE): 50 or more random characters.\n")


@pytest.fixture
def production_settings(settings, tmp_path):
    """What settings.py sets in production mode, applied to this process's settings."""
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = LONG_KEY
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.SITE_URL = "https://example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Peerwork <noreply@example.org>"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    return settings


def test_check_production_ready_configuration_passes(db, production_settings):
    call_command("collectstatic", "--noinput", verbosity=0)
    out = io.StringIO()

    call_command("check_production", stdout=out)

    output = out.getvalue()
    assert lines(output, "FAIL") == []
    expected_warnings = ([] if connection.vendor == "postgresql"
                         else ["the database is SQLite: fine for one server; PostgreSQL is recommended"])
    assert lines(output, "WARN") == expected_warnings
    assert "all migrations are applied" in lines(output, "OK")
    assert output.splitlines()[-1].startswith("Ready for production: FAIL 0, ")
