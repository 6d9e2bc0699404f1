"""Anonymous survey submissions per second, over HTTP on loopback, next to the Django
framework ceiling in the same run.

    .venv/bin/python bench/survey_submit.py [--seconds N] [--concurrency 20 50] [--quick]
                                            [--postgres] [--json FILE]
    .venv/bin/python bench/survey_submit.py --loadgen     # for ../shared/bench/peer_survey/compare.sh

The survey is the issue's: 20 questions on one page (8 single choice, 6 integers, 4 short
texts, 2 long texts, all required), answered through the open anonymous link. One
submission = GET the form (privacy statement, consent box, the 20 questions, a CSRF
token and a random submission key), POST it with consent and a complete answer, and
read "Your answers have been saved" in the response (Peerwork shows the thank-you page
in the POST's response: 2 requests; the ceiling's post/redirect/get takes 3). The POST
is one transaction with one INSERT (the answers are one JSON object in the response
row). The open link's rate limit is on (django-ratelimit in the database cache) with a
limit no benchmark reaches, so its cost is counted.

What it does, in a temporary directory (and with ``--postgres`` a database of its own,
dropped at the end):
1. a fresh instance (``migrate``, ``demo``), DEBUG off; the survey is created, published
   and a wave opened through the services; 1,000 submitted respondents are seeded;
2. gunicorn with 2 sync workers; warm-up; then each concurrency for ``--seconds``;
3. checks in the database that every confirmed submission is one submitted response
   holding all 20 answers, and nothing else was stored (lost, half-saved, duplicates);
4. growth: the wave topped up to 10,000 respondents and measured again;
5. the reference: the shared framework-ceiling site (answer rows), copied and served the
   same way, driven by the same client (``assessment_submit.ceiling_run``).

``--loadgen`` is the product command for ``compare.sh``: it starts Peerwork the same way,
runs the shared ``loadgen.py`` (with the harness's own virtualenv, which has aiohttp)
for ``$BENCH_SECONDS`` with ``$BENCH_CONCURRENCY`` clients, stops the server by PID,
counts the rows with sqlite3 and prints the harness's JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import assessment_common as ac
import assessment_submit as asub
import benchlib as bl

HARNESS = Path("/work/shared/bench/peer_survey")
HARNESS_PYTHON = Path("/tmp/peer_survey_venv/bin/python")
SUCCESS = b"Your answers have been saved"
TARGET_SHARE_OF_CEILING = 0.90
KINDS = ["GET form", "POST answer"]
RATE = "1000000/m"


def log(message: str) -> None:
    print(f"[survey_submit] {message}", file=sys.stderr, flush=True)


def _t(en: str, nb: str) -> dict[str, str]:
    return {"en": en, "nb": nb}


def bench_definition() -> dict[str, Any]:
    """The issue's 20-question survey, one section, every question required."""
    five = [{"value": f"o{i}", "label": _t(f"Option {i}", f"Valg {i}")} for i in range(1, 6)]
    questions: list[dict[str, Any]] = []
    for i in range(1, 9):
        questions.append({"id": f"single_{i}", "type": "single", "required": True, "choices": five,
                          "label": _t(f"Single-choice question {i}", f"Enkeltvalg {i}")})
    for i in range(1, 7):
        questions.append({"id": f"number_{i}", "type": "number", "required": True, "min": 0,
                          "max": 100, "label": _t(f"Number question {i}", f"Tallspørsmål {i}")})
    for i in range(1, 5):
        questions.append({"id": f"short_{i}", "type": "text", "required": True,
                          "label": _t(f"Short text {i}", f"Kort tekst {i}")})
    for i in range(1, 3):
        questions.append({"id": f"long_{i}", "type": "longtext", "required": True,
                          "label": _t(f"Long text {i}", f"Lang tekst {i}")})
    return {"key": "bench-20", "version": 1, "title": _t("Benchmark survey", "Testundersøkelse"),
            "sections": [{"id": "all", "title": _t("Questions", "Spørsmål"), "questions": questions}]}


def answer_for(rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in bench_definition()["sections"][0]["questions"]:
        if q["type"] == "single":
            answers[q["id"]] = f"o{rng.randint(1, 5)}"
        elif q["type"] == "number":
            answers[q["id"]] = rng.randint(0, 100)
        else:
            lo, hi = (20, 50) if q["type"] == "text" else (300, 700)
            answers[q["id"]] = asub._text(rng, rng.randint(lo, hi))
    return answers


def open_wave(world: ac.Demo) -> Any:
    import datetime as dt  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415 - needs settings

    from peerwork.surveys import services  # noqa: PLC0415

    actor = world.analyst or world.manager
    survey = services.create_survey(actor=actor, organisation=world.organisation,
                                    definition=bench_definition())
    version = services.draft_of(survey)
    assert version is not None
    services.publish_version(actor=actor, version=version)
    return services.open_wave(actor=actor, version=version, title="Benchmark wave",
                              closes_on=timezone.localdate() + dt.timedelta(days=30),
                              purpose="Benchmark.", stored="Answers only.", retention="One day.",
                              contact="bench@localhost")


def seed(wave: Any, count: int, *, seed_value: int, batch: int = 2000) -> float:
    """``count`` submitted responses with complete answers, in bulk."""
    import uuid  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from peerwork.core.secrets import new_secret, secret_hash  # noqa: PLC0415
    from peerwork.surveys.models import Response  # noqa: PLC0415

    rng = random.Random(seed_value)
    t0 = time.perf_counter()
    today = timezone.localdate()
    with scopes_disabled():
        for start in range(0, count, batch):
            Response.objects.bulk_create([
                Response(id=uuid.uuid4(), wave=wave, organisation_id=wave.organisation_id,
                         key_hash=secret_hash(new_secret()), status="submitted", consented=True,
                         started_on=today, submitted_on=today, answers=answer_for(rng))
                for _ in range(min(batch, count - start))])
    return round(time.perf_counter() - t0, 1)


def wave_rows(wave: Any) -> tuple[int, int]:
    """(responses, submitted responses holding all 20 answers) in the wave."""
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from peerwork.surveys.models import Response  # noqa: PLC0415

    with scopes_disabled():
        rows = Response.objects.filter(wave=wave)
        total = rows.count()
        complete = sum(1 for answers in rows.filter(status="submitted").values_list("answers", flat=True)
                       .iterator(chunk_size=5000) if isinstance(answers, dict) and len(answers) == 20)
    return total, complete


_KEY = re.compile(rb'name="key" value="([^"]+)"')


async def submit_flow(port: int, path: str, rng: random.Random, stats: asub.Stats, timeout: float) -> None:
    """One anonymous respondent: GET the form, POST consent and a complete answer."""
    browser = ac.Browser(port, timeout)
    t0 = time.perf_counter()
    page = await browser.get(path)
    asub.expect(page, 200, "GET form")
    stats.record("GET form", page)
    key = _KEY.search(page.body)
    if key is None:
        raise asub.FlowError("GET form: no submission key")
    form = {"csrfmiddlewaretoken": ac.csrf_token(page.body), "key": key.group(1).decode(),
            "consent": "yes"}
    form.update({f"q-{k}": str(v) for k, v in answer_for(rng).items()})
    done = await browser.post(path, form)
    asub.expect(done, 200, "POST answer")
    if SUCCESS not in done.body:
        raise asub.FlowError("POST answer: no thank-you text")
    stats.record("POST answer", done)
    stats.completed += 1
    stats.flow_ms.samples.append((time.perf_counter() - t0) * 1000)


def peerwork_runs(args: argparse.Namespace, tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    db_name = env["DATABASE_URL"].rsplit("/", 1)[1] if env.get("DATABASE_URL") else ""
    log("migrate, demo")
    bl.manage(env, "migrate", "--noinput", "-v", "0")
    bl.manage(env, "demo")
    ac.setup_django(env)
    world = ac.demo_world()
    wave = open_wave(world)
    log(f"wave {wave.pk}: seeding {args.respondents} respondents")
    log(f"seeded in {seed(wave, args.respondents, seed_value=1)} s")
    ac.close_db()
    path = f"/s/{wave.link_token}/"
    out: dict[str, Any] = {"wave": wave.pk, "questions": 20, "requests_per_answer": 2, "runs": []}
    server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
    try:
        server.start(ready_path="/healthz")

        def flow(rng: random.Random, stats: asub.Stats) -> Any:
            return submit_flow(server.port, path, rng, stats, args.timeout)

        asub.run_flows(flow, concurrency=args.workers * 2, seconds=0.5, timeout=args.timeout,
                       server_pids=server.all_pids(), seed=99, max_flows=args.workers * 10)
        sizes = [args.respondents] + ([args.respondents * args.scale] if args.scale > 1 else [])
        for size in sizes:
            total, _complete = wave_rows(wave)
            if size > total:
                log(f"topping the wave up to {size} respondents")
                seed(wave, size - total, seed_value=size)
            ac.close_db()
            for concurrency in args.concurrency:
                before_total, before_complete = wave_rows(wave)
                ac.close_db()
                busy = bl.quiet_check(1.0)
                log(f"{concurrency} respondents for {args.seconds:g} s on a wave with {before_total} "
                    f"responses (machine {busy:.0f} % busy before)")
                run = asub.run_flows(flow, concurrency=concurrency, seconds=args.seconds,
                                     timeout=args.timeout, server_pids=server.all_pids(), seed=size,
                                     requests_per_flow=2, db_name=db_name)
                run.pop("stats")
                after_total, after_complete = wave_rows(wave)
                ac.close_db()
                run.update(seeded=before_total, concurrency=concurrency,
                           check={"confirmed": run["completed"],
                                  "new_rows": after_total - before_total,
                                  "new_complete": after_complete - before_complete,
                                  "ok": after_total - before_total == run["completed"]
                                  == after_complete - before_complete})
                log(f"{run['completed']} submissions in {run['elapsed_s']} s = {run['per_s']}/s, "
                    f"steady {run['steady_per_s']}/s, POST p99 "
                    f"{run['by_kind'].get('POST answer', {}).get('p99_ms')} ms, errors {run['errors']}, "
                    f"DB check {run['check']}")
                out["runs"].append(run)
        out["memory"] = server.memory()
    finally:
        server.stop()
        ac.close_db()
    if server.log_tail().strip():
        log("gunicorn log (tail):\n" + server.log_tail(1500))
    return out


def loadgen_mode(args: argparse.Namespace) -> None:
    """The product command for the shared harness's compare.sh (one JSON line on stdout)."""
    if not HARNESS_PYTHON.exists():
        raise SystemExit(f"{HARNESS_PYTHON} is missing: run {HARNESS}/setup.sh first (it has aiohttp)")
    seconds = os.environ.get("BENCH_SECONDS", str(int(args.seconds)))
    concurrency = os.environ.get("BENCH_CONCURRENCY", str(args.concurrency[0]))
    with bl.temp_dir("peerwork-bench-loadgen-", keep=args.keep) as tmp:
        env = bl.app_env(tmp / "data", PEERWORK_SURVEY_RATE=RATE)
        bl.manage(env, "migrate", "--noinput", "-v", "0")
        bl.manage(env, "demo")
        ac.setup_django(env)
        wave = open_wave(ac.demo_world())
        ac.close_db()
        server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
        try:
            server.start(ready_path="/healthz")
            cpu0 = bl.cpu_seconds(server.all_pids())
            done = subprocess.run(
                [str(HARNESS_PYTHON), str(HARNESS / "loadgen.py"), "--url",
                 f"{server.base}/s/{wave.link_token}/", "--seconds", seconds, "--concurrency",
                 concurrency, "--success-regex", SUCCESS.decode()],
                capture_output=True, text=True, timeout=float(seconds) + 300, check=False)
            server_cpu = bl.cpu_seconds(server.all_pids()) - cpu0
        finally:
            server.stop()
        if done.returncode != 0:
            raise SystemExit(f"loadgen failed:\n{done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        with sqlite3.connect(tmp / "data" / "peerwork.sqlite3") as conn:
            rows = conn.execute("SELECT answers FROM surveys_response WHERE wave_id = ? AND "
                                "status = 'submitted'", (wave.pk,)).fetchall()
        complete = sum(1 for (answers,) in rows if len(json.loads(answers)) == 20)
        confirmed = int(result.get("submissions", 0))
        import django  # noqa: PLC0415

        result.pop("peer", None)
        result.update(product="peerwork", version=f"django {django.get_version()}",
                      rows_in_db=len(rows), complete_in_db=complete,
                      rows_match=len(rows) == complete == confirmed,
                      lost=max(0, confirmed - complete), unconfirmed_rows=max(0, len(rows) - confirmed),
                      server="gunicorn sync", workers=args.workers, sqlite_synchronous="NORMAL",
                      transaction_per_submission=True, layout="json", server_cpu_s=round(server_cpu, 2),
                      server_cpu_ms_per_submission=(round(1000 * server_cpu / confirmed, 1)
                                                    if confirmed else None))
        print(json.dumps(result))


def print_report(report: dict[str, Any], args: argparse.Namespace) -> None:
    pw = report["peerwork"]
    ceiling = report.get("ceiling")
    db = "PostgreSQL" if args.postgres else "SQLite (WAL, synchronous=NORMAL)"
    print(f"\n## Anonymous survey submissions, gunicorn {args.workers} sync workers, {db}, "
          f"{args.seconds:g} s per run\n")
    rows = [{"what": f"Peerwork, {r['concurrency']} clients, wave with {r['seeded']:,}",
             "completed": r["completed"], "per_s": r["per_s"], "steady": r["steady_per_s"],
             "p50": r["by_kind"]["POST answer"]["p50_ms"], "p95": r["by_kind"]["POST answer"]["p95_ms"],
             "p99": r["by_kind"]["POST answer"]["p99_ms"], "form_p50": r["by_kind"]["GET form"]["p50_ms"],
             "cpu": r["cpu_ms_per_flow"], "db_cpu": r.get("db_cpu_ms_per_flow"),
             "errors": sum(r["errors"].values()), "ok": r["check"]["ok"], "other": r["other_cpu_pct"]}
            for r in pw["runs"]]
    if ceiling:
        rows.append({"what": f"Django ceiling (answer rows), {args.concurrency[0]} clients",
                     "completed": ceiling["completed"], "per_s": ceiling["per_s"],
                     "steady": ceiling["steady_per_s"],
                     "p50": ceiling["by_kind"]["POST answer"]["p50_ms"],
                     "p95": ceiling["by_kind"]["POST answer"]["p95_ms"],
                     "p99": ceiling["by_kind"]["POST answer"]["p99_ms"],
                     "form_p50": ceiling["by_kind"]["GET form"]["p50_ms"], "cpu": ceiling["cpu_ms_per_flow"],
                     "errors": sum(ceiling["errors"].values()), "ok": ceiling["rows_match"],
                     "other": ceiling["other_cpu_pct"]})
    print(bl.table(rows, [("what", "run"), ("completed", "submissions"), ("per_s", "per s"),
                          ("steady", "steady per s"), ("p50", "POST p50 ms"), ("p95", "POST p95 ms"),
                          ("p99", "POST p99 ms"), ("form_p50", "GET form p50 ms"),
                          ("cpu", "server CPU ms/submission"), ("db_cpu", "PostgreSQL CPU ms/submission"),
                          ("errors", "errors"), ("ok", "DB check"), ("other", "other CPU %")]))
    mem = pw.get("memory", {})
    if mem:
        print(f"\nPeak RSS per gunicorn worker (VmHWM): {mem['worker_hwm_kb'] / 1024:.0f} MiB")
    if ceiling:
        first = pw["runs"][0]
        share = first["steady_per_s"] / ceiling["steady_per_s"] if ceiling["steady_per_s"] else 0.0
        met = "yes" if share >= TARGET_SHARE_OF_CEILING else "NO"
        report["target"] = {"share_of_ceiling": round(share, 3), "met": met}
        print(f"\nTarget: >= {TARGET_SHARE_OF_CEILING:.0%} of the ceiling (steady rates, same clients): "
              f"{first['steady_per_s']} / {ceiling['steady_per_s']} = {share:.1%} -> {met}")
    print("\n'POST' latency is the submission latency (the thank-you page arrives in the POST's "
          "response). 'steady per s': requests answered before the deadline divided by the "
          "requests a submission takes (2 for Peerwork, 3 for the ceiling), per second.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--ceiling-seconds", type=float, default=20.0)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[20, 50])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--respondents", type=int, default=1000)
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--no-ceiling", action="store_true")
    ap.add_argument("--quick", action="store_true", help="5 s runs, 20 clients, no growth")
    ap.add_argument("--loadgen", action="store_true", help="product command for compare.sh")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if args.loadgen:
        loadgen_mode(args)
        return
    if args.quick:
        args.seconds, args.ceiling_seconds, args.scale, args.concurrency = 5, 5, 1, [20]
    report: dict[str, Any] = {"machine": ac.machine_text(),
                              "args": {k: str(v) for k, v in vars(args).items()}}
    report["machine"]["busy_before_pct"] = round(bl.quiet_check())
    with bl.temp_dir("peerwork-bench-survey-", keep=args.keep) as tmp:
        if args.postgres:
            with ac.postgres_database("peerwork_bench_survey", keep=args.keep) as url:
                env = bl.app_env(tmp / "data", DATABASE_URL=url, PEERWORK_SURVEY_RATE=RATE)
                report["peerwork"] = peerwork_runs(args, tmp, env)
        else:
            report["peerwork"] = peerwork_runs(args, tmp, bl.app_env(tmp / "data", PEERWORK_SURVEY_RATE=RATE))
        if not args.no_ceiling:
            ceiling_args = argparse.Namespace(**{**vars(args), "concurrency": args.concurrency[0]})
            report["ceiling"] = asub.ceiling_run(ceiling_args, tmp)
    print_report(report, args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    if any(not r["check"]["ok"] for r in report["peerwork"]["runs"]):
        raise SystemExit("the database check found lost, half-saved or extra submissions")


if __name__ == "__main__":
    main()
