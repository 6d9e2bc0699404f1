"""Helpers shared by bench/assessment_*.py: Django set up in the benchmark process
against a throwaway instance, a round opened with the real service, respondents
bulk-created through the ORM, an HTTP/1.1 client with cookies, headers and form
POSTs on loopback, and a bounded closed-loop GET load with extra headers.

Not a test and not part of the app: nothing under src/ imports this. The generic
pieces (temporary directories, gunicorn, percentiles, /proc readings, tables) come
from ``benchlib``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import benchlib as bl

# A realistic mix of who answers a readiness round: a few managers, many colleagues.
POSITION_WEIGHTS = {"manager": 0.08, "colleague": 0.57, "peer_worker": 0.35}
DONT_KNOW_SHARE = 0.06  # answers given as "don't know" (stored as None)
SKIPPED_SHARE = 0.03  # questions a seeded respondent left unanswered
COMMENT_SHARE = 0.02  # answers with a short comment
COMMENTS = ["Varies between teams.", "Not discussed yet.", "We are working on this.",
            "Depends on the shift.", "Only partly in place."]


# --- Django in this process ------------------------------------------------------------------

def setup_django(env: Mapping[str, str]) -> None:
    """Point this process at the benchmark instance (the same environment gunicorn
    gets) and set Django up, so that seeding and checks use the app's own models."""
    for key in ("PEERWORK_PRODUCTION", "DATABASE_URL", "DB", "SQLITE_PATH",
                "PEERWORK_LIBRARY_DIR", "DEBUG"):
        os.environ.pop(key, None)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("PEERWORK_", "DATABASE_"))
                       or k in {"DEBUG", "LOG_LEVEL"}})
    os.environ["DJANGO_SETTINGS_MODULE"] = "peerwork.settings"
    import django  # noqa: PLC0415 - only once the environment points at the instance

    django.setup()


def close_db() -> None:
    from django.db import connections  # noqa: PLC0415 - needs settings

    connections.close_all()


@dataclass
class Demo:
    organisation: Any
    manager: Any
    slug: str
    admin: Any = None
    analyst: Any = None


def demo_world() -> Demo:
    """The organisation and people that ``python -m peerwork demo`` created."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - needs settings

    from peerwork.demo.people import (  # noqa: PLC0415
        DEMO_PEOPLE,
        DEMO_SLUG,
        PLATFORM_ADMIN,
    )
    from peerwork.orgs.models import Organisation  # noqa: PLC0415

    users = get_user_model().objects
    by_role = {str(role): email for email, _name, role in DEMO_PEOPLE}
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    return Demo(organisation=organisation, manager=users.get(email=by_role["manager"]),
                slug=DEMO_SLUG, admin=users.get(email=PLATFORM_ADMIN[0]),
                analyst=users.filter(email=by_role.get("analyst", "")).first())


def extra_organisation(world: Demo, name: str) -> Demo:
    """Another service, made by the platform administrator through the real services,
    with the demo manager as its manager; returned as a Demo of its own."""
    from peerwork.orgs import services  # noqa: PLC0415 - needs settings

    organisation = services.create_organisation(actor=world.admin, name=name, type="municipal")
    services.add_member(actor=world.admin, organisation=organisation, user=world.manager,
                        role="manager")
    return Demo(organisation=organisation, manager=world.manager, slug=organisation.slug,
                admin=world.admin, analyst=world.analyst)


def activate_totp(user: Any) -> None:
    """Give ``user`` an authenticator app (allauth's own activation), so that a role
    that requires two-factor authentication may use its session or API key."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: PLC0415

    TOTP.activate(user, generate_totp_secret())


def open_round(world: Demo, title: str, *, stage: str = "first_year") -> Any:
    """A round opened by the demo manager through the real service (one share link per
    position), the way the page does it."""
    from django.utils import timezone  # noqa: PLC0415 - needs settings

    from peerwork.assessments import services  # noqa: PLC0415

    return services.create_round(actor=world.manager, organisation=world.organisation, title=title,
                                 stage=stage, role_form="role_form.care_provider", anonymous=True,
                                 closes_on=timezone.localdate() + dt.timedelta(days=30))


def share_links(round_: Any) -> dict[str, str]:
    from django_scopes import scopes_disabled  # noqa: PLC0415 - needs settings

    from peerwork.assessments.models import ShareLink  # noqa: PLC0415

    with scopes_disabled():
        return dict(ShareLink.objects.filter(round=round_).values_list("position", "token"))


def round_items(round_: Any) -> list[Any]:
    """The questionnaire items that apply to the round's stage, in order."""
    from peerwork.assessments.questionnaires import get_questionnaire  # noqa: PLC0415

    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    return questionnaire.items_for(round_.stage)


def round_sections(round_: Any) -> list[list[str]]:
    """Item ids per questionnaire part, as the no-JavaScript form pages them."""
    from peerwork.assessments.questionnaires import get_questionnaire  # noqa: PLC0415

    questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
    sections = [[i.id for i in s.items if i.applies_to(round_.stage)] for s in questionnaire.sections]
    return [s for s in sections if s]


def seed_responses(round_: Any, count: int, *, seed: int = 1, batch: int = 500) -> dict[str, float]:
    """``count`` submitted respondents on ``round_``, bulk-created through the ORM.

    Each respondent has a position (mostly colleagues and peer workers), a personal
    leaning and per-area differences, so means differ by area and group; about 6 % of
    answers are "don't know" (None), 3 % of questions are skipped and 2 % of answers
    carry a short comment. Returns counts and timings."""
    from django.db import transaction  # noqa: PLC0415 - needs settings
    from django.utils import timezone  # noqa: PLC0415

    from peerwork.assessments.models import Answer, Response  # noqa: PLC0415

    rng = random.Random(seed)
    items = round_items(round_)
    area_bias = {i.id: rng.uniform(-0.9, 0.9) for i in items}
    group_bias = {p: rng.uniform(-0.6, 0.6) for p in POSITION_WEIGHTS}
    positions, weights = list(POSITION_WEIGHTS), list(POSITION_WEIGHTS.values())
    today = timezone.localdate()
    t0 = time.perf_counter()
    answers_made = 0
    for start in range(0, count, batch):
        responses, answers = [], []
        for _ in range(min(batch, count - start)):
            position = rng.choices(positions, weights)[0]
            lean = rng.gauss(0, 0.5) + group_bias[position]
            response = Response(
                id=uuid.UUID(int=rng.getrandbits(128), version=4), round=round_,
                organisation_id=round_.organisation_id, position=position,
                resume_hash=f"{rng.getrandbits(256):064x}", submitted=True,
                started_on=today - dt.timedelta(days=rng.randint(0, 20)), submitted_on=today)
            responses.append(response)
            for item in items:
                roll = rng.random()
                if roll < SKIPPED_SHARE:
                    continue
                value = None if roll < SKIPPED_SHARE + DONT_KNOW_SHARE else \
                    min(5, max(1, round(3.3 + area_bias[item.id] + lean + rng.gauss(0, 0.8))))
                comment = rng.choice(COMMENTS) if rng.random() < COMMENT_SHARE else ""
                answers.append(Answer(response_id=response.id, item=item.id, value=value,
                                      comment=comment))
        with transaction.atomic():
            Response.objects.bulk_create(responses, batch_size=batch)
            Answer.objects.bulk_create(answers, batch_size=2000)
        answers_made += len(answers)
    took = time.perf_counter() - t0
    return {"responses": count, "answers": answers_made, "seconds": round(took, 1)}


def session_cookie(user: Any) -> str:
    """A session for ``user``, made with Django's test client; the cookie is then sent
    with plain HTTP requests to gunicorn (same database)."""
    from django.conf import settings  # noqa: PLC0415 - needs settings
    from django.test import Client  # noqa: PLC0415

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def api_key(user: Any) -> str:
    from peerwork.accounts.services import create_api_token  # noqa: PLC0415 - needs settings

    return create_api_token(user=user, name="bench").key


# --- PostgreSQL: a fresh database of our own ---------------------------------------------------

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database(prefix: str, keep: bool = False) -> Iterator[str]:
    """Create a uniquely named database on the loopback server, yield its URL, drop it."""
    name = f"{prefix}_{os.getpid()}_{int(time.time())}"
    _psql(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        if keep:
            print(f"[bench] kept PostgreSQL database {name}", file=sys.stderr)
        else:
            _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_backend_cpu(db_name: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving ``db_name`` (found by its process
    title, ``postgres: <user> <db> <client>``), read from /proc."""
    found: dict[int, float] = {}
    needle = f" {db_name} ".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "cmdline").read_bytes():
                continue
        except OSError:
            continue
        found[int(entry.name)] = bl.cpu_seconds([int(entry.name)])
    return found


def _psql(sql: str) -> None:
    import psycopg  # noqa: PLC0415 - only with --postgres

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


# --- HTTP client -----------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def set_cookies(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]


async def request(port: int, method: str, path: str, *, headers: Mapping[str, str] | None = None,
                  form: Mapping[str, str] | None = None, timeout: float = 30) -> Reply:
    """One HTTP/1.1 request to 127.0.0.1 (``Connection: close``; gunicorn's sync workers
    close anyway). Time runs from opening the connection to the last byte."""
    body = urlencode(form).encode() if form is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {bl.LOOPBACK}:{port}",
             "User-Agent: peerwork-bench", "Accept: text/html,*/*", "Accept-Language: en",
             "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if form is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    start = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(bl.LOOPBACK, port), timeout)
    try:
        writer.write(raw)
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    elapsed = time.perf_counter() - start
    head, _, payload = data.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    parts = head_lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ValueError("no HTTP status line")
    pairs = [tuple(x.strip() for x in line.split(":", 1)) for line in head_lines[1:] if ":" in line]
    if any(k.lower() == "transfer-encoding" for k, _ in pairs):
        payload = _dechunk(payload)
    return Reply(status=int(parts[1]), headers=pairs, body=payload, seconds=elapsed)  # type: ignore[arg-type]


def _dechunk(data: bytes) -> bytes:
    out, rest = [], data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2:]
    return b"".join(out)


class Browser:
    """Cookies and the CSRF token of one visitor, as a browser keeps them."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, reply: Reply) -> None:
        for raw in reply.set_cookies():
            jar: SimpleCookie = SimpleCookie()
            with suppress(Exception):
                jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def get(self, path: str) -> Reply:
        reply = await request(self.port, "GET", path, headers=self._headers(), timeout=self.timeout)
        self._keep(reply)
        return reply

    async def post(self, path: str, form: Mapping[str, str]) -> Reply:
        origin = f"http://{bl.LOOPBACK}:{self.port}"
        reply = await request(self.port, "POST", path, form=form, timeout=self.timeout,
                              headers=self._headers({"Origin": origin, "Referer": origin + path}))
        self._keep(reply)
        return reply


def csrf_token(html: bytes) -> str:
    marker = b'name="csrfmiddlewaretoken" value="'
    start = html.find(marker)
    if start < 0:
        raise ValueError("no CSRF token on the page")
    start += len(marker)
    return html[start:html.index(b'"', start)].decode()


def location_path(reply: Reply) -> str:
    target = reply.header("Location") or ""
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- closed-loop GET load with headers ---------------------------------------------------------

def run_get_load(port: int, path: str, *, concurrency: int, seconds: float,
                 headers: Mapping[str, str] | None = None, timeout: float = 120,
                 server_pids: Sequence[int] = (), max_requests: int = 10_000,
                 min_requests: int = 0) -> bl.LoadResult:
    """Like ``benchlib.run_load`` (closed loop, no think time, loopback only, same
    figures) but with request headers (a session cookie or an API key), and with
    ``min_requests``: keep going past ``seconds`` until that many answers came back,
    for pages so slow that a few seconds hold only a handful. Every request is capped
    by ``timeout`` and the whole run by ``seconds + timeout`` per required round."""
    result = bl.LoadResult(path=path, concurrency=concurrency, seconds=seconds)
    max_requests = min(max_requests, bl.HARD_REQUEST_CAP)
    cpu0, idle0 = bl.cpu_seconds(server_pids), bl.machine_ticks()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    rounds_needed = max(1, -(-min_requests // max(1, concurrency)))
    hard_limit = seconds + timeout * (rounds_needed + 1) + 10
    asyncio.run(asyncio.wait_for(
        _get_loop(port, path, dict(headers or {}), concurrency, start + seconds, timeout,
                  max_requests, min_requests, result), hard_limit))
    result.elapsed = time.perf_counter() - start
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    result.server_cpu_s = bl.cpu_seconds(server_pids) - cpu0
    result.client_cpu_s = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    idle1 = bl.machine_ticks()
    total = idle1[1] - idle0[1]
    result.machine_idle_pct = 100 * (idle1[0] - idle0[0]) / total if total else 0.0
    result.other_cpu_pct = bl.other_cpu_pct(idle0, idle1, result.server_cpu_s + result.client_cpu_s,
                                            result.elapsed)
    return result


async def _get_loop(port: int, path: str, headers: dict[str, str], concurrency: int, deadline: float,
                    timeout: float, max_requests: int, min_requests: int,
                    result: bl.LoadResult) -> None:
    sent = 0

    async def client() -> None:
        nonlocal sent
        while sent < max_requests and (time.perf_counter() < deadline or sent < min_requests):
            sent += 1
            try:
                reply = await request(port, "GET", path, headers=headers, timeout=timeout)
            except TimeoutError:
                _count(result, "timeout")
                continue
            except (OSError, ValueError) as exc:
                _count(result, type(exc).__name__)
                await asyncio.sleep(0.05)
                continue
            if reply.status != 200:
                _count(result, f"http_{reply.status}")
                continue
            result.ok += 1
            result.body_bytes = len(reply.body)
            result.latencies_ms.append(reply.seconds * 1000)

    await asyncio.gather(*(client() for _ in range(concurrency)))


def _count(result: bl.LoadResult, kind: str) -> None:
    result.errors[kind] = result.errors.get(kind, 0) + 1


# --- small things ----------------------------------------------------------------------------

@dataclass
class Timer:
    samples: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float | None]:
        ordered = sorted(self.samples)
        return {"n": len(ordered), "p50_ms": _r(bl.pct(ordered, 0.5)),
                "p95_ms": _r(bl.pct(ordered, 0.95)), "p99_ms": _r(bl.pct(ordered, 0.99)),
                "max_ms": _r(ordered[-1] if ordered else None)}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def machine_text() -> dict[str, str]:
    """What docs/benchmarks.md records about the machine: nproc, free -h, the CPU model."""
    info = bl.machine()
    for key, cmd in (("nproc", ["nproc"]), ("free_h", ["free", "-h"])):
        with suppress(OSError, subprocess.SubprocessError):
            info[key] = subprocess.run(cmd, capture_output=True, text=True, timeout=10,
                                       check=False).stdout.strip()
    return info
