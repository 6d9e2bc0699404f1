"""Latency of an assessment round's results, and the time to make its PDF.

    .venv/bin/python bench/assessment_results.py [--seconds N] [--quick] [--json FILE]

What it does, all in a temporary directory that is removed at the end:

1. creates a fresh instance (``migrate``, ``demo``) on SQLite with DEBUG off and
   production mode off; in this process, as the platform administrator, makes
   services with the demo manager as their manager (``orgs.services``), opens rounds
   with ``assessments.services.create_round`` and bulk-creates submitted respondents
   through the ORM:

   * ``1x``: a service's only round with 1,000 respondents (``--respondents``);
   * ``10x``: another service's only round with 10,000 (``--scale``);
   * ``trend``: a third service's third round of 1,000, the two before it closed,
     because the results page also scores every earlier round of the service.

   Each respondent has a position (8 % managers, 57 % colleagues, 35 % peer workers),
   a personal leaning and per-area differences; 6 % of answers are "don't know"
   (None), 3 % of questions are skipped, 2 % of answers carry a comment;
2. logs the demo manager in with ``django.test.Client.force_login`` and reuses the
   session cookie, and makes an API key for the same user;
3. starts ``gunicorn peerwork.wsgi`` with 2 sync workers on a free loopback port,
   warms both workers up, then measures, closed loop (no think time):
   ``GET /o/<slug>/assessments/<id>/results/`` and
   ``GET /api/v1/organisations/<slug>/assessments/<id>/results`` on the 1x round at 1
   and 10 clients for ``--seconds`` each (the API for half as long), the page on the
   10x round at 1 client (at least 3 requests) and 10 clients (at least 10), and on
   the trend round at 1 client (at least 3); prints p50/p95/p99, server CPU per
   request and the workers' peak RSS;
4. in this process, without HTTP: what each step of the page costs (reading the
   answers, scoring, findings, the national benchmark, the trend, the whole view
   through the test client) and how many SQL queries the view runs;
5. renders the 1x round's PDF with the registered builder for the ``assessment_round``
   report kind (``peerwork.assessments.reports.build``, the code the background job
   runs) in a fresh child process, and counts its pages with ``pdfinfo``;
6. the background path of the 10x round (above PEERWORK_RESULTS_INLINE_MAX, 2,000):
   before step 3 its scores are computed by the results task, called as the worker
   calls it (so the HTTP rows measure the page as people see it); after step 4,
   ``--new`` more respondents submit, and the first page view and API read after them
   (the newest scores with the "updating" notice, one task queued), the task again and
   the view after it are timed in this process.

``--profile`` instead prints a cProfile of the results view on the 1x round
(in-process, Django's test client).
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
from dataclasses import dataclass
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


@dataclass
class Case:
    """One round whose results are measured."""

    key: str  # "1x", "10x", "trend"
    label: str
    respondents: int
    world: ac.Demo
    round: Any

    @property
    def page(self) -> str:
        return f"/o/{self.world.slug}/assessments/{self.round.pk}/results/"

    @property
    def api(self) -> str:
        return f"/api/v1/organisations/{self.world.slug}/assessments/{self.round.pk}/results"


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
    ap.add_argument("--no-trend", action="store_true",
                    help="skip the service's third round (the page then also scores the two before)")
    ap.add_argument("--api-10x", action="store_true", help="also load the API on the larger round")
    ap.add_argument("--new", type=int, default=20,
                    help="respondents who submit before the larger round's first-view measurement")
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
        args.seconds, args.scale, args.no_trend = min(args.seconds, 2.0), 1, True
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
        cases, report["seeding"] = make_cases(args)
        if args.profile:
            profile(cases[0])
            ac.close_db()
            return
        large = next((c for c in cases if c.key == "10x"), None)
        first_task_s = background_task_s(large) if large else None
        manager = cases[0].world.manager
        cookie, key = ac.session_cookie(manager), ac.api_key(manager)
        ac.close_db()

        report["http"], report["memory"] = http_rows(args, tmp, env, cases, concurrencies, cookie, key)
        report["inprocess"] = inprocess(cases)
        if large:
            report["first_view"] = {"task_first_s": first_task_s, **first_view(large, args.new)}
        ac.close_db()
        report["pdf"] = [pdf_case(env, tmp, c.round.pk, c.respondents) for c in cases
                         if c.key == "1x" or (c.key == "10x" and args.pdf_10x)]
    print_report(report)
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"\n(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


def make_cases(args: argparse.Namespace) -> tuple[list[Case], dict[str, Any]]:
    """The rounds to measure, each in a service of its own, because the results page
    also scores every earlier round of the same service (its trend):

    * 1x: a service's only round, ``--respondents`` respondents;
    * 10x: another service's only round, ``--scale`` times as many;
    * trend: a third service's third round, ``--respondents`` each, the two earlier
      ones closed."""
    world = ac.demo_world()
    n = args.respondents
    seeding: dict[str, Any] = {}

    def seeded_round(where: ac.Demo, title: str, size: int, seed: int) -> Any:
        round_ = ac.open_round(where, title)
        figures = ac.seed_responses(round_, size, seed=seed)
        seeding[title] = figures
        log(f"{where.slug} round {round_.pk} '{title}': {figures['responses']} respondents, "
            f"{figures['answers']} answers seeded in {figures['seconds']} s")
        return round_

    # not the demo service: ``demo`` gives it a round of its own, which the trend would score
    first = ac.extra_organisation(world, "Results benchmark, one round")
    cases = [Case("1x", "results page", n, first, seeded_round(first, "Spring", n, 1))]
    if args.scale > 1:
        big = ac.extra_organisation(world, "Results benchmark, large service")
        cases.append(Case("10x", "results page", n * args.scale, big,
                          seeded_round(big, "Spring", n * args.scale, 2)))
    if not args.no_trend:
        from peerwork.assessments import services  # noqa: PLC0415 - needs settings

        third = ac.extra_organisation(world, "Results benchmark, third round")
        for number in (1, 2):
            earlier = seeded_round(third, f"Round {number}", n, 10 + number)
            services.close_round(actor=world.manager, round_=earlier)
        cases.append(Case("trend", "results page, 3rd round", n, third,
                          seeded_round(third, "Round 3", n, 13)))
    return cases, seeding


# --- over HTTP --------------------------------------------------------------------------------

def http_rows(args: argparse.Namespace, tmp: Path, env: dict[str, str], cases: list[Case],
              concurrencies: list[int], cookie: str, key: str
              ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    as_manager = {"Cookie": cookie}
    with_key = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    one = cases[0]
    # (case, what, path, headers, clients, seconds, at least this many requests)
    plan: list[tuple[Case, str, str, dict[str, str], int, float, int]] = []
    for c in concurrencies:
        plan.append((one, "results page", one.page, as_manager, c, args.seconds, 2 * c))
    for c in concurrencies:
        plan.append((one, "API results", one.api, with_key, c, args.seconds / 2, 2 * c))
    for case in cases[1:]:
        if case.key == "10x":
            for c in concurrencies:
                plan.append((case, case.label, case.page, as_manager, c, 0.0, max(3, c)))
            if args.api_10x:
                plan.append((case, "API results", case.api, with_key, 1, 0.0, 3))
        else:
            plan.append((case, case.label, case.page, as_manager, 1, 0.0, 3))
    rows: list[dict[str, Any]] = []
    server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
    try:
        t0 = time.monotonic()
        server.start(ready_path="/healthz")
        log(f"gunicorn ready on {server.base} in {time.monotonic() - t0:.1f} s")
        for path, headers in ((one.page, as_manager), (one.api, with_key)):
            warm = ac.run_get_load(server.port, path, concurrency=args.workers * 2, seconds=0,
                                   headers=headers, min_requests=args.workers * 2,
                                   max_requests=args.workers * 2)
            if warm.ok < args.workers * 2:
                raise SystemExit(f"warm-up of {path} failed: {warm.errors}\n{server.log_tail()}")
        memory_1x: dict[str, int] = {}
        for case, what, path, headers, clients, seconds, at_least in plan:
            if case.key != "1x" and not memory_1x:
                memory_1x = server.memory()
            timeout = 60.0 if case.key == "1x" else 600.0
            result = ac.run_get_load(server.port, path, concurrency=clients, seconds=seconds,
                                     headers=headers, timeout=timeout, server_pids=server.all_pids(),
                                     min_requests=at_least, max_requests=max(at_least, 10_000))
            row = result.summary()
            row.update(what=what, respondents=case.respondents, kb=round(row["bytes"] / 1024, 1))
            if what == "results page" and case.key == "1x":
                row["target"] = f"< {TARGET_PAGE_P95_MS:.0f}"
                row["met"] = "yes" if row["p95_ms"] is not None and row["p95_ms"] < TARGET_PAGE_P95_MS \
                    and not row["errors"] else "NO"
            log(f"{what} {case.respondents} c={clients}: n={row['requests']} p50 {row['p50_ms']} p95 "
                f"{row['p95_ms']} p99 {row['p99_ms']} ms, CPU {row['cpu_ms']} ms/req, errors "
                f"{row['errors']}, other {row['other_cpu_pct']} %")
            rows.append(row)
        memory = server.memory()
        memory["worker_hwm_kb_1x"] = (memory_1x or memory)["worker_hwm_kb"]
    finally:
        server.stop()
    if server.log_tail().strip():
        log("gunicorn log (tail):\n" + server.log_tail(1500))
    return rows, memory


# --- in this process --------------------------------------------------------------------------

def inprocess(cases: list[Case]) -> list[dict[str, Any]]:
    """What each step of the results page costs, without HTTP: medians of 3 on the
    1,000-respondent round, one call on the others."""
    from django.conf import settings  # noqa: PLC0415 - needs settings
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from peerwork.assessments import queries  # noqa: PLC0415
    from peerwork.assessments.benchmark import national_benchmark  # noqa: PLC0415
    from peerwork.assessments.questionnaires import get_questionnaire  # noqa: PLC0415
    from peerwork.assessments.scoring import score_round  # noqa: PLC0415
    from peerwork.framework.library import get_library  # noqa: PLC0415

    client = Client()
    client.force_login(cases[0].world.manager)
    out = []
    for case in cases:
        round_ = case.round
        first_case = case is cases[0]
        repeat = 3 if first_case else 1
        questionnaire = get_questionnaire(round_.questionnaire, round_.questionnaire_version)
        element_items = questionnaire.element_items(get_library(), round_.stage)
        t0 = time.perf_counter()
        responses = queries.submitted_responses(round_)
        t1 = time.perf_counter()
        scores = score_round(responses, element_items, k=settings.PEERWORK_MIN_CELL)
        first = {"read_ms": round((t1 - t0) * 1000, 1),
                 "score_ms": round((time.perf_counter() - t1) * 1000, 1)}
        statements: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any,
                  seen: list[str] = statements) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        page = None
        if case.key != "10x":  # the larger round's whole page is measured over HTTP only
            with connection.execute_wrapper(count):
                page = client.get(case.page)
            if page.status_code != 200:
                raise SystemExit(f"GET {case.page} -> {page.status_code}")
        row = {
            "case": case.key, "respondents": case.respondents,
            "answers": sum(len(r.answers) for r in responses), "elements": len(element_items),
            "read_ms": _median_ms(lambda r=round_: queries.submitted_responses(r), repeat)
            if first_case else first["read_ms"],
            "score_ms": _median_ms(lambda rs=responses, ei=element_items: score_round(
                rs, ei, k=settings.PEERWORK_MIN_CELL), repeat) if first_case else first["score_ms"],
            "findings_ms": _median_ms(lambda r=round_, s=scores: queries.findings(r, s), repeat),
            "national_ms": _median_ms(national_benchmark, repeat),
            "trend_ms": _median_ms(lambda r=round_: queries.trend(r), repeat)
            if case.key != "10x" else None,
            "view_ms": _median_ms(lambda u=case.page: client.get(u), repeat) if page else None,
            "queries": len(statements) if page else None,
            "kb": round(len(page.content) / 1024, 1) if page else None,
        }
        if row["view_ms"] is not None:
            row["rest_ms"] = round(row["view_ms"] - row["read_ms"] - row["score_ms"] - row["findings_ms"]
                                   - row["national_ms"] - (row["trend_ms"] or 0), 1)
        log(f"in-process {case.key}: {row}")
        out.append(row)
    return out


def background_task_s(case: Case) -> float:
    """The results task on ``case``'s round, called as the worker calls it; seconds."""
    from peerwork.assessments import tasks  # noqa: PLC0415 - needs settings

    t0 = time.perf_counter()
    tasks.refresh_round_scores.call(round_id=case.round.pk)
    return round(time.perf_counter() - t0, 2)


def first_view(case: Case, new: int) -> dict[str, Any]:
    """``new`` respondents submit to the large round; then the first view and API read
    (background path: the older scores with the notice), the task, and the view after."""
    from django.test import Client  # noqa: PLC0415 - needs settings
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    client = Client()
    client.force_login(case.world.manager)
    client.get(case.page)  # this process's first request loads templates and URLs
    ac.seed_responses(case.round, new, seed=99)

    def timed_ms(call: Any) -> tuple[float, Any]:
        t0 = time.perf_counter()
        value = call()
        return round((time.perf_counter() - t0) * 1000, 1), value

    page_ms, page = timed_ms(lambda: client.get(case.page))
    if page.status_code != 200 or b"Updating:" not in page.content:
        raise SystemExit(f"GET {case.page} after new answers: {page.status_code}, no notice")
    api_ms, api = timed_ms(lambda: client.get(case.api).json())
    queued = DBTaskResult.objects.count()
    task_s = background_task_s(case)
    after_ms, after = timed_ms(lambda: client.get(case.page))
    if b"Updating:" in after.content:
        raise SystemExit("the page still shows the notice after the task")
    row = {"respondents": case.respondents, "new": new, "first_view_ms": page_ms,
           "api_first_ms": api_ms, "api_says": f"{api['respondents']} of {api['submitted']}",
           "queued": queued, "task_s": task_s, "view_after_ms": after_ms}
    log(f"first view after new answers: {row}")
    return row


def _median_ms(call: Any, n: int) -> float:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1)


def profile(case: Case) -> None:
    from django.test import Client  # noqa: PLC0415 - needs settings

    client = Client()
    client.force_login(case.world.manager)
    url = case.page
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
        # VmHWM, not ru_maxrss: Linux carries the parent's high-water mark across exec
        "peak_rss_mib": round(bl.proc_status_kb(os.getpid(), "VmHWM") / 1024),
        "other_cpu_pct": round(bl.other_cpu_pct(ticks0, bl.machine_ticks(), cpu, marks[-1] - marks[0])),
    }


# --- output -----------------------------------------------------------------------------------

def print_report(report: dict[str, Any]) -> None:
    print("\n## Results of an assessment round, gunicorn 2 sync workers, SQLite, closed loop\n")
    print(bl.table(report["http"], COLUMNS))
    mem = report["memory"]
    print(f"\nPeak RSS per gunicorn worker (VmHWM): {mem['worker_hwm_kb_1x'] / 1024:.0f} MiB after the "
          f"1x rows, {mem['worker_hwm_kb'] / 1024:.0f} MiB after all rows; master "
          f"{mem['master_hwm_kb'] / 1024:.0f} MiB")
    print("'CPU ms/req': gunicorn's CPU time (master + workers) over the row / requests. "
          "'other %': CPU share used by processes other than this benchmark during the row.")
    print("\n## Where the page's time goes, in one process (Django test client)\n")
    print(bl.table(report["inprocess"], [
        ("case", "round"), ("respondents", "respondents"), ("answers", "answers"),
        ("elements", "areas"), ("read_ms", "read answers ms"), ("score_ms", "score_round ms"),
        ("findings_ms", "findings ms"), ("national_ms", "national benchmark ms"),
        ("trend_ms", "trend ms"), ("rest_ms", "rest (template, auth) ms"),
        ("view_ms", "whole view ms"), ("queries", "SQL queries"), ("kb", "KB")]))
    rows = {r["case"]: r for r in report["inprocess"]}
    if "10x" in rows:
        one, big = rows["1x"], rows["10x"]
        print(f"\n{big['respondents'] // one['respondents']}x the respondents: read "
              f"x{big['read_ms'] / one['read_ms']:.1f}, score x{big['score_ms'] / one['score_ms']:.1f}")
    if "first_view" in report:
        fv = report["first_view"]
        print(f"\n## First view after new answers, background path ({fv['respondents']} "
              f"respondents, {fv['new']} new; one process)\n")
        print(f"results page {fv['first_view_ms']} ms, API {fv['api_first_ms']} ms "
              f"({fv['api_says']} answers, {fv['queued']} task queued); the task "
              f"{fv['task_s']} s (first {fv['task_first_s']} s); the page after it "
              f"{fv['view_after_ms']} ms")
    print("\n## Round PDF (WeasyPrint, registered builder, one child process)\n")
    print(bl.table(report["pdf"], [
        ("respondents", "respondents"), ("pages", "pages"), ("total_s", "build s"),
        ("context_s", "scores etc. s"), ("render_s", "render s"), ("cpu_s", "CPU s"),
        ("s_per_15_pages", "s per 15 pages"), ("met", "< 10 s"), ("pdf_kib", "PDF KiB"),
        ("rss_before_mib", "RSS before MiB"), ("peak_rss_mib", "peak RSS MiB"),
        ("other_cpu_pct", "other %")]))


if __name__ == "__main__":
    main()
