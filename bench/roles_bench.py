"""Role check and classification throughput, and the time to make a job-description PDF.

    .venv/bin/python bench/roles_bench.py [--designs N] [--renders N] [--quick] [--json FILE]

What it does, in a temporary directory removed at the end:

1. creates a fresh instance (``migrate``, ``demo``) on SQLite, DEBUG off;
2. in this process, without the database: classifies and checks ``--designs`` random
   role designs (every phase/level combination, functions, hiring facts, a pay
   benchmark) with the pure ``classify`` and ``check_role``, timing each call, then
   ``--scale`` times as many for growth; prints calls per second, p50/p95/p99 per call
   and the growth in per-call time;
3. designs a role with ``roles.services.create_role`` and drafts its job description
   with ``roles.services.save_document``, then downloads the PDF ``--renders`` times
   through the real view (Django's test client, WeasyPrint, one process), and the same
   for a role with ``--scale`` times as many tasks (a longer document); prints
   p50/p95/max seconds, pages and the target (< 3 s);
4. prints this process's peak RSS.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import sys
import time
from typing import Any

import assessment_common as ac
import benchlib as bl

TARGET_PDF_S = 3.0


def log(message: str) -> None:
    print(f"[roles_bench] {message}", file=sys.stderr, flush=True)


def random_designs(n: int, seed: int) -> list[tuple[dict[str, list[str]], list[str], Any, int | None]]:
    from peerwork.roles.checks import RoleFacts  # noqa: PLC0415 - needs the path set up
    from peerwork.roles.classification import FUNCTIONS, LEVELS, PHASES  # noqa: PLC0415

    rng = random.Random(seed)
    designs = []
    for _ in range(n):
        involvement = {p: rng.sample(LEVELS, rng.randint(0, 3)) for p in PHASES if rng.random() < 0.6}
        functions = rng.sample(FUNCTIONS, rng.randint(0, 3))
        facts = RoleFacts(
            form=rng.choice(["role_form.care_provider", "role_form.peer_support_worker"]),
            peer_workers_in_team=rng.randint(1, 4), experienced=rng.random() < 0.5,
            former_client_of_unit=rng.random() < 0.1, peer_on_hiring_committee=rng.random() < 0.5,
            senior_peer_supervision=rng.random() < 0.5, absence_policy_agreed=rng.random() < 0.5,
            information_sharing=rng.choice(["", "consent_only", "medical_file"]),
            experience_matches=rng.random() < 0.8,
            annual_salary_nok=rng.choice([None, rng.randint(300_000, 600_000)]))
        designs.append((involvement, functions, facts, rng.choice([None, 450_000])))
    return designs


def pure_case(n: int, seed: int) -> dict[str, Any]:
    from peerwork.roles.checks import check_role  # noqa: PLC0415
    from peerwork.roles.classification import classify  # noqa: PLC0415

    designs = random_designs(n, seed)
    per_call: list[float] = []
    findings = 0
    started = time.perf_counter()
    for involvement, functions, facts, benchmark in designs:
        t0 = time.perf_counter_ns()
        classify(involvement=involvement, functions=functions)
        findings += len(check_role(facts, pay_benchmark_nok=benchmark))
        per_call.append((time.perf_counter_ns() - t0) / 1000)
    elapsed = time.perf_counter() - started
    per_call.sort()
    return {"designs": n, "seconds": round(elapsed, 2), "per_s": round(n / elapsed),
            "p50_us": round(bl.pct(per_call, 0.5) or 0, 1), "p95_us": round(bl.pct(per_call, 0.95) or 0, 1),
            "p99_us": round(bl.pct(per_call, 0.99) or 0, 1), "findings_per_design": round(findings / n, 2)}


def pdf_case(world: ac.Demo, tasks: int, renders: int, label: str) -> dict[str, Any]:
    from django.test import Client  # noqa: PLC0415
    from pypdf import PdfReader  # noqa: PLC0415

    from peerwork.roles import services  # noqa: PLC0415

    role = services.create_role(actor=world.manager, organisation=world.organisation, data={
        "title": f"Erfaringskonsulent ({label})", "form": "role_form.care_provider",
        "team": "ROP-teamet", "target_group": "Adults with co-occurring problems. " * 5,
        "lived_experience": "Own recovery from substance use. " * 3, "experience_matches": True,
        "involvement": {"service_cycle.design": ["involvement_level.service"],
                        "service_cycle.delivery": ["involvement_level.individual"]},
        "functions": ["model4.function.co_producing_delivery"],
        "tasks": "\n".join(f"Task {i}: follow-up and recovery groups with service users"
                           for i in range(tasks))[:4000]})
    services.save_document(actor=world.manager, role=role, kind="job_description", language="en",
                           based_on=None)
    if tasks > 40:  # the design caps tasks at 4,000 characters: make the document longer itself
        from django_scopes import scopes_disabled  # noqa: PLC0415

        from peerwork.roles.models import DocumentVersion  # noqa: PLC0415

        with scopes_disabled():
            first = DocumentVersion.objects.get(role=role)
        extra = "\n".join(f"- Task {i}: follow-up and recovery groups" for i in range(tasks))
        services.save_document(actor=world.manager, role=role, kind="job_description",
                               language="en", based_on=first.number, title=first.title,
                               body=(first.body + "\n\n# More tasks\n" + extra)[:20_000])
    client = Client()
    client.force_login(world.manager)
    path = f"/o/{world.slug}/roles/{role.pk}/documents/job_description/en/pdf/"
    client.get(path)  # the first render loads fonts and WeasyPrint's CSS
    times, size, pages = [], 0, 0
    for _ in range(renders):
        t0 = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
    times.sort()
    return {"case": label, "tasks": tasks, "pages": pages, "pdf_kib": round(size / 1024),
            "renders": renders, "p50_s": round(bl.pct(times, 0.5) or 0, 2),
            "p95_s": round(bl.pct(times, 0.95) or 0, 2), "max_s": round(times[-1], 2),
            "met": "yes" if (bl.pct(times, 0.95) or 0) < TARGET_PDF_S else "NO"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--designs", type=int, default=20_000)
    ap.add_argument("--renders", type=int, default=10)
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", type=str)
    args = ap.parse_args()
    if args.quick:
        args.designs, args.renders = 2_000, 3
    report: dict[str, Any] = {"machine": bl.machine()}
    report["machine"]["busy_before_pct"] = round(bl.quiet_check())
    with bl.temp_dir("peerwork-bench-roles-") as tmp:
        env = bl.app_env(tmp / "data")
        log("fresh instance: migrate, demo")
        bl.manage(env, "migrate", "--noinput", "-v", "0")
        bl.manage(env, "demo")
        ac.setup_django(env)
        log("classification and checks")
        report["pure"] = [pure_case(args.designs, 1), pure_case(args.designs * args.scale, 2)]
        growth = report["pure"][1]["p50_us"] / max(report["pure"][0]["p50_us"], 0.001)
        report["pure_growth_p50"] = round(growth, 2)
        log("job-description PDF")
        world = ac.demo_world()
        report["pdf"] = [pdf_case(world, 4, args.renders, "typical"),
                         pdf_case(world, 4 * args.scale * 10, max(3, args.renders // 3),
                                  f"long ({args.scale}x tasks and more)")]
        ac.close_db()
    report["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    print(f"\n## Role check and classification (pure, one process; machine busy "
          f"{report['machine']['busy_before_pct']} % before)\n")
    print(bl.table(report["pure"], [("designs", "designs"), ("seconds", "s"),
                                    ("per_s", "designs/s"), ("p50_us", "p50 µs"),
                                    ("p95_us", "p95 µs"), ("p99_us", "p99 µs"),
                                    ("findings_per_design", "findings/design")]))
    print(f"\nper-call p50 growth with {args.scale}x designs: x{report['pure_growth_p50']}")
    print("\n## Job-description PDF through the view (WeasyPrint, test client, one process)\n")
    print(bl.table(report["pdf"], [("case", "case"), ("tasks", "tasks"), ("pages", "pages"),
                                   ("pdf_kib", "PDF KiB"), ("renders", "n"), ("p50_s", "p50 s"),
                                   ("p95_s", "p95 s"), ("max_s", "max s"), ("met", "< 3 s")]))
    print(f"\npeak RSS of the benchmark process: {report['peak_rss_mib']} MiB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, default=str)


if __name__ == "__main__":
    main()
