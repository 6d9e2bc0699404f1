"""Qualitative analysis: importing transcripts, marking and coding a unit, the project
page, and the REFI-QDA export, each at 1x and 10x.

    .venv/bin/python bench/qualitative_bench.py [--quick] [--json FILE]

What it does, all in a temporary directory that is removed at the end:

1. creates a fresh instance (``migrate``) on SQLite with DEBUG off and production mode
   off (or on the database of ``DATABASE_URL``, which must be empty), and sets Django up
   in this process;
2. import: writes synthetic focus-group transcripts as WebVTT files of 10 pages each
   (a page is 3,000 characters: Norwegian sentences with æøå, some emoji, six speakers)
   and imports them with ``qualitative.services.import_document`` (what the upload view
   and the API call): 200 pages (1x) and 2,000 pages (10x) in separate projects;
3. coding: seeds 10,000 coded meaning units (1x) and 100,000 (10x) over the imported
   documents with ``bulk_create``, then, through Django's test client in this process
   (no HTTP server), POSTs the HTMX "mark and code" request 200 times (50 at 10x) on
   fresh spans and reports p50/p95/p99; the answer is the re-drawn coding area of a
   document holding 500 (5,000) units;
4. the project page with those 10,000 (100,000) units: 30 GETs each, p50/p95 of wall
   time and of this process's CPU time (the machine is shared: CPU time is the steadier);
5. the .qdpx export of each project (``refi.export_qdpx``, schema validation included),
   timed, with the peak of Python allocations during one more run (tracemalloc).

Peak RSS of this process is printed at the end. Figures are from one process on a
machine shared with other developers, so they are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import assessment_common as ac
import benchlib as bl

PAGE_CHARS = 3000
PAGES_PER_FILE = 10
TARGETS = {"import_200_pages_s": 10.0, "code_p95_ms": 100.0, "project_page_ms": 500.0,
           "qdpx_export_s": 10.0}
SENTENCES = [
    "Vi ble sett på som likeverdige i teamet etter hvert.",
    "Det tok tid å finne rollen, og lederen måtte forklare den for de andre.",
    "Erfaringen min ble brukt i møter om å endre rutiner 🙂.",
    "Noen kolleger var usikre på taushetsplikten i starten.",
    "Brukerne sa at det var lettere å snakke med en som har vært der selv.",
    "Vi trengte veiledning fra noen med samme bakgrunn.",
    "Økonomien avgjorde om stillingen ble videreført.",
    "Jeg følte meg alene som erfaringskonsulent på avdelingen.",
]
SPEAKERS = ["Kari Nordmann", "Ola Hansen", "Åse Øvrebø", "Per Ødegård", "Lise Berg", "Moderator"]


def log(message: str) -> None:
    print(f"[qualitative_bench] {message}", file=sys.stderr, flush=True)


def transcript(rng: random.Random, pages: int) -> bytes:
    """A WebVTT transcript of about ``pages`` pages."""
    lines, size, second = ["WEBVTT", ""], 0, 0
    while size < pages * PAGE_CHARS:
        said = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))
        who = rng.choice(SPEAKERS)
        lines += [f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000 --> "
                  f"{(second + 5) // 3600:02d}:{(second + 5) // 60 % 60:02d}:{(second + 5) % 60:02d}.000",
                  f"<v {who}>{said}", ""]
        size += len(said)
        second += 5
    return "\n".join(lines).encode()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed_world() -> tuple[Any, Any]:
    from peerwork.accounts.models import User  # noqa: PLC0415 - after django.setup()
    from peerwork.orgs import services as org_services  # noqa: PLC0415
    from peerwork.orgs.enums import OrganisationType, Role  # noqa: PLC0415

    admin = User.objects.create_superuser("bench-admin@bench.test", "bench-password-1")
    organisation = org_services.create_organisation(
        actor=admin, name="Bench kommune", type=OrganisationType.MUNICIPAL, region="Vestland")
    analyst = User.objects.create_user("bench-analyst@bench.test", "bench-password-1", name="Analytiker")
    org_services.add_member(actor=admin, organisation=organisation, user=analyst, role=Role.PEER_WORKER)
    return organisation, analyst


def import_pages(organisation: Any, analyst: Any, pages: int, rng: random.Random) -> dict[str, Any]:
    from peerwork.qualitative import services  # noqa: PLC0415

    project = services.create_project(actor=analyst, organisation=organisation,
                                       title=f"Bench {pages} pages")
    files = [transcript(rng, PAGES_PER_FILE) for _ in range(pages // PAGES_PER_FILE)]
    started = time.perf_counter()
    for number, data in enumerate(files):
        services.import_document(actor=analyst, project=project, filename=f"fg{number}.vtt", data=data)
    seconds = time.perf_counter() - started
    mb = sum(len(f) for f in files) / 1e6
    return {"project": project, "pages": pages, "files": len(files), "mb": round(mb, 2),
            "seconds": round(seconds, 2), "pages_per_s": round(pages / seconds, 1)}


def seed_units(project: Any, analyst: Any, count: int, rng: random.Random) -> list[Any]:
    """``count`` meaning units over the project's documents, each with one or two codes."""
    from django_scopes import scope  # noqa: PLC0415

    from peerwork.qualitative import services  # noqa: PLC0415
    from peerwork.qualitative.models import Document, MeaningUnit  # noqa: PLC0415

    group = services.create_group(actor=analyst, project=project, name="Medskaping")
    codes = [services.create_code(actor=analyst, project=project, name=f"kode {i}", group_id=group.pk)
             for i in range(40)]
    with scope(organisation=project.organisation):
        documents = list(Document.objects.filter(project=project))
        per_document = count // len(documents)
        units = []
        for document in documents:
            length = len(document.text)
            for _ in range(per_document):
                start = rng.randrange(0, length - 400)
                end = start + rng.randint(20, 380)
                units.append(MeaningUnit(project=project, organisation=project.organisation,
                                         document=document, start=start, end=end,
                                         text=document.text[start:end], author=analyst))
        MeaningUnit.objects.bulk_create(units, batch_size=2000)
        through = MeaningUnit.codes.through
        links = [through(meaningunit_id=u.pk, code_id=c.pk) for u in units
                 for c in rng.sample(codes, rng.choice((1, 1, 2)))]
        through.objects.bulk_create(links, batch_size=5000)
    return documents


def measure_coding(client: Any, slug: str, project: Any, documents: list[Any], n: int,
                   rng: random.Random) -> dict[str, Any]:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    times, cpu = [], []
    queries = 0
    for i in range(n):
        document = documents[i % len(documents)]
        start = rng.randrange(0, len(document.text) - 200)
        path = f"/o/{slug}/analysis/{project.pk}/documents/{document.pk}/units/"
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.post(path, {"start": start, "end": start + 120, "code": "kode 3"},
                                   headers={"HX-Request": "true"})
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        queries = len(captured)
        if response.status_code != 200:
            raise SystemExit(f"coding answered {response.status_code}")
    kb = len(response.content) / 1024
    return {"n": n, "p50_ms": round(pct(times, 0.5), 1), "p95_ms": round(pct(times, 0.95), 1),
            "p99_ms": round(pct(times, 0.99), 1), "cpu_p50_ms": round(pct(cpu, 0.5), 1),
            "cpu_p95_ms": round(pct(cpu, 0.95), 1), "queries": queries, "kb": round(kb, 1)}


def measure_page(client: Any, path: str, n: int) -> dict[str, Any]:
    # The number of queries is checked by tests/qualitative/test_pages.py (it does not grow
    # with the units); counting here is unreliable, as each request closes the connection.
    response = client.get(path)  # warm
    times, cpu = [], []
    for _ in range(n):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    return {"n": n, "p50_ms": round(pct(times, 0.5), 1), "p95_ms": round(pct(times, 0.95), 1),
            "cpu_p50_ms": round(pct(cpu, 0.5), 1), "cpu_p95_ms": round(pct(cpu, 0.95), 1),
            "kb": round(len(response.content) / 1024, 1)}


def measure_export(project: Any, *, trace: bool) -> dict[str, Any]:
    """Time one export; with ``trace`` run it again under tracemalloc for its peak
    (tracemalloc makes it many times slower, so only at 1x)."""
    from peerwork.qualitative import refi  # noqa: PLC0415

    began = time.perf_counter()
    project_xml, _files = refi.project_qde(project)
    xml_seconds = time.perf_counter() - began
    began, began_cpu = time.perf_counter(), time.process_time()
    data = refi.export_qdpx(project)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - began_cpu
    peak = None
    if trace:
        tracemalloc.start()
        refi.export_qdpx(project)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
            "xml_seconds": round(xml_seconds, 2),
            "mb": round(len(data) / 1e6, 2), "xml_mb": round(len(project_xml) / 1e6, 1),
            "peak_alloc_mb": round(peak / 1e6, 1) if peak else "–"}


def run(scales: list[tuple[str, int, int, int]]) -> dict[str, Any]:
    from django.test import Client  # noqa: PLC0415

    rng = random.Random(6)
    organisation, analyst = seed_world()
    client = Client()
    client.force_login(analyst, backend="allauth.account.auth_backends.AuthenticationBackend")
    results: dict[str, Any] = {"machine": bl.machine(), "rows": []}
    for label, pages, units, coding_n in scales:
        log(f"{label}: importing {pages} pages")
        imported = import_pages(organisation, analyst, pages, rng)
        project = imported.pop("project")
        log(f"{label}: imported {imported}; seeding {units} units")
        documents = seed_units(project, analyst, units, rng)
        log(f"{label}: coding")
        coding = measure_coding(client, organisation.slug, project, documents, coding_n, rng)
        log(f"{label}: coding {coding}; project page")
        page = measure_page(client, f"/o/{organisation.slug}/analysis/{project.pk}/", 30)
        log(f"{label}: page {page}; export")
        export = measure_export(project, trace=label == "1x")
        log(f"{label}: import {imported} coding {coding} page {page} export {export}")
        results["rows"].append({"scale": label, "import": imported, "coding": coding,
                                "project_page": page, "qdpx": export, "units": units})
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def report(results: dict[str, Any]) -> str:
    lines = ["| scale | pages | import s | units | code p50 / p95 ms | code CPU p50 / p95 ms | "
             "page p50 / p95 ms | page CPU p50 / p95 ms | .qdpx s (CPU s) | "
             ".qdpx MB | export peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in results["rows"]:
        imp, cod, page, exp = row["import"], row["coding"], row["project_page"], row["qdpx"]
        lines.append(
            f"| {row['scale']} | {imp['pages']} | {imp['seconds']} | {row['units']} | "
            f"{cod['p50_ms']} / {cod['p95_ms']} | {cod['cpu_p50_ms']} / {cod['cpu_p95_ms']} | "
            f"{page['p50_ms']} / {page['p95_ms']} | {page['cpu_p50_ms']} / {page['cpu_p95_ms']} | "
            f"{exp['seconds']} ({exp['cpu_seconds']}) | {exp['mb']} | "
            f"{exp['peak_alloc_mb']} |")
    first = results["rows"][0]
    met = {
        "import 200 pages < 10 s": first["import"]["seconds"] < TARGETS["import_200_pages_s"],
        "coding p95 < 100 ms": first["coding"]["p95_ms"] < TARGETS["code_p95_ms"],
        "project page (10,000 units) < 500 ms": first["project_page"]["p95_ms"] < TARGETS["project_page_ms"],
        ".qdpx export (10,000 units) < 10 s": first["qdpx"]["seconds"] < TARGETS["qdpx_export_s"],
    }
    lines.append("")
    lines += [f"- {name}: {'met' if ok else 'MISSED'}" for name, ok in met.items()]
    lines.append(f"- peak RSS of the process: {results['peak_rss_mb']} MB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x with fewer coding requests")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scales = [("1x", 200, 10_000, 200), ("10x", 2000, 100_000, 20 if args.quick else 50)]
    with bl.temp_dir("peerwork-qual-bench-") as data_dir:
        extra = {"DATABASE_URL": os.environ["DATABASE_URL"]} if os.environ.get("DATABASE_URL") else {}
        env = bl.app_env(data_dir, **extra)
        log("migrating a fresh instance")
        bl.manage(env, "migrate", "--no-input")
        ac.setup_django(env)
        results = run(scales)
        ac.close_db()
    print(json.dumps(results["machine"]))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
