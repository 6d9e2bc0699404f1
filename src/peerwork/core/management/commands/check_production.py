"""``check_production``: is this configuration fit to serve the public?

Prints one line per check, OK, WARN or FAIL, and exits with status 1 on any
FAIL. Django's deployment checks count as failures from WARNING up, as with
``check --deploy --fail-level WARNING``. Settings refuse some mistakes before
any command runs (production mode with DEBUG on, or the development key); those
end with a configuration error instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http.request import validate_host

from peerwork.framework.library import LibraryError, get_library
from peerwork.settings import DEV_SECRET_KEY

OK, WARN, FAIL = "OK", "WARN", "FAIL"
# Email backends that never deliver: invitations and password resets would be lost.
UNSENT_EMAIL_BACKENDS = ("console", "locmem", "dummy")


@dataclass(frozen=True)
class Finding:
    level: str
    message: str


Check = Callable[[], Iterator[Finding]]


def check_production_mode() -> Iterator[Finding]:
    if getattr(settings, "PRODUCTION", False):
        yield Finding(OK, "PEERWORK_PRODUCTION is on")
    else:
        yield Finding(FAIL, "PEERWORK_PRODUCTION is not set: HTTPS redirect, secure cookies and HSTS are off")


def check_debug() -> Iterator[Finding]:
    if settings.DEBUG:
        yield Finding(FAIL, "DEBUG is on: error pages would show settings and code")
    else:
        yield Finding(OK, "DEBUG is off")


def check_secret_key() -> Iterator[Finding]:
    key = settings.SECRET_KEY
    if key == DEV_SECRET_KEY:
        yield Finding(FAIL, "SECRET_KEY is the development key: set SECRET_KEY or SECRET_KEY_FILE")
    elif len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        yield Finding(FAIL, "SECRET_KEY is weak: use 50 or more random characters")
    else:
        yield Finding(OK, f"SECRET_KEY is set ({len(key)} characters)")


def check_allowed_hosts() -> Iterator[Finding]:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        yield Finding(FAIL, "ALLOWED_HOSTS is empty: every request would be refused")
    elif "*" in hosts:
        yield Finding(WARN, "ALLOWED_HOSTS accepts any host name (*)")
    else:
        yield Finding(OK, f"ALLOWED_HOSTS is {', '.join(hosts)}")


def check_site_url() -> Iterator[Finding]:
    site_url = str(settings.SITE_URL)
    parts = urlsplit(site_url)
    if parts.scheme != "https" or not parts.hostname:
        yield Finding(FAIL, f"SITE_URL is {site_url}: links in emails must start with https://")
        return
    yield Finding(OK, f"SITE_URL is {site_url}")
    if not validate_host(parts.hostname, list(settings.ALLOWED_HOSTS)):
        yield Finding(WARN, f"SITE_URL's host {parts.hostname} is not in ALLOWED_HOSTS")


def check_email() -> Iterator[Finding]:
    backend = str(settings.EMAIL_BACKEND)
    if any(f".{name}." in backend for name in UNSENT_EMAIL_BACKENDS):
        yield Finding(FAIL, f"EMAIL_BACKEND is {backend}: invitations and password resets are not sent")
    elif ".filebased." in backend:
        yield Finding(WARN, f"EMAIL_BACKEND is {backend}: email is written to files, not sent")
    else:
        yield Finding(OK, f"EMAIL_BACKEND is {backend}")
    if "localhost" in str(settings.DEFAULT_FROM_EMAIL):
        yield Finding(WARN, f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL}: set a real sender")


def check_database() -> Iterator[Finding]:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        yield Finding(OK, "the database is PostgreSQL")
    elif connection.vendor == "sqlite":
        yield Finding(WARN, "the database is SQLite: fine for one server; PostgreSQL is recommended")
    else:
        yield Finding(WARN, f"the database is {connection.vendor}, which Peerwork is not tested with")
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        yield Finding(FAIL, f"the database cannot be reached: {exc}".strip())
        return
    yield Finding(OK, "the database can be reached")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        yield Finding(FAIL, f"the migrations could not be read: {exc}".strip())
        return
    if pending:
        yield Finding(FAIL, f"{len(pending)} migrations are not applied: run `python -m peerwork migrate`")
    else:
        yield Finding(OK, "all migrations are applied")


def check_static_files() -> Iterator[Finding]:
    backend = str(settings.STORAGES["staticfiles"]["BACKEND"])
    if "Manifest" not in backend:
        yield Finding(WARN, f"static files use {backend}; production mode uses WhiteNoise's manifest storage")
    elif (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file():
        yield Finding(OK, f"static files are collected in {settings.STATIC_ROOT}")
    else:
        # Without the manifest every page that links a stylesheet fails with an error.
        yield Finding(FAIL, f"static files are not collected in {settings.STATIC_ROOT}: "
                            "run `python -m peerwork collectstatic`")


def check_library() -> Iterator[Finding]:
    try:
        library = get_library()
    except LibraryError as exc:
        yield Finding(FAIL, f"the framework library does not load: {exc}")
        return
    yield Finding(OK, f"the framework library {library.version} loads ({len(library.elements)} elements)")


def check_django_deploy() -> Iterator[Finding]:
    messages = [m for m in checks.run_checks(include_deployment_checks=True) if not m.is_silenced()]
    for message in messages:
        if message.level >= checks.WARNING:
            text = " ".join(str(message.msg).split())
            yield Finding(FAIL, f"Django {message.id}: {text}")
    if not any(m.level >= checks.WARNING for m in messages):
        yield Finding(OK, "Django's deployment checks pass")


CHECKS: tuple[Check, ...] = (
    check_production_mode, check_debug, check_secret_key, check_allowed_hosts, check_site_url,
    check_email, check_database, check_static_files, check_library, check_django_deploy,
)


class Command(BaseCommand):
    help = "Check that this configuration is fit for production. Exits with status 1 on any FAIL."
    # It runs Django's checks itself and reports them as lines of its own.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        findings = [finding for check in CHECKS for finding in check()]
        styles = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR}
        for finding in findings:
            self.stdout.write(f"{finding.level:<4}  {finding.message}", style_func=styles[finding.level])
        failed = sum(f.level == FAIL for f in findings)
        warned = sum(f.level == WARN for f in findings)
        summary = f"FAIL {failed}, WARN {warned}, OK {len(findings) - failed - warned}."
        if failed:
            raise CommandError(f"Not ready for production: {summary}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Ready for production: {summary}"))
