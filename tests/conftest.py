"""Shared fixtures: personas for every role, plus Charlie, an outsider from another
organisation who must see nothing of Fjordvik's."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import polib
import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

import peerwork
from peerwork.accounts.models import User
from peerwork.orgs import services
from peerwork.orgs.enums import OrganisationType, Role
from peerwork.orgs.models import Organisation

PASSWORD = "correct horse battery staple"
NB_CATALOGUE = Path(peerwork.__file__).parent / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def compile_locale(root: Path) -> Path:
    """Compile the committed Norsk bokmål catalogue under ``root``: *.mo files are build
    products (not in git), so the tree's may be missing or older than the .po."""
    target = root / "nb" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    polib.pofile(str(NB_CATALOGUE)).save_as_mofile(str(target / "django.mo"))
    return root


@pytest.fixture
def nb_catalogue(settings: Any, tmp_path: Path) -> None:
    """Serve the freshly compiled catalogue. Changing LOCALE_PATHS makes Django drop its
    cached translations."""
    settings.LOCALE_PATHS = [compile_locale(tmp_path / "locale")]


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    platform_admin: User
    org_admin: User
    manager: User
    peer: User
    colleague: User
    analyst: User
    charlie: User  # org admin of the other organisation

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client


def give_totp(user: User) -> None:
    """Record a TOTP authenticator so the two-factor requirement is met."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})


def make_user(email: str, name: str = "", **extra: Any) -> User:
    return User.objects.create_user(email, PASSWORD, name=name, **extra)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.
    ``tests/test_security.py`` checks that production hashing is Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Start every test in the default language. A request through the test client
    leaves its language active in this thread, and the next test in the same worker
    would otherwise run in it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def world(db: None) -> World:
    # The database cache is no model table, so a transactional test's flush leaves it
    # behind; cached scores keyed by a reused round id must not leak into this test.
    cache.clear()
    platform_admin = User.objects.create_superuser("pia@platform.test", PASSWORD, name="Pia")
    give_totp(platform_admin)
    org = services.create_organisation(actor=platform_admin, name="Fjordvik psykisk helse",
                                       type=OrganisationType.MUNICIPAL, region="Vestland")
    other = services.create_organisation(actor=platform_admin, name="Secretdal rus",
                                         type=OrganisationType.NGO, region="Nordland")
    people = {}
    for key, role in [("org_admin", Role.ORG_ADMIN), ("manager", Role.MANAGER),
                      ("peer", Role.PEER_WORKER), ("colleague", Role.COLLEAGUE),
                      ("analyst", Role.ANALYST)]:
        user = make_user(f"{key}@fjordvik.test", key.title())
        services.add_member(actor=platform_admin, organisation=org, user=user, role=role)
        people[key] = user
    charlie = make_user("charlie@secretdal.test", "Charlie")
    services.add_member(actor=platform_admin, organisation=other, user=charlie,
                        role=Role.ORG_ADMIN)
    for user in (people["org_admin"], people["analyst"], charlie):
        give_totp(user)
    return World(org=org, other_org=other, platform_admin=platform_admin, charlie=charlie,
                 **people)


@pytest.fixture
def run_worker() -> Iterator[Callable[[], None]]:
    """Run the real database worker until the queue is empty, as ``db_worker --batch``."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0,
                     stdout=StringIO(), stderr=StringIO())

    yield run
    for number, handler in handlers.items():  # the worker installs its own
        signal.signal(number, handler)
