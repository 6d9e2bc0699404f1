"""The national benchmark across many services: its page, its API and the query behind them.

    .venv/bin/python bench/assessment_benchmark.py [--seconds N] [--quick] [--json FILE]

What it does, all in a temporary directory that is removed at the end:

1. creates a fresh instance (``migrate``, ``demo``) on SQLite with DEBUG off and
   production mode off; in this process, bulk-creates through the ORM ``--services``
   (default 2,000) services that share with the benchmark. Each has a closed shared
   round with a stored score per area (``RoundSummary``, what ``close_round`` keeps),
   a quarter of them also an older closed round (only the latest counts), and
   another 20 % of services have closed rounds they do not share. Areas a round
   could not show (small cells) are left out, as ``summarise_round`` does;
2. gives the demo national analyst an authenticator app (allauth's own activation;
   the role requires two-factor authentication), logs in with
   ``django.test.Client.force_login`` and reuses the session cookie, and makes an API
   key for the same user;
3. starts ``gunicorn peerwork.wsgi`` with 2 sync workers on a free loopback port and
   measures, closed loop, ``GET /benchmark/`` (the analysts' page) at 1 and 10 clients
   and ``GET /api/v1/benchmark/assessments`` at 1 client, for ``--seconds`` each;
4. in this process: ``national_benchmark()`` on its own (median), and its SQL;
5. growth: tops the data up to ``--scale`` (10) times as many services and measures
   again, with a few requests per row (3 at 1 client, 10 at 10) instead of ``--seconds``.

The issue's target: the national benchmark across 2,000 services in under 1 s. Every
results page of every round also computes it (``views.round_results`` calls
``national_benchmark()``), so its cost is added to that page as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import assessment_common as ac
import benchlib as bl

TARGET_S = 1.0  # the national benchmark across 2,000 services
SHARE_OLDER_ROUND = 0.25  # of sharing services: also an older closed round
NOT_SHARING = 0.20  # extra services, in proportion: closed rounds not shared
SUPPRESSED_AREA = 0.05  # areas a round could not show (small cells), left out
COLUMNS = [("what", "request"), ("services", "services"), ("concurrency", "clients"),
           ("requests", "n"), ("rps", "req/s"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"),
           ("p99_ms", "p99 ms"), ("max_ms", "max ms"), ("errors", "errors"), ("kb", "KB"),
           ("cpu_ms", "CPU ms/req"), ("other_cpu_pct", "other %"), ("target", "target"),
           ("met", "met")]


def log(message: str) -> None:
    print(f"[assessment_benchmark] {message}", file=sys.stderr, flush=True)


def seed_services(count: int, *, start: int, seed: int, batch: int = 500) -> dict[str, Any]:
    """``count`` sharing services (numbered from ``start``) and their closed rounds with
    per-area scores, plus about ``NOT_SHARING`` as many services that do not share."""
    from django.db import transaction  # noqa: PLC0415 - needs settings
    from django.utils import timezone  # noqa: PLC0415

    from peerwork.assessments.models import Round, RoundSummary  # noqa: PLC0415
    from peerwork.assessments.questionnaires import CURRENT, get_questionnaire  # noqa: PLC0415
    from peerwork.framework.library import get_library  # noqa: PLC0415
    from peerwork.orgs.models import Organisation  # noqa: PLC0415

    rng = random.Random(seed)
    questionnaire = get_questionnaire(*CURRENT)
    areas = list(questionnaire.element_items(get_library(), "first_year"))
    area_base = {a: rng.uniform(2.4, 4.3) for a in areas}
    now = timezone.now()
    total = count + int(count * NOT_SHARING)
    made = {"services": 0, "sharing": 0, "rounds": 0, "summaries": 0}
    t0 = time.perf_counter()
    for first in range(start, start + total, batch):
        numbers = range(first, min(first + batch, start + total))
        with transaction.atomic():
            organisations = Organisation.objects.bulk_create([
                Organisation(slug=f"bench-service-{i:06d}", name=f"Benchmark service {i}",
                             type=rng.choice(["municipal", "specialist", "ngo"]), country="NO",
                             region=rng.choice(["Vestland", "Viken", "Nordland", "Agder"]),
                             size_band=rng.choice(["1-9", "10-49", "50-249", "250+"]))
                for i in numbers])
            rounds: list[Round] = []
            for organisation, number in zip(organisations, numbers, strict=True):
                shares = number < start + count
                made["sharing"] += shares
                closings = [now - dt.timedelta(days=rng.randint(5, 300))]
                if rng.random() < SHARE_OLDER_ROUND:
                    closings.append(closings[0] - dt.timedelta(days=rng.randint(200, 500)))
                for closed in closings:
                    rounds.append(Round(
                        organisation=organisation, title=f"Readiness {closed:%Y}",
                        stage=rng.choice(["preparing", "first_year", "established"]),
                        role_form=rng.choice(["role_form.peer_support_worker",
                                              "role_form.care_provider"]),
                        anonymous=True, closes_on=closed.date(), share_for_benchmark=shares,
                        questionnaire=CURRENT[0], questionnaire_version=CURRENT[1],
                        status="closed", closed=closed))
            Round.objects.bulk_create(rounds)
            summaries = []
            for round_ in rounds:
                lean = rng.gauss(0, 0.35)
                for area in areas:
                    if rng.random() < SUPPRESSED_AREA:
                        continue
                    summaries.append(RoundSummary(
                        round_id=round_.pk, organisation_id=round_.organisation_id, element=area,
                        mean=min(5.0, max(1.0, area_base[area] + lean + rng.gauss(0, 0.4))),
                        n=rng.randint(5, 60)))
            RoundSummary.objects.bulk_create(summaries, batch_size=2000)
        made["services"] += len(organisations)
        made["rounds"] += len(rounds)
        made["summaries"] += len(summaries)
    made["seconds"] = round(time.perf_counter() - t0, 1)
    return made


def demo_results_page(world: ac.Demo) -> tuple[str, Any]:
    """The results page of the open round ``demo`` made (a dozen respondents): its own
    cost is small, so what grows with the services is the national benchmark it shows."""
    from django.test import Client  # noqa: PLC0415 - needs settings
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from peerwork.assessments.models import Round  # noqa: PLC0415

    with scopes_disabled():
        round_ = Round.objects.filter(organisation=world.organisation).order_by("-created").first()
    if round_ is None:
        raise SystemExit("the demo has no assessment round")
    client = Client()
    client.force_login(world.manager)
    return f"/o/{world.slug}/assessments/{round_.pk}/results/", client


def results_page_ms(url: str, client: Any) -> float:
    if client.get(url).status_code != 200:
        raise SystemExit(f"GET {url} failed")
    samples = []
    for _ in range(3):
        t0 = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1)


def inprocess() -> dict[str, Any]:
    from django.db import connection  # noqa: PLC0415 - needs settings

    from peerwork.assessments.benchmark import national_benchmark  # noqa: PLC0415

    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    gc.collect()  # the seeding's garbage would otherwise be collected inside the timings
    with connection.execute_wrapper(count):
        result = national_benchmark()
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        national_benchmark()
        samples.append((time.perf_counter() - t0) * 1000)
    shown = [a for a in result.values() if not a.suppressed]
    return {"national_ms": round(statistics.median(samples), 1), "queries": len(statements),
            "areas": len(result), "areas_shown": len(shown),
            "services_per_area": max((a.services or 0) for a in shown) if shown else 0,
            "sql": [q[:300] for q in statements]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0, help="load per row")
    ap.add_argument("--quick", action="store_true", help="2 s per row, no growth: a smoke test")
    ap.add_argument("--services", type=int, default=2000, help="services that share")
    ap.add_argument("--scale", type=int, default=10, help="growth: this many times the services")
    ap.add_argument("--concurrency", default="1,10", help="comma-separated client counts (page)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait up to this long for other work on the machine to stop")
    args = ap.parse_args()
    if args.quick:
        args.seconds, args.scale = min(args.seconds, 2.0), 1
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    started = time.monotonic()
    report: dict[str, Any] = {"machine": ac.machine_text(), "runs": [], "inprocess": [],
                              "seeding": []}
    busy = bl.wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else bl.quiet_check()
    report["machine"]["busy_before_pct"] = round(busy)
    if busy > 10:
        log(f"the machine is {busy:.0f} % busy before the benchmark starts: other work on these "
            "cores will skew the figures (column 'other %')")
    with bl.temp_dir("peerwork-bench-benchmark-", keep=args.keep) as tmp:
        env = bl.app_env(tmp / "data")
        log("fresh instance: migrate, demo")
        bl.manage(env, "migrate", "--noinput", "-v", "0")
        bl.manage(env, "demo")
        ac.setup_django(env)
        world = ac.demo_world()
        if world.analyst is None:
            raise SystemExit("the demo has no national analyst")
        ac.activate_totp(world.analyst)
        cookie = {"Cookie": ac.session_cookie(world.analyst)}
        key = {"Authorization": f"Bearer {ac.api_key(world.analyst)}", "Accept": "application/json"}
        demo_url, demo_client = demo_results_page(world)
        report["demo_results_ms"] = {0: results_page_ms(demo_url, demo_client)}
        server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
        sizes = [args.services] + ([args.services * args.scale] if args.scale > 1 else [])
        present = numbered = 0
        try:
            for size in sizes:
                seeded = seed_services(size - present, start=numbered, seed=size)
                present, numbered = size, numbered + seeded["services"]
                report["seeding"].append(seeded)
                log(f"seeded {seeded['services']} services ({seeded['sharing']} sharing), "
                    f"{seeded['rounds']} rounds, {seeded['summaries']} area scores in "
                    f"{seeded['seconds']} s")
                figures = inprocess()
                figures["services"] = size
                figures["demo_results_ms"] = results_page_ms(demo_url, demo_client)
                report["inprocess"].append(figures)
                log(f"national_benchmark() with {size} sharing services: {figures['national_ms']} ms, "
                    f"{figures['queries']} queries, {figures['areas_shown']} areas shown")
                ac.close_db()
                if server.proc is None:
                    t0 = time.monotonic()
                    server.start(ready_path="/healthz")
                    log(f"gunicorn ready on {server.base} in {time.monotonic() - t0:.1f} s")
                plan = [("page /benchmark/", "/benchmark/", cookie, c) for c in concurrencies]
                plan.append(("API /api/v1/benchmark/assessments", "/api/v1/benchmark/assessments",
                             key, 1))
                grown = size != sizes[0]
                for what, path, headers, clients in plan:
                    if not grown and clients == 1:  # warm-up: every worker, every path
                        ac.run_get_load(server.port, path, concurrency=args.workers * 2, seconds=0,
                                        headers=headers, min_requests=args.workers * 2,
                                        max_requests=args.workers * 2, timeout=120)
                    # the grown data: a few requests each (about 2 s apiece), not --seconds
                    result = ac.run_get_load(server.port, path, concurrency=clients,
                                             seconds=0 if grown else args.seconds, headers=headers,
                                             timeout=300, server_pids=server.all_pids(),
                                             min_requests=max(3, clients) if grown else 3 * clients)
                    row = result.summary()
                    row.update(what=what, services=size, kb=round(row["bytes"] / 1024, 1))
                    if size == args.services and row["concurrency"] == 1:
                        row["target"] = f"< {TARGET_S * 1000:.0f} ms"
                        row["met"] = "yes" if row["p95_ms"] is not None and \
                            row["p95_ms"] < TARGET_S * 1000 and not row["errors"] else "NO"
                    log(f"{what} {size} c={clients}: n={row['requests']} p50 {row['p50_ms']} "
                        f"p95 {row['p95_ms']} ms, CPU {row['cpu_ms']} ms/req, errors {row['errors']}, "
                        f"other {row['other_cpu_pct']} %")
                    report["runs"].append(row)
            report["memory"] = server.memory()
        finally:
            server.stop()
            ac.close_db()
        if server.log_tail().strip():
            log("gunicorn log (tail):\n" + server.log_tail(1500))
    print(f"\n## National benchmark, gunicorn {args.workers} sync workers, SQLite, closed loop, "
          f"{args.seconds:g} s per row\n")
    print(bl.table(report["runs"], COLUMNS))
    print("\nIn one process, `national_benchmark()` alone (median of 5):\n")
    print(bl.table(report["inprocess"], [
        ("services", "sharing services"), ("national_ms", "ms"), ("queries", "SQL queries"),
        ("areas", "areas"), ("areas_shown", "areas shown"),
        ("demo_results_ms", "results page of the demo round, ms")]))
    print(f"\nThe demo round's results page (a dozen respondents) with no sharing services: "
          f"{report['demo_results_ms'][0]} ms in one process. It calls national_benchmark() too.")
    seeded = report["seeding"]
    print(f"\nData: {sum(s['services'] for s in seeded)} services, {sum(s['rounds'] for s in seeded)} "
          f"closed rounds, {sum(s['summaries'] for s in seeded)} stored area scores in all.")
    if report.get("memory"):
        print(f"Peak RSS per gunicorn worker (VmHWM): {report['memory']['worker_hwm_kb'] / 1024:.0f} MiB")
    print("'CPU ms/req': gunicorn's CPU time over the row / requests. 'other %': CPU share used by "
          "processes other than this benchmark during the row.")
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"\n(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
