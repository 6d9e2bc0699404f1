"""Latency of an assessment round's results, and the time to make its PDF.

    .venv/bin/python bench/assessment_results.py [--seconds N] [--quick] [--json FILE]

What it does, all in a temporary directory that is removed at the end:

1. creates a fresh instance (``migrate``, ``demo``) on SQLite with DEBUG off and
   production mode off; in this process, opens two rounds with
   ``services.create_round`` as the demo manager and bulk-creates submitted
   respondents through the ORM: 1,000 on one and 10,000 (``--scale``) on the other.
   Each respondent has a position (8 % managers, 57 % colleagues, 35 % peer workers),
   a personal leaning and per-area differences; 6 % of answers are "don't know"
   (None), 3 % of questions are skipped, 2 % of answers carry a comment;
2. logs the demo manager in with ``django.test.Client.force_login`` and reuses the
   session cookie, and makes an API key for the same user;
3. starts ``gunicorn peerwork.wsgi`` with 2 sync workers on a free loopback port,
   warms both workers up, then measures, closed loop (no think time):
   ``GET /o/<slug>/assessments/<id>/results/`` and
   ``GET /api/v1/organisations/<slug>/assessments/<id>/results`` on the 1,000-respondent
   round at 1 and 10 clients for ``--seconds`` each, and the page on the
   10,000-respondent round at 1 client (at least 3 requests) and 10 clients (at
   least 10); prints p50/p95/p99, server CPU per request and the workers' peak RSS;
4. in this process, without HTTP: what each step of the page costs at both sizes
   (reading the answers, scoring, findings, the whole view through the test client)
   and how many SQL queries the view runs;
5. renders the round's PDF with the registered builder for the ``assessment_round``
   report kind (``peerwork.assessments.reports.build``, the code the background job
   runs) in a fresh child process, and counts its pages with ``pdfinfo``.

``--profile`` instead prints a cProfile of the results view on the 1,000-respondent
round (in-process, Django's test client).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import assessment_common as ac
import benchlib as bl

TARGET_PAGE_P95_MS = 200.0  # the results page of a 1,000-respondent round
TARGET_PDF_S = 10.0  # a 15-page round PDF
TARGET_PDF_PAGES = 15
COLUMNS = [("what", "request"), ("respondents", "respondents"), ("concurrency", "clients"),
           ("requests", "n"), ("rps", "req/s"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"),
           ("p99_ms", "p99 ms"), ("max_ms", "max ms"), ("errors", "errors"), ("kb", "KB"),
           ("cpu_ms", "CPU ms/req"), ("other_cpu_pct", "other %"), ("target", "p95 target"),
           ("met", "met")]


def log(message: str) -> None:
    print(f"[assessment_results] {message}", file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=8.0, help="load per row on the 1x round")
    ap.add_argument("--quick", action="store_true",
                    help="2 s per row, the 1,000-respondent round only: a smoke test")
    ap.add_argument("--respondents", type=int, default=1000)
    ap.add_argument("--scale", type=int, default=10, help="the larger round, this many times larger")
    ap.add_argument("--concurrency", default="1,10", help="comma-separated client counts")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    ap.add_argument("--api-10x", action="store_true", help="also load the API on the larger round")
    ap.add_argument("--pdf-10x", action="store_true", help="also render the larger round's PDF")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the results view")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait up to this long for other work on the machine to stop")
    ap.add_argument("--child-pdf", type=int, help=argparse.SUPPRESS)  # internal: one render
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_pdf:
        print(json.dumps(child_pdf(args.child_pdf, args.out)))
        return
    if args.quick:
        args.seconds, args.scale = min(args.seconds, 2.0), 1
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    started = time.monotonic()
    report: dict[str, Any] = {"machine": ac.machine_text(), "args": {
        k: str(v) for k, v in vars(args).items() if k not in {"json", "out", "child_pdf"}}}
    busy = bl.wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else bl.quiet_check()
    report["machine"]["busy_before_pct"] = round(busy)
    if busy > 10:
        log(f"the machine is {busy:.0f} % busy before the benchmark starts: other work on these "
            "cores will skew the figures (column 'other %')")
    with bl.temp_dir("peerwork-bench-results-", keep=args.keep) as tmp:
        env = bl.app_env(tmp / "data")
        log("fresh instance: migrate, demo")
        bl.manage(env, "migrate", "--noinput", "-v", "0")
        bl.manage(env, "demo")
        ac.setup_django(env)
        world = ac.demo_world()
        sizes = [args.respondents] + ([args.respondents * args.scale] if args.scale > 1 else [])
        rounds: dict[int, Any] = {}
        report["seeding"] = {}
        for size in sizes:
            rounds[size] = ac.open_round(world, f"Results benchmark, {size} respondents")
            seeded = ac.seed_responses(rounds[size], size, seed=size)
            report["seeding"][size] = seeded
            log(f"round {rounds[size].pk}: {seeded['responses']} respondents, {seeded['answers']} "
                f"answers seeded in {seeded['seconds']} s")
        if args.profile:
            profile(world, rounds[sizes[0]])
            ac.close_db()
            return
        cookie = ac.manager_session_cookie(world)
        api_key = ac.manager_api_key(world)
        ac.close_db()

        report["http"], report["memory"] = http_rows(args, tmp, env, world, rounds, sizes,
                                                     concurrencies, cookie, api_key)
        report["inprocess"] = inprocess(world, rounds, sizes)
        ac.close_db()
        report["pdf"] = []
        for size in sizes if args.pdf_10x else sizes[:1]:
            report["pdf"].append(pdf_case(env, tmp, rounds[size].pk, size))
    print_report(report, sizes)
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"\n(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


# --- over HTTP --------------------------------------------------------------------------------

def http_rows(args: argparse.Namespace, tmp: Path, env: dict[str, str], world: ac.Demo,
              rounds: dict[int, Any], sizes: list[int], concurrencies: list[int], cookie: str,
              api_key: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    page = {size: f"/o/{world.slug}/assessments/{rounds[size].pk}/results/" for size in sizes}
    api = {size: f"/api/v1/organisations/{world.slug}/assessments/{rounds[size].pk}/results"
           for size in sizes}
    as_manager = {"Cookie": cookie}
    with_key = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    small, big = sizes[0], sizes[-1]
    # (what, respondents, path, headers, clients, seconds, at least this many requests)
    plan: list[tuple[str, int, str, dict[str, str], int, float, int]] = []
    for c in concurrencies:
        plan.append(("results page", small, page[small], as_manager, c, args.seconds, 2 * c))
    for c in concurrencies:
        plan.append(("API results", small, api[small], with_key, c, args.seconds / 2, 2 * c))
    if big != small:
        for c in concurrencies:
            plan.append(("results page", big, page[big], as_manager, c, 0.0, max(3, c)))
        if args.api_10x:
            plan.append(("API results", big, api[big], with_key, 1, 0.0, 3))
    rows: list[dict[str, Any]] = []
    server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
    try:
        t0 = time.monotonic()
        server.start(ready_path="/healthz")
        log(f"gunicorn ready on {server.base} in {time.monotonic() - t0:.1f} s")
        for path, headers in ((page[small], as_manager), (api[small], with_key)):
            warm = ac.run_get_load(server.port, path, concurrency=args.workers * 2, seconds=0,
                                   headers=headers, min_requests=args.workers * 2,
                                   max_requests=args.workers * 2)
            if warm.ok < args.workers * 2:
                raise SystemExit(f"warm-up of {path} failed: {warm.errors}\n{server.log_tail()}")
        for what, size, path, headers, clients, seconds, at_least in plan:
            timeout = 60.0 if size == small else 600.0
            result = ac.run_get_load(server.port, path, concurrency=clients, seconds=seconds,
                                     headers=headers, timeout=timeout, server_pids=server.all_pids(),
                                     min_requests=at_least, max_requests=max(at_least, 10_000))
            row = result.summary()
            row.update(what=what, respondents=size, kb=round(row["bytes"] / 1024, 1))
            if what == "results page" and size == small:
                row["target"] = f"< {TARGET_PAGE_P95_MS:.0f}"
                row["met"] = "yes" if row["p95_ms"] is not None and row["p95_ms"] < TARGET_PAGE_P95_MS \
                    and not row["errors"] else "NO"
            log(f"{what} {size} c={clients}: n={row['requests']} p50 {row['p50_ms']} p95 "
                f"{row['p95_ms']} p99 {row['p99_ms']} ms, CPU {row['cpu_ms']} ms/req, errors "
                f"{row['errors']}, other {row['other_cpu_pct']} %")
            rows.append(row)
        memory = server.memory()
    finally:
        server.stop()
    if server.log_tail().strip():
        log("gunicorn log (tail):\n" + server.log_tail(1500))
    return rows, memory


# --- in this process --------------------------------------------------------------------------

def inprocess(world: ac.Demo, rounds: dict[int, Any], sizes: list[int]) -> list[dict[str, Any]]:
    """What each step of the results page costs, without HTTP; medians."""
    from django.conf import settings  # noqa: PLC0415 - needs settings
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from peerwork.assessments import queries  # noqa: PLC0415
    from peerwork.assessments.questionnaires import get_questionnaire  # noqa: PLC0415
    from peerwork.assessments.scoring import score_round  # noqa: PLC0415
    from peerwork.framework.library import get_library  # noqa: PLC0415

    client = Client()
    client.force_login(world.manager)
    out = []
    for size in sizes:
        round_ = rounds[size]
        small = size == sizes[0]
        repeat = 3 if small else 1
        questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
        element_items = questionnaire.element_items(get_library(), round_.stage)
        t0 = time.perf_counter()
        responses = queries.submitted_responses(round_)
        t1 = time.perf_counter()
        scores = score_round(responses, element_items, k=settings.PEERWORK_MIN_CELL)
        first = {"read_ms": round((t1 - t0) * 1000, 1),
                 "score_ms": round((time.perf_counter() - t1) * 1000, 1)}
        url = f"/o/{world.slug}/assessments/{round_.pk}/results/"
        statements: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any,
                  seen: list[str] = statements) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        page = None
        if small:  # the larger round's whole page is measured over HTTP only
            with connection.execute_wrapper(count):
                page = client.get(url)
            if page.status_code != 200:
                raise SystemExit(f"GET {url} -> {page.status_code}")
        row = {
            "respondents": size, "answers": sum(len(r.answers) for r in responses),
            "elements": len(element_items),
            "read_ms": _median_ms(lambda r=round_: queries.submitted_responses(r), repeat)
            if small else first["read_ms"],
            "score_ms": _median_ms(lambda rs=responses, ei=element_items: score_round(
                rs, ei, k=settings.PEERWORK_MIN_CELL), repeat) if small else first["score_ms"],
            "findings_ms": _median_ms(lambda r=round_, s=scores: queries.findings(r, s), repeat),
            "view_ms": _median_ms(lambda u=url: client.get(u), repeat) if small else None,
            "queries": len(statements) if page else None,
            "kb": round(len(page.content) / 1024, 1) if page else None,
        }
        if row["view_ms"] is not None:
            row["rest_ms"] = round(row["view_ms"] - row["read_ms"] - row["score_ms"]
                                   - row["findings_ms"], 1)
        log(f"in-process {size}: {row}")
        out.append(row)
    return out


def _median_ms(call: Any, n: int) -> float:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1)


def profile(world: ac.Demo, round_: Any) -> None:
    from django.test import Client  # noqa: PLC0415 - needs settings

    client = Client()
    client.force_login(world.manager)
    url = f"/o/{world.slug}/assessments/{round_.pk}/results/"
    client.get(url)
    plain = [_median_ms(lambda: client.get(url), 1) for _ in range(3)]
    prof = cProfile.Profile()
    n = 0
    t0 = time.perf_counter()
    prof.enable()
    while n < 20 and (n < 3 or time.perf_counter() - t0 < 10):
        client.get(url)
        n += 1
    prof.disable()
    took = time.perf_counter() - t0
    print(f"GET {url}: median {statistics.median(plain):.0f} ms without the profiler; {n} requests "
          f"profiled, {1000 * took / n:.0f} ms each under cProfile")
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    print(text.getvalue())


# --- PDF --------------------------------------------------------------------------------------

def pdf_case(env: dict[str, str], tmp: Path, round_id: int, size: int) -> dict[str, Any]:
    out = tmp / f"round-{round_id}.pdf"
    log(f"rendering the PDF of the {size}-respondent round in a child process ...")
    done = subprocess.run([sys.executable, __file__, "--child-pdf", str(round_id), "--out", str(out)],
                          env=env, cwd=bl.REPO, capture_output=True, text=True, timeout=900,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"PDF render failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures.update(respondents=size, pages=page_count(out), pdf_kib=round(out.stat().st_size / 1024))
    if figures["pages"]:
        figures["s_per_15_pages"] = round(figures["total_s"] / figures["pages"] * TARGET_PDF_PAGES, 2)
    figures["met"] = "yes" if figures["total_s"] < TARGET_PDF_S else "NO"
    log(f"PDF {size}: {figures}")
    return figures


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60,
                              check=False)
        match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
        if match:
            return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def child_pdf(round_id: int, out: Path) -> dict[str, Any]:
    """One render through the registered builder, the code the background job runs."""
    t0 = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django  # noqa: PLC0415 - the child sets up Django itself

    django.setup()
    from django_scopes import scopes_disabled  # noqa: PLC0415 - needs settings

    from peerwork.assessments.models import Round  # noqa: PLC0415
    from peerwork.assessments.reports import KIND  # noqa: PLC0415
    from peerwork.reports.models import ReportJob  # noqa: PLC0415
    from peerwork.reports.tasks import BUILDERS  # noqa: PLC0415

    with scopes_disabled():
        round_ = Round.objects.select_related("organisation").get(pk=round_id)
    setup_s = time.perf_counter() - t0
    rss_before = bl.proc_status_kb(os.getpid(), "VmRSS")
    job = ReportJob(kind=KIND, language="en", organisation=round_.organisation,
                    params={"round": round_id})
    marks = [time.perf_counter()]
    ticks0 = bl.machine_ticks()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    built = BUILDERS[KIND](job, lambda _done, _total: marks.append(time.perf_counter()))
    marks.append(time.perf_counter())
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    out.write_bytes(built.pdf)
    # marks: start, round fetched, context (scores, findings, chart) made, PDF rendered
    return {
        "setup_s": round(setup_s, 1), "total_s": round(marks[-1] - marks[0], 2),
        "context_s": round(marks[2] - marks[1], 2) if len(marks) >= 4 else None,
        "render_s": round(marks[-1] - marks[-2], 2), "cpu_s": round(cpu, 2),
        "rss_before_mib": round(rss_before / 1024),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "other_cpu_pct": round(bl.other_cpu_pct(ticks0, bl.machine_ticks(), cpu, marks[-1] - marks[0])),
    }


# --- output -----------------------------------------------------------------------------------

def print_report(report: dict[str, Any], sizes: list[int]) -> None:
    print("\n## Results of an assessment round, gunicorn 2 sync workers, SQLite, closed loop\n")
    print(bl.table(report["http"], COLUMNS))
    mem = report["memory"]
    print(f"\nPeak RSS per gunicorn worker (VmHWM) after all rows: {mem['worker_hwm_kb'] / 1024:.0f} MiB, "
          f"master {mem['master_hwm_kb'] / 1024:.0f} MiB")
    print("'CPU ms/req': gunicorn's CPU time (master + workers) over the row / requests. "
          "'other %': CPU share used by processes other than this benchmark during the row.")
    print("\n## Where the page's time goes, in one process (Django test client, medians)\n")
    print(bl.table(report["inprocess"], [
        ("respondents", "respondents"), ("answers", "answers"), ("elements", "areas scored"),
        ("read_ms", "read answers ms"), ("score_ms", "score_round ms"),
        ("findings_ms", "findings ms"), ("rest_ms", "rest (template, auth) ms"),
        ("view_ms", "whole view ms"), ("queries", "SQL queries"), ("kb", "KB")]))
    if len(report["inprocess"]) > 1:
        one, big = report["inprocess"][0], report["inprocess"][-1]
        print(f"\n{big['respondents'] // one['respondents']}x the respondents: read "
              f"x{big['read_ms'] / one['read_ms']:.1f}, score x{big['score_ms'] / one['score_ms']:.1f}, "
              f"(the whole page at {big['respondents']:,}: see the HTTP rows)")
    print("\n## Round PDF (WeasyPrint, registered builder, one child process)\n")
    print(bl.table(report["pdf"], [
        ("respondents", "respondents"), ("pages", "pages"), ("total_s", "build s"),
        ("context_s", "scores etc. s"), ("render_s", "render s"), ("cpu_s", "CPU s"),
        ("s_per_15_pages", "s per 15 pages"), ("met", "< 10 s"), ("pdf_kib", "PDF KiB"),
        ("rss_before_mib", "RSS before MiB"), ("peak_rss_mib", "peak RSS MiB"),
        ("other_cpu_pct", "other %")]))


if __name__ == "__main__":
    main()
