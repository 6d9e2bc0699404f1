"""What Django itself costs on this machine, next to Peerwork's cheapest library URLs.

    .venv/bin/python bench/ceiling_compare.py [--seconds N] [--quick] [--json FILE]

The reference is the shared "framework ceiling" site
(``/work/shared/bench/peer_survey/ceiling/ceiling_site``, see its README): the smallest
ordinary Django 5.2 project, with Django's stock middleware, DEBUG off and cached
templates, SQLite in WAL mode. Its own runner (``run_ceiling.sh``) measures survey
*submissions* with an aiohttp client in a separate virtualenv built from PyPI; here
we only need its read side, so this script copies the site to a temporary directory
(the shared folder is read-only), migrates it with our virtualenv (the same Django,
gunicorn and Python as Peerwork), serves it with gunicorn and 2 sync workers, and
drives it with the same closed-loop GET client and concurrency as
``library_latency.py``:

* ``GET /survey/``: a 6.5 KB template page with a CSRF token and no SQL, the
  cheapest page an ordinary Django site serves;
* ``GET /no-such-page/``: Django's built-in 404, i.e. the middleware stack with no view.

Then, back to back on the same machine, a fresh Peerwork instance on the same
server settings: ``/library/`` (7.5 KB page), one element page, ``/api/v1/library``
and ``/healthz``. The difference between the two is what Peerwork's own code and
middleware add per request.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import benchlib as bl

CEILING_SITE = Path("/work/shared/bench/peer_survey/ceiling/ceiling_site")
CEILING_PATHS = ["/survey/", "/no-such-page/"]
CEILING_EXPECT = {"/no-such-page/": 404}
PEERWORK_PATHS = ["/library/", "/library/element/precondition.hiring_policy.seniority/",
                  "/api/v1/library", "/healthz"]
COLUMNS = [("site", "site"), ("path", "path"), ("concurrency", "clients"), ("rps", "req/s"),
           ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"), ("p99_ms", "p99 ms"),
           ("errors", "errors"), ("kb", "KB"), ("cpu_ms", "server CPU ms/req"),
           ("est_p50_ms", "idle p50 est."), ("other_cpu_pct", "other %"), ("attempts", "tries")]


def log(message: str) -> None:
    print(f"[ceiling_compare] {message}", file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0, help="load per URL and concurrency")
    ap.add_argument("--quick", action="store_true", help="1.5 s per run")
    ap.add_argument("--concurrency", default="1,20")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-peerwork", action="store_true", help="measure the ceiling only")
    ap.add_argument("--retries", type=int, default=0,
                    help="measure a row again when other processes used more than 10 %% of "
                         "the machine during it; keep the quietest")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait up to this long for other work on the machine to stop")
    args = ap.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 1.5)
    if not (CEILING_SITE / "manage.py").is_file():
        raise SystemExit(f"{CEILING_SITE} not found: the shared ceiling site is needed")
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    started = time.monotonic()
    report: dict[str, Any] = {"machine": bl.machine(), "seconds": args.seconds}
    busy = bl.wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else bl.quiet_check()
    report["machine"]["busy_before_pct"] = round(busy)
    if busy > 10:
        log(f"the machine is {busy:.0f} % busy before the benchmark starts: other work on these "
            "cores will skew the figures (column 'other %')")
    rows: list[dict[str, Any]] = []
    with bl.temp_dir("peerwork-bench-ceiling-", keep=args.keep) as tmp:
        site = tmp / "ceiling_site"
        shutil.copytree(CEILING_SITE, site, ignore=shutil.ignore_patterns("__pycache__"))
        for path in [site, *site.rglob("*")]:  # the shared copy is read-only
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
        (site / "secret_key.txt").write_text(secrets.token_urlsafe(50), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(CEILING_SQLITE_SYNC="NORMAL", PYTHONDONTWRITEBYTECODE="1")
        log(f"ceiling site in {site}: migrate")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=site, env=env, check=True, timeout=120)
        server = bl.Gunicorn("ceiling_site.wsgi:application", env, tmp / "ceiling.log",
                             workers=args.workers, chdir=site)
        ceiling_rows, ceiling_mem = bl.serve_and_load(
            server, "/survey/", CEILING_PATHS, concurrencies, args.seconds,
            expect=CEILING_EXPECT, retries=args.retries, log=log)
        rows += [{**r, "site": "django-ceiling"} for r in ceiling_rows]
        report["ceiling_memory"] = ceiling_mem

        if not args.no_peerwork:
            pw_env = bl.app_env(tmp / "peerwork")
            log("fresh Peerwork instance: migrate, demo")
            bl.manage(pw_env, "migrate", "--noinput", "-v", "0")
            bl.manage(pw_env, "demo")
            server = bl.Gunicorn("peerwork.wsgi", pw_env, tmp / "peerwork.log",
                                 workers=args.workers)
            pw_rows, pw_mem = bl.serve_and_load(server, "/library/", PEERWORK_PATHS,
                                                concurrencies, args.seconds,
                                                retries=args.retries, log=log)
            rows += [{**r, "site": "peerwork"} for r in pw_rows]
            report["peerwork_memory"] = pw_mem

    for row in rows:
        row["kb"] = round(row["bytes"] / 1024, 1)
    rows.sort(key=lambda r: (r["concurrency"], r["site"] != "django-ceiling"))
    report["runs"] = rows
    print(f"\n## Django ceiling against Peerwork, gunicorn {args.workers} sync workers, "
          f"{args.seconds:g} s per row\n")
    print(bl.table(rows, COLUMNS))
    print("\nPeak RSS per worker: ceiling "
          f"{report['ceiling_memory']['worker_hwm_kb'] / 1024:.0f} MiB"
          + (f", Peerwork {report['peerwork_memory']['worker_hwm_kb'] / 1024:.0f} MiB"
             if "peerwork_memory" in report else ""))
    print("'server CPU ms/req': gunicorn master + workers CPU time over the row / requests.")
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
