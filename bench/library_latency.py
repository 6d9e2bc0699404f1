"""Latency of the framework library's pages and API under load, on loopback.

    .venv/bin/python bench/library_latency.py [--seconds N] [--quick] [--json FILE]

What it does, all in a temporary directory that is removed at the end:

1. creates a fresh instance (``migrate``, ``demo``) on SQLite with DEBUG off and
   production mode off;
2. starts ``gunicorn peerwork.wsgi`` with 2 sync workers on a free loopback port,
   warms every worker up, then drives each library URL with a closed-loop load
   (no think time) at 1 and at 20 concurrent clients for ``--seconds`` each, and
   prints requests/s, p50/p95/p99/max latency, errors and the peak RSS of the workers;
3. growth: writes a synthetic library 10x the real one (every structure cloned with
   suffixed ids). If the app reads ``PEERWORK_LIBRARY_DIR`` it starts a second
   gunicorn on it and measures search and the element list over HTTP; in every case
   it also times, in one process without HTTP, loading the library, ``Library.search``
   and the same requests through Django's test client, at 1x and 10x.

Latency is measured from opening the TCP connection to the last byte of the body
(gunicorn's sync workers close the connection after each response). The load
client is one asyncio thread in this process; its CPU time is printed.

``--profile PATH`` instead profiles one URL in-process (cProfile) and prints where
the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import benchlib as bl
from peerwork.framework import library as library_module

PATHS: list[tuple[str, str]] = [
    ("page", "/library/"),
    ("page", "/library/precondition/"),
    ("page", "/library/element/precondition.hiring_policy.seniority/"),
    ("page", "/library/search/?q=supervision"),
    ("api", "/api/v1/library"),
    ("api", "/api/v1/library/elements"),
    ("api", "/api/v1/library/elements?structure=precondition"),
]
# Grown with the library's size; measured at 1x above (plus the API search) and at 10x.
GROWTH_PATHS = [
    "/library/",
    "/library/search/?q=supervision",
    "/api/v1/library/elements",
    "/api/v1/library/elements?q=supervision",
]
TARGET_P95_MS = {"page": 50.0, "api": 30.0}  # at 20 concurrent clients, 2 workers, 2 cores
SEARCHES = ["supervision", "peer worker", "xyzzy"]
ORIGINAL_LOAD = library_module.load

COLUMNS = [("path", "path"), ("concurrency", "clients"), ("rps", "req/s"), ("p50_ms", "p50 ms"),
           ("p95_ms", "p95 ms"), ("p99_ms", "p99 ms"), ("max_ms", "max ms"),
           ("errors", "errors"), ("kb", "KB"), ("cpu_ms", "CPU ms/req"),
           ("est_p50_ms", "idle p50 est."), ("other_cpu_pct", "other %"), ("attempts", "tries"),
           ("target", "p95 target"), ("met", "met")]


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[library_latency {time.monotonic() - STARTED:5.0f}s] {message}", file=sys.stderr,
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=4.0, help="load per URL and concurrency")
    ap.add_argument("--quick", action="store_true", help="a smoke test: 1.5 s per row, growth "
                    "on a 3x library for 1 s per row")
    ap.add_argument("--concurrency", default="1,20", help="comma-separated client counts")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    ap.add_argument("--scale", type=int, default=None,
                    help="size of the synthetic library (default 10; 3 with --quick)")
    ap.add_argument("--no-growth", action="store_true", help="skip the synthetic-library part")
    ap.add_argument("--retries", type=int, default=0,
                    help="measure a row again (up to this many times) when other processes "
                         "used more than 10 %% of the machine during it; keep the quietest")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--profile", metavar="PATH", help="profile one URL in-process and exit")
    ap.add_argument("--profile-scale", type=int, default=1,
                    help="with --profile: the library size to profile against")
    ap.add_argument("--inprocess", type=Path, help=argparse.SUPPRESS)  # internal: child mode
    ap.add_argument("--profile-child", help=argparse.SUPPRESS)  # internal: child mode
    ap.add_argument("--lib", default="", help=argparse.SUPPRESS)
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait up to this long for other work on the machine to stop")
    args = ap.parse_args()
    if args.profile_child:
        profile_child(args.profile_child, args.lib)
        return
    if args.inprocess:
        print(json.dumps(inprocess(args.inprocess, args.scale)))
        return
    if args.scale is None:
        args.scale = 3 if args.quick else 10
    if args.quick:
        args.seconds = min(args.seconds, 1.5)
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    started = time.monotonic()
    report: dict[str, Any] = {"machine": bl.machine(), "workers": args.workers,
                              "seconds": args.seconds}
    busy = bl.wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else bl.quiet_check()
    report["machine"]["busy_before_pct"] = round(busy)
    if busy > 10:
        log(f"the machine is {busy:.0f} % busy before the benchmark starts: other work on these "
            "cores will skew the figures (column 'other %')")
    with bl.temp_dir("peerwork-bench-latency-", keep=args.keep) as tmp:
        data = tmp / "data"
        env = bl.app_env(data)
        log(f"fresh instance in {data}: migrate, demo")
        bl.manage(env, "migrate", "--noinput", "-v", "0")
        bl.manage(env, "demo")
        if args.profile:
            profile(env, tmp, args.profile, args.profile_scale)
            return

        main_paths = [p for _, p in PATHS]
        paths = main_paths + [p for p in GROWTH_PATHS if p not in main_paths]
        kind = {p: k for k, p in PATHS}
        server = bl.Gunicorn("peerwork.wsgi", env, tmp / "gunicorn.log", workers=args.workers)
        rows, memory = bl.serve_and_load(server, "/library/", paths, concurrencies, args.seconds,
                                         retries=args.retries, log=log)
        for row in rows:
            row["kb"] = round(row["bytes"] / 1024, 1)
            target = TARGET_P95_MS.get(kind.get(row["path"], ""))
            if target and row["concurrency"] == 20:
                row["target"] = f"< {target:.0f}"
                row["met"] = "yes" if row["p95_ms"] is not None and row["p95_ms"] < target \
                    and not row["errors"] else "NO"
        report.update(runs=rows, memory=memory)
        print(f"\n## Library latency, gunicorn {args.workers} sync workers, "
              f"{args.seconds:g} s per row, closed loop\n")
        print(bl.table(rows, COLUMNS))
        print("\n'CPU ms/req': gunicorn's CPU time (master + workers) over the row / requests. "
              "'idle p50 est.': clients x (server + client CPU per request) / cores, the p50 "
              "a CPU-bound closed loop has on an otherwise idle machine. "
              "'other %': share of the machine's CPU that processes other than this benchmark "
              "used during the row; above a few % the row is skewed by other work.")
        print(f"\nPeak RSS per worker (VmHWM): {memory['worker_hwm_kb'] / 1024:.0f} MiB; "
              f"master {memory['master_hwm_kb'] / 1024:.0f} MiB; workers now "
              f"{memory['workers_rss_total_kb'] / 1024:.0f} MiB in all")
        cpu = [(r["server_cpu_s"], r["client_cpu_s"], r["machine_idle_pct"]) for r in rows
               if r["concurrency"] == max(concurrencies)]
        if cpu:
            print(f"At {max(concurrencies)} clients: machine idle {min(c[2] for c in cpu):.0f}–"
                  f"{max(c[2] for c in cpu):.0f} %, load client used "
                  f"{sum(c[1] for c in cpu):.1f} CPU-s against the server's "
                  f"{sum(c[0] for c in cpu):.1f}")

        if not args.no_growth:
            report["growth"] = growth(env, tmp, args, concurrencies, rows)
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"\n(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


def growth(env: dict[str, str], tmp: Path, args: argparse.Namespace, concurrencies: list[int],
           base_rows: list[dict[str, Any]]) -> dict[str, Any]:
    lib_dir = tmp / f"library_x{args.scale}"
    size = bl.synthetic_library(lib_dir, args.scale)
    log(f"synthetic library x{args.scale}: {size['structures']} structures, "
        f"{size['elements']} elements in {lib_dir}")
    out: dict[str, Any] = {"scale": args.scale, "size": size}

    # Over HTTP, if the app can be pointed at another library directory.
    seconds = 1.0 if args.quick else max(1.0, args.seconds / 2)
    env_big = {**env, "PEERWORK_LIBRARY_DIR": str(lib_dir)}
    server = bl.Gunicorn("peerwork.wsgi", env_big, tmp / "gunicorn-x.log", workers=args.workers)
    rows: list[dict[str, Any]] = []
    try:
        server.start(ready_path="/library/")
        served = len(bl.get_json(server.port, "/api/v1/library")["structures"])
        out["http_supported"] = served == size["structures"]
        if out["http_supported"]:
            bl.warm_up(server.port, GROWTH_PATHS, args.workers)
            for concurrency in concurrencies:
                for path in GROWTH_PATHS:
                    rows.append(bl.measure_row(server, path, concurrency, seconds,
                                               retries=args.retries))
            out["memory"] = server.memory()
        else:
            log(f"the app serves {served} structures with PEERWORK_LIBRARY_DIR set, not "
                f"{size['structures']}: get_library() does not read it yet; HTTP growth skipped")
    finally:
        server.stop()
    out["http"] = rows
    if rows:
        base = {(r["path"], r["concurrency"]): r for r in base_rows}
        table_rows = []
        for row in rows:
            one = base.get((row["path"], row["concurrency"]), {})
            table_rows.append({
                "path": row["path"], "concurrency": row["concurrency"],
                "rps1": one.get("rps"), "p50_1": one.get("p50_ms"), "p95_1": one.get("p95_ms"),
                "rps10": row["rps"], "p50_10": row["p50_ms"], "p95_10": row["p95_ms"],
                "errors": row["errors"], "kb": round(row["bytes"] / 1024, 1),
                "ratio": _ratio(row["p50_ms"], one.get("p50_ms")),
                "other": row["other_cpu_pct"], "cpu1": one.get("cpu_ms"), "cpu10": row["cpu_ms"],
            })
        n = args.scale
        print(f"\n## Growth over HTTP: real library (1x) against a {n}x synthetic library\n")
        print(bl.table(table_rows, [
            ("path", "path"), ("concurrency", "clients"), ("rps1", "1x req/s"),
            ("p50_1", "1x p50"), ("p95_1", "1x p95"), ("rps10", f"{n}x req/s"),
            ("p50_10", f"{n}x p50"), ("p95_10", f"{n}x p95"), ("ratio", "p50 ratio"),
            ("cpu1", "1x CPU ms/req"), ("cpu10", f"{n}x CPU ms/req"),
            ("errors", "errors"), ("kb", f"{n}x KB"), ("other", "other %")]))
        mem = out["memory"]
        print(f"\nPeak RSS per worker with the {n}x library: {mem['worker_hwm_kb'] / 1024:.0f} MiB")

    # In one process, no HTTP: always, and the only growth figures if HTTP was skipped.
    log("in-process timings at 1x and at the synthetic size")
    child = subprocess.run(
        [sys.executable, __file__, "--inprocess", str(lib_dir), "--scale", str(args.scale)],
        env=env, cwd=bl.REPO, capture_output=True, text=True, timeout=600, check=False)
    if child.returncode != 0:
        raise SystemExit(f"in-process growth run failed:\n{child.stderr[-3000:]}")
    inproc = json.loads(child.stdout.strip().splitlines()[-1])
    out["inprocess"] = inproc
    print_inprocess(inproc)
    return out


def _ratio(big: float | None, small: float | None) -> str | None:
    return f"{big / small:.1f}x" if big and small else None


def print_inprocess(inproc: dict[str, Any]) -> None:
    one, big = inproc["1"], inproc[str(inproc["scale"])]
    n = inproc["scale"]
    print(f"\n## Growth in one process (no HTTP, no concurrency), 1x against {n}x\n")
    rows = [
        {"what": "elements", "one": one["elements"], "big": big["elements"]},
        {"what": "load() ms (YAML + schema + checks)", "one": one["load_ms"], "big": big["load_ms"]},
        {"what": "library in memory, MiB (tracemalloc)", "one": one["library_mib"],
         "big": big["library_mib"]},
    ]
    rows += [{"what": f"Library.search({q!r}) ms, median", "one": one["search_ms"][q],
              "big": big["search_ms"][q]} for q in SEARCHES]
    rows += [{"what": f"GET {p} ms, median (test client)", "one": one["client_ms"][p]["p50"],
              "big": big["client_ms"][p]["p50"]} for p in GROWTH_PATHS]
    rows += [{"what": f"GET {p} KB", "one": one["client_ms"][p]["kb"],
              "big": big["client_ms"][p]["kb"]} for p in GROWTH_PATHS]
    for row in rows:
        row["ratio"] = _ratio(row["big"], row["one"])
    print(bl.table(rows, [("what", "measure"), ("one", "1x"), ("big", f"{n}x"), ("ratio", "ratio")]))
    if inproc.get("note"):
        print(f"\n{inproc['note']}")


# --- child mode: in-process timings ----------------------------------------------------------

def _use_library(lib_dir: Path | None) -> Any:
    """Point get_library() at ``lib_dir`` (None: the real data) in this process, through
    PEERWORK_LIBRARY_DIR when the app reads it, else by replacing the loader its cache calls."""
    if hasattr(library_module, "library_dir"):
        if lib_dir:
            os.environ["PEERWORK_LIBRARY_DIR"] = str(lib_dir)
        else:
            os.environ.pop("PEERWORK_LIBRARY_DIR", None)
    else:
        target = lib_dir or library_module.DATA_DIR
        library_module.load = lambda *_a, **_k: ORIGINAL_LOAD(target)
    library_module.get_library.cache_clear()
    return library_module.get_library()


def inprocess(lib_dir: Path, scale: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django  # noqa: PLC0415 - child mode only

    django.setup()
    from django.test import Client  # noqa: PLC0415 - needs settings

    out: dict[str, Any] = {"scale": scale}
    client = Client()
    for n, directory in ((1, library_module.DATA_DIR), (scale, lib_dir)):
        t0 = time.perf_counter()
        lib = _use_library(directory if n != 1 else None)  # a load through get_library()
        load_ms = (time.perf_counter() - t0) * 1000
        tracemalloc.start()
        kept = ORIGINAL_LOAD(directory)
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        if len(lib.elements) != len(kept.elements):
            raise SystemExit(f"get_library() serves {len(lib.elements)} elements, "
                             f"expected {len(kept.elements)}")
        figures: dict[str, Any] = {
            "elements": len(lib.elements), "load_ms": round(load_ms, 1),
            "library_mib": round(size / 2**20, 1),
            "search_ms": {q: _median_ms(lambda q=q, lib=lib: lib.search(q, "en"), 0.5) for q in SEARCHES},
            "client_ms": {},
        }
        for path in GROWTH_PATHS:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} -> {response.status_code}")
            samples = _samples_ms(lambda path=path: client.get(path), 1.0)
            figures["client_ms"][path] = {"p50": round(statistics.median(samples), 2),
                                          "kb": round(len(response.content) / 1024, 1),
                                          "n": len(samples)}
        out[str(n)] = figures
    _use_library(None)
    return out


def _samples_ms(call: Any, budget_s: float, max_n: int = 2000) -> list[float]:
    samples: list[float] = []
    stop = time.perf_counter() + budget_s
    while (time.perf_counter() < stop or len(samples) < 5) and len(samples) < max_n:
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def _median_ms(call: Any, budget_s: float) -> float:
    return round(statistics.median(_samples_ms(call, budget_s)), 3)


# --- profiling ------------------------------------------------------------------------------

def profile(env: dict[str, str], tmp: Path, path: str, scale: int) -> None:
    lib_dir = ""
    if scale > 1:
        lib_dir = str(tmp / f"library_x{scale}")
        bl.synthetic_library(Path(lib_dir), scale)
    done = subprocess.run([sys.executable, __file__, "--profile-child", path, "--lib", lib_dir],
                          env=env, cwd=bl.REPO, capture_output=True, text=True, timeout=300,
                          check=False)
    print(done.stdout)
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr)


def profile_child(path: str, lib_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django  # noqa: PLC0415 - child mode only

    django.setup()
    from django.test import Client  # noqa: PLC0415 - needs settings

    library = _use_library(Path(lib_dir) if lib_dir else None)
    client = Client()
    for _ in range(20):
        client.get(path)
    plain = _samples_ms(lambda: client.get(path), 2.0)
    prof = cProfile.Profile()
    n, t0 = 0, time.perf_counter()
    prof.enable()
    while n < 2000 and time.perf_counter() - t0 < 5:
        client.get(path)
        n += 1
    prof.disable()
    took = time.perf_counter() - t0
    print(f"GET {path} with {len(library.elements)} elements: median "
          f"{statistics.median(plain):.2f} ms without the profiler; {n} requests profiled, "
          f"{1000 * took / n:.2f} ms each under cProfile")
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    print(out.getvalue())


if __name__ == "__main__":
    main()
