"""Answer-submission throughput of an assessment round, over HTTP on loopback.

    .venv/bin/python bench/assessment_submit.py [--seconds N] [--quick] [--postgres] [--json FILE]

What it does, all in a temporary directory (and, with ``--postgres``, a database of
its own on 127.0.0.1:5432) that is removed at the end:

1. creates a fresh instance (``migrate``, ``demo``) with DEBUG off and production mode
   off, on SQLite (``PEERWORK_DATA_DIR``) or PostgreSQL (``DATABASE_URL``); then, in
   this process, opens a round with ``services.create_round`` as the demo manager
   and bulk-creates 1,000 submitted respondents on it (a round "with 1,000
   respondents");
2. starts ``gunicorn peerwork.wsgi`` with 2 sync workers on a free loopback port and
   warms every worker up with a few complete answers;
3. runs ``--concurrency`` (default 20) respondents in a closed loop for ``--seconds``.
   With ``--flow one-page`` (the default) each does what a person on the one-page form
   does: GET ``/a/<token>/all/`` (all 90 questions), POST every answer (a point on the
   scale, now and then "don't know" or a comment; saved and submitted in one
   transaction) and read the thanks in the POST's response: 2 requests, as a
   Peerwork survey submission (the ceiling's post/redirect/get takes 3). With ``--flow parts`` each does what
   a person without JavaScript does part by part: GET the share link, POST "Start"
   (302 to the private link), GET part 1, then for each of the 12 parts POST a value
   for every question and GET the page the 302 leads to, and finally POST "Submit":
   28 requests. No new respondent starts after ``--seconds``; those under way finish;
4. checks in the database that every respondent who got the "thank you" page has a
   submitted response holding exactly the answers that were sent, and that nothing
   else was stored (no lost, half-saved or duplicate answers);
5. growth: tops the round up to 10,000 respondents and measures again;
6. the reference: the shared framework-ceiling site
   (``/work/shared/bench/peer_survey/ceiling/ceiling_site``: 20 questions on one page,
   one transaction per submission), copied to the temporary directory and served
   the same way, driven by the same client with the same concurrency: GET the form,
   POST a complete answer, GET the page the 302 leads to. The issue's target is a
   complete answer at no less than 90 % of the ceiling's submissions per second.

Latency is measured from opening the TCP connection to the last byte; gunicorn's sync
workers close the connection after each response. The load client is one asyncio
thread in this process; its CPU time is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import re
import resource
import secrets
import shutil
import stat
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import assessment_common as ac
import benchlib as bl

CEILING_SITE = Path("/work/shared/bench/peer_survey/ceiling/ceiling_site")
TARGET_SHARE_OF_CEILING = 0.90
MAX_FLOWS = 20_000  # no run completes more respondents than this, whatever the clock says
KINDS = ["GET one-page form", "POST one-page form",
         "GET start page", "POST start", "GET part", "POST part", "POST submit"]
FORM_KEY = re.compile(rb'name="form_key" value="([^"]+)"')
CEILING_KINDS = ["GET form", "POST answer", "GET saved page"]
WORDS = ["peer", "support", "work", "team", "service", "user", "recovery", "plan", "role", "contract",
         "pay", "supervision", "colleague", "meeting", "training", "experience", "week", "day",
         "help", "trust", "listen", "share"]


def log(message: str) -> None:
    print(f"[assessment_submit] {message}", file=sys.stderr, flush=True)


@dataclass
class Stats:
    """What one load run collected."""

    completed: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, ac.Timer] = field(default_factory=dict)
    flow_ms: ac.Timer = field(default_factory=ac.Timer)
    sent: dict[str, dict[str, tuple[int | None, str]]] = field(default_factory=dict)  # code -> answers
    started_codes: set[str] = field(default_factory=set)
    requests: int = 0
    deadline: float = float("inf")
    in_window: int = 0  # requests answered before the deadline (all clients busy)

    def record(self, kind: str, reply: ac.Reply) -> None:
        self.by_kind.setdefault(kind, ac.Timer()).samples.append(reply.seconds * 1000)
        self.requests += 1
        if time.perf_counter() <= self.deadline:
            self.in_window += 1

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.failed += 1


class FlowError(Exception):
    pass


def expect(reply: ac.Reply, status: int, what: str) -> None:
    if reply.status != status:
        raise FlowError(f"{what}: HTTP {reply.status}")


async def respondent_flow(port: int, token: str, sections: list[list[str]], rng: random.Random,
                          stats: Stats, timeout: float) -> None:
    """One person answers the whole questionnaire through the no-JavaScript form."""
    browser = ac.Browser(port, timeout)
    t0 = time.perf_counter()
    page = await browser.get(f"/a/{token}/")
    expect(page, 200, "GET start page")
    stats.record("GET start page", page)
    csrf = ac.csrf_token(page.body)
    started = await browser.post(f"/a/{token}/", {"csrfmiddlewaretoken": csrf})
    expect(started, 302, "POST start")
    stats.record("POST start", started)
    target = ac.location_path(started)
    code = target.strip("/").split("/")[-1]
    stats.started_codes.add(code)
    answers: dict[str, tuple[int | None, str]] = {}
    for index, items in enumerate(sections):
        page = await browser.get(target)
        expect(page, 200, "GET part")
        stats.record("GET part", page)
        form = {"csrfmiddlewaretoken": ac.csrf_token(page.body),
                "go": "next" if index + 1 < len(sections) else "submit"}
        form.update(answer_fields(items, rng, answers))
        saved = await browser.post(f"/answer/{code}/?section={index}", form)
        expect(saved, 302, "POST part")
        stats.record("POST part", saved)
        target = ac.location_path(saved)
    if target != f"/answer/{code}/submit/":
        raise FlowError(f"after the last part: redirected to {target}")
    review = await browser.get(target)
    expect(review, 200, "GET review")
    stats.record("GET part", review)
    done = await browser.post(target, {"csrfmiddlewaretoken": ac.csrf_token(review.body)})
    expect(done, 200, "POST submit")
    if b"already submitted" in done.body or b"message-error" in done.body:
        raise FlowError("POST submit: refused")
    stats.record("POST submit", done)
    stats.sent[code] = answers
    stats.completed += 1
    stats.flow_ms.samples.append((time.perf_counter() - t0) * 1000)


def answer_fields(items: list[str], rng: random.Random,
                  answers: dict[str, tuple[int | None, str]]) -> dict[str, str]:
    """Form fields answering ``items`` as people do (a point on the scale, now and then
    "don't know" or a comment); what was sent is added to ``answers``."""
    form: dict[str, str] = {}
    for item in items:
        value: int | None = None if rng.random() < ac.DONT_KNOW_SHARE else rng.randint(1, 5)
        comment = rng.choice(ac.COMMENTS) if rng.random() < ac.COMMENT_SHARE else ""
        form[f"value-{item}"] = "dont_know" if value is None else str(value)
        if comment:
            form[f"comment-{item}"] = comment
        answers[item] = (value, comment)
    return form


def form_key(html: bytes) -> str:
    match = FORM_KEY.search(html)
    if match is None:
        raise FlowError("GET one-page form: no form key")
    return match.group(1).decode()


async def one_page_flow(port: int, token: str, items: list[str], rng: random.Random, stats: Stats,
                        timeout: float) -> None:
    """One person answers every question on the one-page form: GET it, POST it (saved
    and submitted in one transaction; the thanks come in the POST's response)."""
    browser = ac.Browser(port, timeout)
    t0 = time.perf_counter()
    page = await browser.get(f"/a/{token}/all/")
    expect(page, 200, "GET one-page form")
    stats.record("GET one-page form", page)
    key = form_key(page.body)
    answers: dict[str, tuple[int | None, str]] = {}
    form = {"csrfmiddlewaretoken": ac.csrf_token(page.body), "form_key": key}
    form.update(answer_fields(items, rng, answers))
    saved = await browser.post(f"/a/{token}/all/", form)
    stats.started_codes.add(key)
    expect(saved, 200, "POST one-page form")
    if b"Your answers are submitted." not in saved.body:
        raise FlowError("POST one-page form: no thanks")
    stats.record("POST one-page form", saved)
    stats.sent[key] = answers
    stats.completed += 1
    stats.flow_ms.samples.append((time.perf_counter() - t0) * 1000)


async def ceiling_flow(port: int, rng: random.Random, stats: Stats, timeout: float,
                       questions: list[dict[str, Any]]) -> None:
    """One anonymous survey submission on the ceiling site: GET, POST, GET the 302 target."""
    browser = ac.Browser(port, timeout)
    t0 = time.perf_counter()
    page = await browser.get("/survey/")
    expect(page, 200, "GET form")
    stats.record("GET form", page)
    form = {"csrfmiddlewaretoken": ac.csrf_token(page.body)}
    for q in questions:
        if q["kind"] == "radio":
            form[q["name"]] = rng.choice(q["choices"])[0]
        elif q["kind"] == "integer":
            form[q["name"]] = str(rng.randint(q["min"], min(q["max"], 40)))
        else:
            lo, hi = (20, 50) if q["kind"] == "short" else (300, 700)
            form[q["name"]] = _text(rng, rng.randint(lo, hi))
    saved = await browser.post("/survey/", form)
    expect(saved, 302, "POST answer")
    stats.record("POST answer", saved)
    thanks = await browser.get(ac.location_path(saved))
    expect(thanks, 200, "GET saved page")
    if b"Your answers have been saved" not in thanks.body:
        raise FlowError("saved page without its text")
    stats.record("GET saved page", thanks)
    stats.completed += 1
    stats.flow_ms.samples.append((time.perf_counter() - t0) * 1000)


def _text(rng: random.Random, length: int) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:length].strip().capitalize() + "."


def run_flows(flow: Any, *, concurrency: int, seconds: float, timeout: float, server_pids: list[int],
              seed: int, requests_per_flow: int = 0, max_flows: int = MAX_FLOWS,
              db_name: str = "") -> dict[str, Any]:
    """Closed loop: ``concurrency`` clients each repeat ``flow`` (one whole respondent)
    with no think time; no flow starts after ``seconds``; the ones under way finish.
    Bounded by ``max_flows`` and by a hard limit on the whole run.

    ``per_s`` is complete flows over the whole run, drain included; ``steady_per_s`` is
    the requests answered before the deadline (while every client was busy) divided by
    the requests a flow makes, per second: the rate a longer run tends to. With
    ``db_name``, the CPU of the PostgreSQL backends serving that database is counted too."""
    stats = Stats()
    db0 = ac.pg_backend_cpu(db_name) if db_name else {}
    cpu0, ticks0 = bl.cpu_seconds(server_pids), bl.machine_ticks()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    deadline = start + seconds
    stats.deadline = deadline
    begun = 0

    async def client(index: int) -> None:
        nonlocal begun
        rng = random.Random(seed * 1000 + index)
        while time.perf_counter() < deadline and begun < max_flows:
            begun += 1
            try:
                await flow(rng, stats)
            except FlowError as exc:
                stats.error(str(exc))
            except TimeoutError:
                stats.error("timeout")
            except (OSError, ValueError) as exc:
                stats.error(type(exc).__name__)
                await asyncio.sleep(0.05)

    async def everyone() -> None:
        await asyncio.gather(*(client(i) for i in range(concurrency)))

    asyncio.run(asyncio.wait_for(everyone(), seconds + 40 * timeout))
    elapsed = time.perf_counter() - start
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu = bl.cpu_seconds(server_pids) - cpu0
    db_cpu = sum(cpu - db0.get(pid, 0.0) for pid, cpu in ac.pg_backend_cpu(db_name).items()) \
        if db_name else 0.0
    client_cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    other = bl.other_cpu_pct(ticks0, bl.machine_ticks(), server_cpu + client_cpu + db_cpu, elapsed)
    every = ac.Timer([s for t in stats.by_kind.values() for s in t.samples])
    return {
        "stats": stats, "elapsed_s": round(elapsed, 2), "completed": stats.completed,
        "failed": stats.failed, "errors": stats.errors, "requests": stats.requests,
        "per_s": round(stats.completed / elapsed, 2) if elapsed else 0.0,
        # while every client was busy: requests answered before the deadline, in whole answers
        "steady_per_s": round(stats.in_window / requests_per_flow / seconds, 2)
        if requests_per_flow and seconds else None,
        "requests_per_s": round(stats.requests / elapsed, 1) if elapsed else 0.0,
        "server_cpu_s": round(server_cpu, 2), "client_cpu_s": round(client_cpu, 2),
        "cpu_ms_per_flow": round(1000 * server_cpu / stats.completed, 1) if stats.completed else None,
        "db_cpu_ms_per_flow": round(1000 * db_cpu / stats.completed, 1)
        if stats.completed and db_name else None,
        "cpu_ms_per_request": round(1000 * server_cpu / stats.requests, 2) if stats.requests else None,
        "client_cpu_ms_per_request": round(1000 * client_cpu / stats.requests, 2) if stats.requests else None,
        "other_cpu_pct": round(other), "all_requests": every.summary(),
        "flow": stats.flow_ms.summary(),
        "by_kind": {k: t.summary() for k, t in stats.by_kind.items()},
    }


# --- verification in the database -------------------------------------------------------------

def verify(round_: Any, stats: Stats, seeded: int) -> dict[str, Any]:
    """Every respondent who saw "thank you" has a submitted response holding exactly the
    answers sent; nothing else was stored for the round."""
    from django_scopes import scopes_disabled  # noqa: PLC0415 - needs settings

    from peerwork.assessments.models import Answer, Response  # noqa: PLC0415
    from peerwork.core.secrets import secret_hash  # noqa: PLC0415

    ac.close_db()  # a fresh connection: see what the workers committed
    by_hash = {secret_hash(code): code for code in stats.started_codes}
    with scopes_disabled():
        responses = {r.resume_hash: r for r in Response.objects.filter(round=round_,
                                                                       resume_hash__in=list(by_hash))}
        stored: dict[Any, dict[str, tuple[int | None, str]]] = {r.pk: {} for r in responses.values()}
        for response_id, item, value, comment in Answer.objects.filter(
                response__round=round_, response__resume_hash__in=list(by_hash)).values_list(
                "response_id", "item", "value", "comment"):
            stored[response_id][item] = (value, comment)
        total = Response.objects.filter(round=round_).count()
        submitted_total = Response.objects.filter(round=round_, submitted=True).count()
    problems: list[str] = []
    complete = 0
    for code, sent in stats.sent.items():
        response = responses.get(secret_hash(code))
        if response is None:
            problems.append(f"{code[:6]}…: no response stored")
            continue
        if not response.submitted:
            problems.append(f"{code[:6]}…: not submitted")
        got = stored[response.pk]
        if got != sent:
            missing = sorted(set(sent) - set(got))
            wrong = sorted(i for i in sent if i in got and got[i] != sent[i])
            problems.append(f"{code[:6]}…: {len(got)} of {len(sent)} answers stored, "
                            f"missing {missing[:3]}, different {wrong[:3]}")
        else:
            complete += 1
    unsubmitted = sum(1 for r in responses.values() if not r.submitted)
    unexpected = total - seeded - len(stats.started_codes)
    return {
        "thanked": len(stats.sent), "complete_in_db": complete, "problems": problems[:20],
        "problem_count": len(problems), "started": len(stats.started_codes),
        "started_not_submitted": unsubmitted, "round_responses": total,
        "round_submitted": submitted_total, "unexpected_responses": unexpected,
        "ok": not problems and unexpected == 0,
    }


def round_size(round_: Any) -> int:
    from django_scopes import scopes_disabled  # noqa: PLC0415 - needs settings

    from peerwork.assessments.models import Response  # noqa: PLC0415

    ac.close_db()
    with scopes_disabled():
        return Response.objects.filter(round=round_).count()


# --- the runs ---------------------------------------------------------------------------------

def peerwork_runs(args: argparse.Namespace, tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    db_name = env["DATABASE_URL"].rsplit("/", 1)[1] if env.get("DATABASE_URL") else ""
    log("migrate, demo")
    bl.manage(env, "migrate", "--noinput", "-v", "0")
    bl.manage(env, "demo")
    ac.setup_django(env)
    world = ac.demo_world()
    round_ = ac.open_round(world, "Submission benchmark")
    links = ac.share_links(round_)
    sections = ac.round_sections(round_)
    items = sum(len(s) for s in sections)
    log(f"round {round_.pk}: {len(sections)} parts, {items} questions; seeding "
        f"{args.respondents} respondents")
    seeded = ac.seed_responses(round_, args.respondents, seed=1)
    log(f"seeded {seeded['responses']} respondents, {seeded['answers']} answers in {seeded['seconds']} s")
    ac.close_db()
    tokens = [links[p] for p in ac.POSITION_WEIGHTS]
    weights = list(ac.POSITION_WEIGHTS.values())
    one_page = args.flow == "one-page"
    out: dict[str, Any] = {"round": round_.pk, "parts": len(sections), "questions": items,
                           "flow": args.flow,
                           "requests_per_answer": 2 if one_page else 3 + 2 * len(sections) + 1,
                           "runs": []}
    every_item = [i for part in sections for i in part]

    server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
    try:
        t0 = time.monotonic()
        server.start(ready_path="/healthz")
        log(f"gunicorn ready on {server.base} in {time.monotonic() - t0:.1f} s")

        def flow(rng: random.Random, stats: Stats) -> Any:
            token = rng.choices(tokens, weights)[0]
            if one_page:
                return one_page_flow(server.port, token, every_item, rng, stats, args.timeout)
            return respondent_flow(server.port, token, sections, rng, stats, args.timeout)

        before = round_size(round_)
        warm = run_flows(flow, concurrency=args.workers * 2, seconds=0.1, timeout=args.timeout,
                         server_pids=server.all_pids(), seed=99, max_flows=args.workers * 2)
        warm_check = verify(round_, warm["stats"], seeded=before)
        if warm["failed"] or not warm_check["ok"]:
            raise SystemExit(f"warm-up failed: {warm['errors']} {warm_check}\n{server.log_tail()}")
        sizes = [args.respondents] + ([args.respondents * args.scale] if args.scale > 1 else [])
        present = args.respondents
        for size in sizes:
            if size > present:
                log(f"topping the round up to {size} respondents")
                more = ac.seed_responses(round_, size - present, seed=size)
                ac.close_db()
                log(f"seeded {more['responses']} more in {more['seconds']} s")
                present = size
            before = round_size(round_)
            busy = bl.quiet_check(1.0)
            log(f"{args.concurrency} respondents for {args.seconds:g} s on a round with {before} "
                f"respondents (machine {busy:.0f} % busy before)")
            run = run_flows(flow, concurrency=args.concurrency, seconds=args.seconds,
                            timeout=args.timeout, server_pids=server.all_pids(), seed=size,
                            requests_per_flow=out["requests_per_answer"], db_name=db_name)
            stats: Stats = run.pop("stats")
            check = verify(round_, stats, seeded=before)
            run.update(seeded=size, round_before=before, check=check,
                       answers_per_s=round(run["per_s"] * items, 1))
            log(f"{run['completed']} complete answers in {run['elapsed_s']} s = {run['per_s']}/s, "
                f"{run['requests_per_s']} req/s, p95 {run['all_requests']['p95_ms']} ms, "
                f"errors {run['errors']}; DB check: {check['complete_in_db']} of {check['thanked']} "
                f"complete, {check['problem_count']} problems, "
                f"{check['unexpected_responses']} unexpected")
            out["runs"].append(run)
        out["memory"] = server.memory()
    finally:
        server.stop()
        ac.close_db()
    if server.log_tail().strip():
        log("gunicorn log (tail):\n" + server.log_tail(1500))
    log("in this process: CPU and SQL per request kind")
    out["inprocess"] = inprocess_costs(world, flows=(2 if args.quick else 3) * (10 if one_page else 1),
                                       profile=args.profile, one_page=one_page)
    ac.close_db()
    return out


def ceiling_run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    site = tmp / "ceiling_site"
    shutil.copytree(CEILING_SITE, site, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    for path in [site, *site.rglob("*")]:  # the shared copy is read-only
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    (site / "secret_key.txt").write_text(secrets.token_urlsafe(50), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(CEILING_SQLITE_SYNC="NORMAL", PYTHONDONTWRITEBYTECODE="1")
    log(f"ceiling site in {site}: migrate")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=site,
                   env=env, check=True, timeout=120)
    questions = json.loads(subprocess.run(
        [sys.executable, "-c", "import json; from ceiling.questions import QUESTIONS; "
                               "print(json.dumps(QUESTIONS))"],
        cwd=site, env=env, capture_output=True, text=True, check=True, timeout=60).stdout)
    server = bl.Gunicorn("ceiling_site.wsgi:application", env, tmp / "ceiling.log",
                         workers=args.workers, chdir=site)
    try:
        server.start(ready_path="/survey/")

        def flow(rng: random.Random, stats: Stats) -> Any:
            return ceiling_flow(server.port, rng, stats, args.timeout, questions)

        run_flows(flow, concurrency=args.workers * 2, seconds=0.1, timeout=args.timeout,
                  server_pids=server.all_pids(), seed=98, max_flows=args.workers * 4)
        before = _ceiling_rows(site)
        log(f"ceiling: {args.concurrency} respondents for {args.ceiling_seconds:g} s")
        run = run_flows(flow, concurrency=args.concurrency, seconds=args.ceiling_seconds,
                        timeout=args.timeout, server_pids=server.all_pids(), seed=7,
                        requests_per_flow=3)
        run.pop("stats")
        after = _ceiling_rows(site)
        run["rows_match"] = (after[0] - before[0] == run["completed"]
                             and after[1] - before[1] == 20 * run["completed"])
        run["memory"] = server.memory()
        log(f"ceiling: {run['completed']} submissions in {run['elapsed_s']} s = {run['per_s']}/s, "
            f"p95 {run['all_requests']['p95_ms']} ms, rows match {run['rows_match']}")
    finally:
        server.stop()
    return run


def _ceiling_rows(site: Path) -> tuple[int, int]:
    import sqlite3  # noqa: PLC0415 - only here

    with sqlite3.connect(site / "db.sqlite3", timeout=30) as conn:
        responses = conn.execute("SELECT COUNT(*) FROM ceiling_response").fetchone()[0]
        answers = conn.execute("SELECT COUNT(*) FROM ceiling_answer").fetchone()[0]
    return int(responses), int(answers)


# --- in this process: what each request costs --------------------------------------------------

ONE_PAGE_KINDS = ["GET one-page form", "POST one-page form"]
IN_PROCESS_KINDS = ["GET start page", "POST start", "GET part", "POST part", "GET review",
                    "POST submit"]


def inprocess_costs(world: ac.Demo, flows: int, profile: bool, one_page: bool) -> dict[str, Any]:
    """A few complete answers through Django's test client (CSRF enforced) on a round of
    their own: CPU time and SQL statements per request kind, and a cProfile on request."""
    from django.db import connection  # noqa: PLC0415 - needs settings
    from django.test import Client  # noqa: PLC0415

    round_ = ac.open_round(world, "Submission cost, in process")
    token = ac.share_links(round_)["colleague"]
    sections = ac.round_sections(round_)
    cpu: dict[str, list[float]] = {k: [] for k in ONE_PAGE_KINDS + IN_PROCESS_KINDS}
    sql: dict[str, list[int]] = {k: [] for k in ONE_PAGE_KINDS + IN_PROCESS_KINDS}
    writes: dict[str, list[int]] = {k: [] for k in ONE_PAGE_KINDS + IN_PROCESS_KINDS}
    rng = random.Random(5)
    prof = cProfile.Profile() if profile else None

    warm = {"up": False}  # the first flow imports and renders caches: neither timed nor profiled

    def timed(kind: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        seen: list[str] = []

        def count(execute: Any, statement: str, params: Any, many: bool, context: Any) -> Any:
            seen.append(statement)
            return execute(statement, params, many, context)

        with connection.execute_wrapper(count):
            t0 = time.process_time()
            if prof and warm["up"]:
                prof.enable()
            reply = call(*args, **kwargs)
            if prof and warm["up"]:
                prof.disable()
            cpu[kind].append((time.process_time() - t0) * 1000)
        sql[kind].append(len(seen))
        writes[kind].append(sum(1 for q in seen if q.lstrip().split(" ", 1)[0].upper()
                                in {"INSERT", "UPDATE", "DELETE"}))
        return reply

    kinds = ONE_PAGE_KINDS if one_page else IN_PROCESS_KINDS
    every_item = [i for part in sections for i in part]
    # One client, as gunicorn keeps one handler per worker; a new respondent each time
    # (no cookies). A new Client per answer would rebuild the middleware chain (WhiteNoise
    # scans the static files) and inflate the first request's figure.
    client = Client(enforce_csrf_checks=True)
    for flow in range(flows + 1):  # the first one warms up and is not counted
        warm["up"] = flow > 0
        client.cookies.clear()
        if one_page:
            page = timed("GET one-page form", client.get, f"/a/{token}/all/")
            form = {"csrfmiddlewaretoken": ac.csrf_token(page.content), "form_key": form_key(page.content)}
            form.update(answer_fields(every_item, rng, {}))
            # urlencoded, as a browser sends a form without files
            saved = timed("POST one-page form", client.post, f"/a/{token}/all/", urlencode(form),
                          content_type="application/x-www-form-urlencoded")
            if saved.status_code != 200 or b"Your answers are submitted." not in saved.content:
                raise SystemExit(f"in-process POST one-page form -> {saved.status_code}")
            continue
        page = timed("GET start page", client.get, f"/a/{token}/")
        started = timed("POST start", client.post, f"/a/{token}/",
                        {"csrfmiddlewaretoken": ac.csrf_token(page.content)})
        code = started["Location"].strip("/").split("/")[-1]
        target = started["Location"]
        for index, items in enumerate(sections):
            page = timed("GET part", client.get, target)
            form = {"csrfmiddlewaretoken": ac.csrf_token(page.content),
                    "go": "next" if index + 1 < len(sections) else "submit"}
            form.update({f"value-{i}": str(rng.randint(1, 5)) for i in items})
            saved = timed("POST part", client.post, f"/answer/{code}/?section={index}", form)
            if saved.status_code != 302:
                raise SystemExit(f"in-process POST part -> {saved.status_code}")
            target = saved["Location"]
        review = timed("GET review", client.get, target)
        done = timed("POST submit", client.post, target,
                     {"csrfmiddlewaretoken": ac.csrf_token(review.content)})
        if done.status_code != 200:
            raise SystemExit(f"in-process submit -> {done.status_code}")
    rows = []
    for kind in kinds:
        skip = len(cpu[kind]) // (flows + 1)  # the warm-up flow's requests
        values, counts, written = cpu[kind][skip:], sql[kind][skip:], writes[kind][skip:]
        per_flow = len(values) // flows
        rows.append({"kind": kind, "per_answer": per_flow,
                     "cpu_ms": round(statistics.median(values), 2),
                     "sql": round(statistics.mean(counts), 1),
                     "writes": round(statistics.mean(written), 1),
                     "cpu_ms_per_answer": round(statistics.median(values) * per_flow, 1)})
    out: dict[str, Any] = {"flows": flows, "rows": rows,
                           "cpu_ms_per_answer": round(sum(r["cpu_ms_per_answer"] for r in rows), 1),
                           "sql_per_answer": round(sum(r["sql"] * r["per_answer"] for r in rows))}
    if prof:
        text = io.StringIO()
        stats = pstats.Stats(prof, stream=text)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        out["profile"] = text.getvalue()
    return out


# --- output -----------------------------------------------------------------------------------

def print_report(report: dict[str, Any], args: argparse.Namespace) -> None:
    pw = report["peerwork"]
    ceiling = report.get("ceiling")
    db = "PostgreSQL 15" if args.postgres else "SQLite (WAL)"
    print(f"\n## Complete answers, {args.concurrency} respondents, gunicorn {args.workers} sync "
          f"workers, {db}, {args.seconds:g} s per run\n")
    how = ("on the one-page form" if pw["flow"] == "one-page"
           else f"part by part in {pw['parts']} parts")
    print(f"A complete answer: {pw['questions']} questions {how}, "
          f"{pw['requests_per_answer']} HTTP requests.\n")
    rows = []
    for run in pw["runs"]:
        rows.append({"what": f"Peerwork, round with {run['seeded']:,} respondents",
                     **_row(run)})
    if ceiling:
        rows.append({"what": "Django ceiling, /survey/ (20 questions, 3 requests)", **_row(ceiling)})
    print(bl.table(rows, [
        ("what", "run"), ("completed", "complete"), ("per_s", "complete/s"),
        ("steady_per_s", "steady complete/s"),
        ("answers_per_s", "answers/s"), ("requests_per_s", "req/s"), ("p50", "req p50 ms"),
        ("p95", "req p95 ms"), ("p99", "req p99 ms"), ("flow_p50", "whole answer p50 s"),
        ("cpu_flow", "server CPU ms/answer"), ("db_cpu", "PostgreSQL CPU ms/answer"),
        ("cpu_req", "CPU ms/req"), ("errors", "errors"),
        ("other_cpu_pct", "other %")]))
    first = pw["runs"][0]
    print("\nPer request kind (first run):\n")
    print(bl.table([{"kind": k, **first["by_kind"][k]} for k in KINDS if k in first["by_kind"]],
                   [("kind", "request"), ("n", "n"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"),
                    ("p99_ms", "p99 ms"), ("max_ms", "max ms")]))
    print("\n'GET part' includes the review page after the last part.")
    if ceiling:
        print("\nCeiling, per request kind:\n")
        print(bl.table([{"kind": k, **ceiling["by_kind"][k]} for k in CEILING_KINDS
                        if k in ceiling["by_kind"]],
                       [("kind", "request"), ("n", "n"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"),
                        ("p99_ms", "p99 ms"), ("max_ms", "max ms")]))
    inproc = pw.get("inprocess")
    if inproc:
        print(f"\nIn one process (Django test client, CSRF enforced; medians over "
              f"{inproc['flows']} complete answers):\n")
        print(bl.table(inproc["rows"], [
            ("kind", "request"), ("per_answer", "per answer"), ("cpu_ms", "CPU ms"),
            ("sql", "SQL statements"), ("writes", "of them writes"),
            ("cpu_ms_per_answer", "CPU ms per answer (median x n)")]))
        print(f"\nTotal per complete answer: {inproc['cpu_ms_per_answer']} ms of CPU, "
              f"{inproc['sql_per_answer']} SQL statements.")
        if inproc.get("profile"):
            print("\n" + inproc["profile"])
    print("\nDatabase check after each run:\n")
    print(bl.table([{"size": f"{r['seeded']:,}", **r["check"],
                     "problems": "; ".join(r["check"]["problems"][:3]) or "none"}
                    for r in pw["runs"]],
                   [("size", "round size"), ("started", "started"), ("thanked", "thanked"),
                    ("complete_in_db", "complete in DB"), ("started_not_submitted", "not submitted"),
                    ("unexpected_responses", "unexpected rows"), ("problems", "problems")]))
    mem = pw.get("memory", {})
    if mem:
        print(f"\nPeak RSS per gunicorn worker (VmHWM): {mem['worker_hwm_kb'] / 1024:.0f} MiB, "
              f"master {mem['master_hwm_kb'] / 1024:.0f} MiB")
    if ceiling:
        share = first["steady_per_s"] / ceiling["steady_per_s"] if ceiling["steady_per_s"] else 0
        met = "yes" if share >= TARGET_SHARE_OF_CEILING else "NO"
        report["target"] = {"share_of_ceiling": round(share, 3), "met": met}
        print(f"\nTarget: complete answers/s >= {TARGET_SHARE_OF_CEILING:.0%} of the ceiling's "
              f"submissions/s (steady rates): {first['steady_per_s']} / {ceiling['steady_per_s']} = "
              f"{share:.1%} -> {met}")
        print(f"Per answered question: {first['answers_per_s']} answers/s against the ceiling's "
              f"{round(ceiling['per_s'] * 20, 1)} (20 per submission) = "
              f"{first['answers_per_s'] / (ceiling['per_s'] * 20):.0%}")
        print(f"Server CPU per complete answer {first['cpu_ms_per_flow']} ms against "
              f"{ceiling['cpu_ms_per_flow']} ms per ceiling submission "
              f"({first['cpu_ms_per_flow'] / ceiling['cpu_ms_per_flow']:.0f}x)")
        print(f"Ceiling DB rows match the confirmed submissions: {ceiling['rows_match']}")
    print("\n'complete/s': respondents who reached \"thank you\" per second of the run, the drain at "
          "the end included. 'steady complete/s': requests answered before the deadline, while "
          "every client was busy, divided by the requests an answer takes, per second. 'server CPU': "
          "gunicorn master + workers (from /proc) over the run. 'other %': CPU share used by "
          "processes other than this benchmark during the run.")


def _row(run: dict[str, Any]) -> dict[str, Any]:
    return {"completed": run["completed"], "per_s": run["per_s"], "steady_per_s": run["steady_per_s"],
            "answers_per_s": run.get("answers_per_s", round(run["per_s"] * 20, 1)),
            "requests_per_s": run["requests_per_s"], "p50": run["all_requests"]["p50_ms"],
            "p95": run["all_requests"]["p95_ms"], "p99": run["all_requests"]["p99_ms"],
            "flow_p50": round(run["flow"]["p50_ms"] / 1000, 2) if run["flow"]["p50_ms"] else None,
            "cpu_flow": run["cpu_ms_per_flow"], "db_cpu": run.get("db_cpu_ms_per_flow"),
            "cpu_req": run["cpu_ms_per_request"],
            "errors": sum(run["errors"].values()), "other_cpu_pct": run["other_cpu_pct"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=15.0, help="load per run (Peerwork)")
    ap.add_argument("--ceiling-seconds", type=float, default=10.0, help="load on the ceiling site")
    ap.add_argument("--quick", action="store_true",
                    help="5 s per run, no 10x growth, 5 s on the ceiling: a smoke test")
    ap.add_argument("--concurrency", type=int, default=20, help="respondents at once")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    ap.add_argument("--respondents", type=int, default=1000,
                    help="submitted respondents already in the round")
    ap.add_argument("--scale", type=int, default=10, help="growth: the round this many times larger")
    ap.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    ap.add_argument("--flow", choices=["one-page", "parts"], default="one-page",
                    help="how respondents answer: the one-page form (3 requests) or part by part "
                         "without JavaScript (28 requests)")
    ap.add_argument("--postgres", action="store_true",
                    help="PostgreSQL on 127.0.0.1:5432 (a fresh database, dropped at the end)")
    ap.add_argument("--no-ceiling", action="store_true", help="skip the ceiling site")
    ap.add_argument("--profile", action="store_true",
                    help="also print a cProfile of the in-process answers")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (and database)")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait up to this long for other work on the machine to stop")
    args = ap.parse_args()
    if args.quick:
        args.seconds, args.ceiling_seconds, args.scale = min(args.seconds, 5), min(args.ceiling_seconds, 5), 1
    started = time.monotonic()
    report: dict[str, Any] = {"machine": ac.machine_text(), "args": {
        k: v for k, v in vars(args).items() if k != "json"}}
    busy = bl.wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else bl.quiet_check()
    report["machine"]["busy_before_pct"] = round(busy)
    if busy > 10:
        log(f"the machine is {busy:.0f} % busy before the benchmark starts: other work on these "
            "cores will skew the figures (column 'other %')")
    with bl.temp_dir("peerwork-bench-submit-", keep=args.keep) as tmp:
        if args.postgres:
            with ac.postgres_database("peerwork_bench_submit", keep=args.keep) as url:
                log(f"PostgreSQL database {url.rsplit('/', 1)[1]}")
                env = bl.app_env(tmp / "data", DATABASE_URL=url)
                report["peerwork"] = peerwork_runs(args, tmp, env)
        else:
            report["peerwork"] = peerwork_runs(args, tmp, bl.app_env(tmp / "data"))
        if not args.no_ceiling:
            report["ceiling"] = ceiling_run(args, tmp)
    print_report(report, args)
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"\n(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    bad = [r for r in report["peerwork"]["runs"] if r["check"]["problem_count"]
           or r["check"]["unexpected_responses"]]
    if bad:
        raise SystemExit("the database check found lost or half-saved answers (see above)")


if __name__ == "__main__":
    main()
