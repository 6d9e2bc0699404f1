"""Shared helpers for the scripts in bench/: a throwaway Peerwork instance, a
gunicorn server stopped by PID, a bounded closed-loop HTTP load on loopback,
percentiles and readings from /proc.

Not a test and not part of the app: nothing under src/ imports this.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from peerwork.framework.library import DATA_DIR as LIBRARY_DATA_DIR

REPO = Path(__file__).resolve().parent.parent
# Not resolved: the venv's python is a symlink, and its bin/ is the one we want.
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
HARD_REQUEST_CAP = 500_000  # no load loop ever sends more than this, whatever the clock says


# --- environment ---------------------------------------------------------------------------

def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a benchmark instance: SQLite in ``data_dir``, DEBUG off,
    production mode off (so no HTTPS redirect), nothing inherited that would
    point it at another database or library."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PEERWORK_PRODUCTION", "DATABASE_URL", "DB", "SQLITE_PATH",
                        "PEERWORK_LIBRARY_DIR", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(PEERWORK_DATA_DIR=str(data_dir), DEBUG="0", LOG_LEVEL="WARNING",
               PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """``python -m peerwork <args>`` in the repository, bounded in time."""
    done = subprocess.run([sys.executable, "-m", "peerwork", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise SystemExit(f"python -m peerwork {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


@contextmanager
def temp_dir(prefix: str, keep: bool = False) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        if keep:
            print(f"[bench] kept {path}", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cpus": str(os.cpu_count()), "cpu_model": model,
            "memory": f"{mem_kb / 1024 / 1024:.1f} GiB", "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M %Z")}


# --- /proc readings ------------------------------------------------------------------------

def proc_status_kb(pid: int, key: str) -> int:
    """A ``kB`` field of /proc/<pid>/status (VmHWM = peak RSS, VmRSS = current)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces or parentheses: split after the last ')'
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids: Sequence[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(idle+iowait, total) jiffies of the whole machine."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return parts[3] + parts[4], sum(parts)


# --- gunicorn ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """gunicorn with sync workers on a free loopback port; stopped by its PID."""

    def __init__(self, app: str, env: dict[str, str], log: Path, *, workers: int = 2,
                 chdir: Path = REPO) -> None:
        self.app, self.env, self.log, self.workers, self.chdir = app, env, log, workers, chdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, ready_path: str, timeout: float = 120) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), self.app, "--workers", str(self.workers),
                 "--worker-class", "sync", "--bind", f"{LOOPBACK}:{self.port}",
                 "--chdir", str(self.chdir), "--log-level", "warning", "--timeout", "120"],
                cwd=self.chdir, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            status, _, _ = fetch(self.port, ready_path, timeout=30)
            if status in (200, 404) and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        return children_of(self.proc.pid) if self.proc else []

    def all_pids(self) -> list[int]:
        return [self.proc.pid, *self.worker_pids()] if self.proc else []

    def memory(self) -> dict[str, int]:
        """Peak and current RSS (kB) of each worker and of the master."""
        out = {}
        if self.proc:
            out["master_hwm_kb"] = proc_status_kb(self.proc.pid, "VmHWM")
        workers = self.worker_pids()
        out["worker_hwm_kb"] = max((proc_status_kb(p, "VmHWM") for p in workers), default=0)
        out["worker_rss_kb"] = max((proc_status_kb(p, "VmRSS") for p in workers), default=0)
        out["workers_rss_total_kb"] = sum(proc_status_kb(p, "VmRSS") for p in workers)
        return out

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = self.worker_pids()
        self.proc.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.proc.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        bind = f"{LOOPBACK}:{self.port}".encode()
        for pid in workers:  # our own workers, by PID, only if still ours (same bind address)
            with suppress(OSError):
                if bind in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""


# --- HTTP load -----------------------------------------------------------------------------

def fetch(port: int, path: str, timeout: float = 30) -> tuple[int, int, float]:
    """One GET on loopback: (status, body bytes, seconds); status 0 on failure."""
    try:
        return asyncio.run(asyncio.wait_for(_get(port, path, timeout), timeout + 1))
    except (OSError, TimeoutError, ValueError):
        return 0, 0, 0.0


async def _get(port: int, path: str, timeout: float) -> tuple[int, int, float]:
    request = (f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n"
               "User-Agent: peerwork-bench\r\nAccept: */*\r\nAccept-Language: en\r\n"
               "Connection: close\r\n\r\n").encode()
    start = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(LOOPBACK, port), timeout)
    try:
        writer.write(request)
        data = await asyncio.wait_for(reader.read(), timeout)  # to EOF: gunicorn sync closes
    finally:
        writer.close()
    elapsed = time.perf_counter() - start
    head, _, body = data.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ValueError("no HTTP status line")
    return int(parts[1]), len(body), elapsed


def get_json(port: int, path: str, timeout: float = 30) -> Any:
    """One GET on loopback, decoded as JSON (http.client: no proxy settings apply)."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} -> {response.status}")
    return json.loads(body)


def pct(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile, the same definition as the shared loadgen's."""
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


@dataclass
class LoadResult:
    path: str
    concurrency: int
    seconds: float
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    body_bytes: int = 0
    elapsed: float = 0.0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    machine_idle_pct: float = 0.0
    other_cpu_pct: float = 0.0

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies_ms)
        return {
            "path": self.path, "concurrency": self.concurrency, "requests": self.ok,
            "rps": round(self.ok / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": _r(pct(lat, 0.50)), "p95_ms": _r(pct(lat, 0.95)),
            "p99_ms": _r(pct(lat, 0.99)), "max_ms": _r(lat[-1] if lat else None),
            "errors": sum(self.errors.values()), "error_kinds": self.errors,
            "bytes": self.body_bytes, "server_cpu_s": round(self.server_cpu_s, 2),
            "client_cpu_s": round(self.client_cpu_s, 2),
            "machine_idle_pct": round(self.machine_idle_pct, 1),
            "other_cpu_pct": round(self.other_cpu_pct),
            # server CPU per request: what bounds throughput on a machine of our own
            "cpu_ms": round(1000 * self.server_cpu_s / self.ok, 2) if self.ok else None,
            "client_cpu_ms": round(1000 * self.client_cpu_s / self.ok, 2) if self.ok else None,
            "est_p50_ms": self.cpu_bound_p50_ms(),
        }

    def cpu_bound_p50_ms(self) -> float | None:
        """What p50 would be on an otherwise idle machine when the CPU is the bottleneck
        (Little's law for a closed loop): clients x CPU per request / cores, where CPU
        per request is the server's plus the load client's. Only above one client per
        core; the measured p50 on a quiet machine came out about 10 % higher (kernel
        network time is not counted)."""
        cores = os.cpu_count() or 1
        if not self.ok or self.concurrency <= cores:
            return None
        per_request = (self.server_cpu_s + self.client_cpu_s) / self.ok
        return round(1000 * self.concurrency * per_request / cores, 1)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def run_load(port: int, path: str, *, concurrency: int, seconds: float, timeout: float = 30,
             expect: int = 200, server_pids: Sequence[int] = (),
             max_requests: int = HARD_REQUEST_CAP) -> LoadResult:
    """Closed loop, no think time: ``concurrency`` clients each send one GET, wait for
    the whole response, and send the next, until ``seconds`` are up. Requests in
    flight then finish (each is capped by ``timeout``). Loopback only."""
    result = LoadResult(path=path, concurrency=concurrency, seconds=seconds)
    max_requests = min(max_requests, HARD_REQUEST_CAP)
    cpu0, idle0 = cpu_seconds(server_pids), machine_ticks()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    asyncio.run(asyncio.wait_for(
        _load(port, path, concurrency, start + seconds, timeout, expect, max_requests, result),
        seconds + timeout + 10))
    result.elapsed = time.perf_counter() - start
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    idle1 = machine_ticks()
    result.server_cpu_s = cpu_seconds(server_pids) - cpu0
    result.client_cpu_s = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    total = idle1[1] - idle0[1]
    result.machine_idle_pct = 100 * (idle1[0] - idle0[0]) / total if total else 0.0
    result.other_cpu_pct = other_cpu_pct(idle0, idle1, result.server_cpu_s + result.client_cpu_s,
                                         result.elapsed)
    return result


def other_cpu_pct(ticks0: tuple[int, int], ticks1: tuple[int, int], ours_cpu_s: float,
                  elapsed: float) -> float:
    """Share of the whole machine that processes other than ours kept busy meanwhile:
    a noise indicator (another job on the same cores skews every figure)."""
    hz = os.sysconf("SC_CLK_TCK")
    busy_s = ((ticks1[1] - ticks0[1]) - (ticks1[0] - ticks0[0])) / hz
    capacity = elapsed * (os.cpu_count() or 1)
    return max(0.0, 100 * (busy_s - ours_cpu_s) / capacity) if capacity else 0.0


def wait_for_quiet(max_wait: float, threshold: float = 15.0,
                   log: Callable[[str], None] = print) -> float:
    """Wait (at most ``max_wait`` seconds) until the machine is less than ``threshold``
    % busy; return the last reading."""
    deadline = time.monotonic() + max_wait
    busy = quiet_check()
    while busy > threshold and time.monotonic() < deadline:
        log(f"machine {busy:.0f} % busy; waiting for it to quiet down "
            f"({deadline - time.monotonic():.0f} s left)")
        time.sleep(5)
        busy = quiet_check()
    return busy


def quiet_check(seconds: float = 2.0) -> float:
    """Busy share (%) of the machine over ``seconds`` before we start anything."""
    t0 = machine_ticks()
    time.sleep(seconds)
    t1 = machine_ticks()
    total = t1[1] - t0[1]
    return 100 - 100 * (t1[0] - t0[0]) / total if total else 0.0


async def _load(port: int, path: str, concurrency: int, deadline: float, timeout: float,
                expect: int, max_requests: int, result: LoadResult) -> None:
    sent = 0

    async def client() -> None:
        nonlocal sent
        while time.perf_counter() < deadline and sent < max_requests:
            sent += 1
            try:
                status, size, elapsed = await _get(port, path, timeout)
            except TimeoutError:
                _count(result, "timeout")
                continue
            except (OSError, ValueError) as exc:
                _count(result, type(exc).__name__)
                await asyncio.sleep(0.05)
                continue
            if status != expect:
                _count(result, f"http_{status}")
                continue
            result.ok += 1
            result.body_bytes = size
            result.latencies_ms.append(elapsed * 1000)

    await asyncio.gather(*(client() for _ in range(concurrency)))


def _count(result: LoadResult, kind: str) -> None:
    result.errors[kind] = result.errors.get(kind, 0) + 1


def warm_up(port: int, paths: Sequence[str], workers: int,
            expect: Mapping[str, int] | None = None) -> None:
    """Untimed requests so that every worker has imported its URLconf and compiled
    each template before anything is measured."""
    for path in paths:
        run_load(port, path, concurrency=max(2, workers * 2), seconds=30,
                 expect=(expect or {}).get(path, 200), max_requests=workers * 8)


def measure_row(server: Gunicorn, path: str, concurrency: int, seconds: float, *,
                expect: int = 200, retries: int = 0, noise_pct: float = 10.0) -> dict[str, Any]:
    """One row, measured again (up to ``retries`` times) while other processes use more
    than ``noise_pct`` % of the machine; the quietest attempt is kept."""
    attempts: list[dict[str, Any]] = []
    while len(attempts) <= retries:
        if attempts:
            wait_for_quiet(30, noise_pct, log=lambda _m: None)
        result = run_load(server.port, path, concurrency=concurrency, seconds=seconds,
                          expect=expect, server_pids=server.all_pids())
        attempts.append(result.summary())
        if attempts[-1]["other_cpu_pct"] <= noise_pct:
            break
    row = min(attempts, key=lambda r: r["other_cpu_pct"])
    row["attempts"] = len(attempts)
    return row


def serve_and_load(server: Gunicorn, ready_path: str, paths: Sequence[str],
                   concurrencies: Sequence[int], seconds: float, *,
                   expect: Mapping[str, int] | None = None, retries: int = 0,
                   noise_pct: float = 10.0,
                   log: Callable[[str], None] = print) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Start ``server``, warm it up, load every path at every concurrency (all paths
    at the first concurrency, then at the next), stop it. Returns the rows and the
    workers' memory.

    A row during which other processes used more than ``noise_pct`` % of the machine
    is measured again, up to ``retries`` times (after waiting up to 30 s for quiet),
    and the attempt with the least outside load is kept; its ``attempts`` says how
    many were made."""
    rows: list[dict[str, Any]] = []
    try:
        t0 = time.monotonic()
        server.start(ready_path=ready_path)
        log(f"gunicorn ready on {server.base} in {time.monotonic() - t0:.1f} s "
            f"(workers {server.worker_pids()})")
        warm_up(server.port, paths, server.workers, expect)
        for concurrency in concurrencies:
            for path in paths:
                row = measure_row(server, path, concurrency, seconds,
                                  expect=(expect or {}).get(path, 200), retries=retries,
                                  noise_pct=noise_pct)
                log(f"c={concurrency:<3} {path:58} {row['rps']:>7} req/s  p50 {row['p50_ms']} "
                    f"p95 {row['p95_ms']} p99 {row['p99_ms']} ms  errors {row['errors']}  "
                    f"other {row['other_cpu_pct']} %")
                rows.append(row)
        memory = server.memory()
    finally:
        server.stop()
    if server.log_tail().strip():
        log("gunicorn log (tail):\n" + server.log_tail(1500))
    return rows, memory


# --- synthetic data ------------------------------------------------------------------------

def synthetic_library(dest: Path, scale: int) -> dict[str, int]:
    """Write a library ``scale`` times the size of the real one into ``dest``: the real
    data plus ``scale - 1`` copies of every structure, with ids suffixed
    (``precondition`` -> ``precondition_c3``, ``precondition.vision`` ->
    ``precondition_c3.vision``) and related ids rewritten within each copy, so that
    it passes the loader's schema and integrity checks."""
    shutil.copytree(LIBRARY_DATA_DIR, dest)
    manifest_path = dest / "manifest.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    originals = list(manifest["structures"])
    elements = 0
    for structure_id in originals:
        raw = yaml.safe_load((dest / "structures" / f"{structure_id}.yaml").read_text(encoding="utf-8"))
        elements += _count_elements(raw["elements"])
        for copy in range(1, scale):
            clone = {**raw, "id": _suffixed(raw["id"], copy),
                     "order": raw["order"] + 100 * copy,
                     "title": {k: f"{v} ({copy + 1})" for k, v in raw["title"].items()},
                     "elements": [_clone_element(e, copy) for e in raw["elements"]]}
            (dest / "structures" / f"{clone['id']}.yaml").write_text(
                yaml.safe_dump(clone, allow_unicode=True, sort_keys=False), encoding="utf-8")
            manifest["structures"].append(clone["id"])
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    return {"structures": len(manifest["structures"]), "elements": elements * scale}


def _suffixed(element_id: str, copy: int) -> str:
    head, dot, rest = element_id.partition(".")
    return f"{head}_c{copy}{dot}{rest}"


def _clone_element(raw: dict[str, Any], copy: int) -> dict[str, Any]:
    clone = {**raw, "id": _suffixed(raw["id"], copy)}
    if "related" in raw:
        clone["related"] = [_suffixed(r, copy) for r in raw["related"]]
    if "children" in raw:
        clone["children"] = [_clone_element(c, copy) for c in raw["children"]]
    return clone


def _count_elements(raw: list[dict[str, Any]]) -> int:
    return sum(1 + _count_elements(e.get("children", [])) for e in raw)


# --- output --------------------------------------------------------------------------------

def table(rows: Sequence[dict[str, object]], columns: Sequence[tuple[str, str]]) -> str:
    """A Markdown table (it also reads fine in a terminal)."""
    cells = [[("" if row.get(key) is None else str(row.get(key))) for key, _ in columns]
             for row in rows]
    widths = [max(len(title), *(len(c[i]) for c in cells)) if cells else len(title)
              for i, (_, title) in enumerate(columns)]
    lines = ["| " + " | ".join(t.ljust(w) for (_, t), w in zip(columns, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) + " |"
              for cell in cells]
    return "\n".join(lines)
