"""Time to render the whole framework library as a PDF, through the real builder.

    .venv/bin/python bench/library_pdf.py [--seconds N] [--quick] [--scale 10] [--json FILE]

Each case runs in a fresh child process (so that its peak memory is its own): Django
starts on a throwaway data directory, then the registered builder for the
``framework_library`` report kind (``peerwork.framework.reports.build``, the code a
background job runs) renders a ``ReportJob`` in that language; the job is not saved.
Cases: English and Norwegian on the real library, and English on a synthetic library
``--scale`` times larger (every structure cloned with suffixed ids, read through
``PEERWORK_LIBRARY_DIR``).

Printed per case: render seconds (best and median when ``--seconds`` allows more than
one render), pages (``pdfinfo``), seconds per page, the slowest part, peak RSS
(``ru_maxrss``) and RSS before rendering. ``--profile`` adds a cProfile of one English
render to the output.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
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

import benchlib as bl

TARGET_S = 10.0  # a 40-page library PDF
TARGET_PAGES = 40


def log(message: str) -> None:
    print(f"[library_pdf] {message}", file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=0.0,
                    help="render each real-library case again until this many seconds have "
                         "passed (default 0: once) and report best and median")
    ap.add_argument("--quick", action="store_true", help="English only, growth at 3x")
    ap.add_argument("--scale", type=int, default=10, help="size of the synthetic library")
    ap.add_argument("--languages", default="en,nb")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one en render")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory and PDFs")
    ap.add_argument("--child", help=argparse.SUPPRESS)  # internal: one case in this process
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait up to this long for other work on the machine to stop")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.out, args.seconds, args.profile)))
        return
    if args.quick:
        args.languages, args.scale = "en", min(args.scale, 3)

    started = time.monotonic()
    report: dict[str, Any] = {"machine": bl.machine()}
    busy = bl.wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else bl.quiet_check()
    report["machine"]["busy_before_pct"] = round(busy)
    if busy > 10:
        log(f"the machine is {busy:.0f} % busy before the benchmark starts: other work on these "
            "cores will skew the figures (column 'other %')")
    with bl.temp_dir("peerwork-bench-pdf-", keep=args.keep) as tmp:
        env = bl.app_env(tmp / "data")
        cases: list[tuple[str, int, Path | None]] = [
            (lang, 1, None) for lang in args.languages.split(",")]
        if args.scale > 1:
            lib_dir = tmp / f"library_x{args.scale}"
            size = bl.synthetic_library(lib_dir, args.scale)
            log(f"synthetic library x{args.scale}: {size['structures']} structures, "
                f"{size['elements']} elements")
            cases.append(("en", args.scale, lib_dir))
        rows = []
        for lang, scale, lib_dir in cases:
            out = tmp / f"library-{lang}-x{scale}.pdf"
            case_env = {**env, "PEERWORK_LIBRARY_DIR": str(lib_dir)} if lib_dir else env
            cmd = [sys.executable, __file__, "--child", lang, "--out", str(out),
                   "--seconds", str(args.seconds if scale == 1 else 0)]
            if args.profile and lang == "en" and scale == 1:
                cmd.append("--profile")
            log(f"rendering {lang} x{scale} ...")
            done = subprocess.run(cmd, env=case_env, cwd=bl.REPO, capture_output=True, text=True,
                                  timeout=900, check=False)
            if done.returncode != 0:
                raise SystemExit(f"case {lang} x{scale} failed:\n{done.stderr[-3000:]}")
            if done.stderr.strip() and args.profile:
                print(done.stderr)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            figures.update(language=lang, scale=scale, pages=page_count(out))
            figures["s_per_page"] = round(figures["render_s_best"] / figures["pages"], 3)
            if scale == 1:
                figures["s_per_40_pages"] = round(figures["s_per_page"] * TARGET_PAGES, 1)
                figures["met"] = "yes" if figures["s_per_40_pages"] < TARGET_S else "NO"
            rows.append(figures)
            log(f"{lang} x{scale}: {figures['pages']} pages in {figures['render_s_best']} s, "
                f"peak RSS {figures['peak_rss_mib']} MiB")
        report["cases"] = rows

    print("\n## Framework library PDF (WeasyPrint, one process, real builder)\n")
    print(bl.table(rows, [
        ("language", "lang"), ("scale", "library"), ("elements", "elements"), ("pages", "pages"),
        ("render_s_best", "render s"), ("render_s_median", "median s"), ("renders", "n"),
        ("cpu_s_per_render", "CPU s"),
        ("s_per_page", "s/page"), ("s_per_40_pages", "s per 40 pages"), ("met", "< 10 s"),
        ("slowest_part", "slowest part"), ("pdf_kib", "PDF KiB"),
        ("rss_before_mib", "RSS before MiB"), ("peak_rss_mib", "peak RSS MiB"),
        ("setup_s", "start-up s"), ("other_cpu_pct", "other %")]))
    grown = [r for r in rows if r["scale"] > 1]
    base = next((r for r in rows if r["scale"] == 1 and r["language"] == "en"), None)
    if grown and base:
        g = grown[0]
        print(f"\nx{g['scale']} library: pages x{g['pages'] / base['pages']:.1f}, "
              f"render time x{g['render_s_best'] / base['render_s_best']:.1f}, "
              f"peak RSS x{g['peak_rss_mib'] / base['peak_rss_mib']:.1f} "
              f"(+{g['peak_rss_mib'] - base['peak_rss_mib']:.0f} MiB)")
    print("\n'other %': share of the machine's CPU that other processes used during the render.")
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(f"(wall time {report['wall_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60,
                              check=False)
        match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
        if match:
            return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))  # without poppler-utils


# --- child: one case --------------------------------------------------------------------------

def child(language: str, out: Path, seconds: float, profile: bool) -> dict[str, Any]:
    t0 = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django  # noqa: PLC0415 - the child sets up Django itself

    django.setup()
    from peerwork.framework.library import get_library  # noqa: PLC0415 - needs settings
    from peerwork.framework.reports import KIND  # noqa: PLC0415
    from peerwork.reports.models import ReportJob  # noqa: PLC0415
    from peerwork.reports.tasks import BUILDERS  # noqa: PLC0415

    library = get_library()
    setup_s = time.perf_counter() - t0
    rss_before = bl.proc_status_kb(os.getpid(), "VmRSS")
    builder = BUILDERS[KIND]
    renders: list[float] = []
    steps: list[float] = []
    pdf = b""
    ticks0 = bl.machine_ticks()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.perf_counter()
    deadline = wall0 + seconds
    while not renders or (time.perf_counter() < deadline and len(renders) < 50):
        marks = [time.perf_counter()]
        start = marks[0]
        built = builder(ReportJob(kind=KIND, language=language),
                        lambda _done, _total, marks=marks: marks.append(time.perf_counter()))
        renders.append(time.perf_counter() - start)
        steps = [b - a for a, b in itertools.pairwise(marks)]
        pdf = built.pdf
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter() - wall0
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    other = bl.other_cpu_pct(ticks0, bl.machine_ticks(), cpu, wall)
    out.write_bytes(pdf)
    # steps[0] is the front matter's trial layout plus the first structure; the last
    # step is the final front matter and joining; the others are one structure each.
    names = ["(front trial) + " + library.structures[0].id,
             *[s.id for s in library.structures[1:]], "(front + join)"]
    slowest = max(range(len(steps)), key=lambda i: steps[i]) if steps else 0
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        builder(ReportJob(kind=KIND, language=language), lambda _d, _t: None)
        prof.disable()
        text = io.StringIO()
        stats = pstats.Stats(prof, stream=text)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(text.getvalue(), file=sys.stderr)
    return {
        "elements": len(library.elements), "setup_s": round(setup_s, 1),
        "render_s_best": round(min(renders), 2), "render_s_median": round(statistics.median(renders), 2),
        "renders": len(renders), "cpu_s_per_render": round(cpu / len(renders), 2),
        "pdf_kib": round(len(pdf) / 1024), "parts": len(steps),
        "slowest_part": f"{names[slowest] if slowest < len(names) else slowest} "
                        f"{steps[slowest]:.1f} s" if steps else "",
        "rss_before_mib": round(rss_before / 1024),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "other_cpu_pct": round(other),
    }


if __name__ == "__main__":
    main()
