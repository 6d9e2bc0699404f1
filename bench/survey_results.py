"""A survey wave's results page, exports and PDF report at 10,000 and 100,000 respondents.

    .venv/bin/python bench/survey_results.py [--sizes 10000 100000] [--questions 60]
                                             [--json FILE] [--keep]

What it does, in a temporary SQLite instance that is removed at the end:

1. ``migrate``; in this process, as the platform administrator, creates an
   organisation with an analyst, a survey of ``--questions`` questions (the shape of
   tests/surveys/frames.py: two background questions, salary and other numbers, a
   date, Likert items, a multiple choice, a matrix, short and long text), publishes
   it with the real services and opens one wave per size; the responses are
   generated with numpy (tests/surveys/frames.py) and bulk-created as submitted
   rows through the ORM, answers in the JSON shape the respondent flow stores;
2. for each size, runs every measurement in a fresh child process, so that each
   peak RSS (``ru_maxrss``) belongs to that measurement alone:

   * ``frame``: reading the wave's data frame (``queries.wave_frame``), the floor
     under every other figure;
   * ``page``: ``GET …/results/`` through Django's test client, computing in the
     request whatever the wave's size (PEERWORK_RESULTS_INLINE_MAX raised for it): the
     first request (cold: frame, suppressed tables, charts, all cached in the database
     cache), then ``--warm`` more (warm: read from the cache), with p50/p95/max;
   * ``export:<name>``: the answer-level CSV, XLSX and SPSS .sav and the aggregate
     CSV, each streamed to /dev/null through the test client, with bytes, seconds and
     peak RSS;
   * ``pdf``: the wave report's PDF through the registered builder (the code the
     background job runs), with its page count from ``pdfinfo``;
   * ``first-view``: the background path of a wave above PEERWORK_RESULTS_INLINE_MAX
     (2,000): the results task (tables, and the charts in both languages) run as the
     worker runs it; then ``--new`` more answers arrive, and the first page view and
     API read after them (the newest tables shown with the "updating" notice, one task
     queued), the task again, and the view after it;
3. prints a table and the growth from the smaller to the larger size.

Targets (issue 4): results page over 100,000 × 60 under 1 s warm; exports of
100,000 respondents stream with peak memory under 500 MB; the PDF under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import benchlib as bl

REPO = bl.REPO
TARGET_PAGE_WARM_S = 1.0
TARGET_EXPORT_MB = 500.0
TARGET_PDF_S = 10.0
EXPORTS = ("answers.csv", "answers.xlsx", "answers.sav", "aggregate.csv")


def log(message: str) -> None:
    print(f"[survey_results] {message}", file=sys.stderr, flush=True)


def setup(data_dir: Path) -> None:
    env = bl.app_env(data_dir)
    for key in ("PEERWORK_PRODUCTION", "DATABASE_URL", "DB", "SQLITE_PATH", "DEBUG"):
        os.environ.pop(key, None)
    os.environ.update({k: v for k, v in env.items()
                       if k.startswith("PEERWORK_") or k in {"DEBUG", "LOG_LEVEL"}})
    os.environ["DJANGO_SETTINGS_MODULE"] = "peerwork.settings"
    sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]
    import django  # noqa: PLC0415 - only once the environment points at the instance

    django.setup()


def stored_answers(definition: Any, frame: Any) -> list[dict[str, Any]]:
    """Rows of the contract frame turned back into the JSON the respondent flow stores."""
    import pandas as pd  # noqa: PLC0415

    records: list[dict[str, Any]] = [{} for _ in range(len(frame))]
    for q in definition.questions():
        if q.type == "multiple":
            columns = {c.value: frame[f"{q.id}__{c.value}"] for c in q.choice_list}
            shown = columns[q.choice_list[0].value].notna().to_numpy()
            chosen = {v: col.fillna(False).to_numpy(dtype=bool) for v, col in columns.items()}
            for i in range(len(frame)):
                if shown[i]:
                    records[i][q.id] = [v for v in chosen if chosen[v][i]]
        elif q.type == "matrix":
            rows = {r.id: frame[f"{q.id}__{r.id}"].astype("object") for r in q.rows}
            for i in range(len(frame)):
                cells = {r: v for r, col in rows.items() if not pd.isna(v := col.iat[i])}
                if cells:
                    records[i][q.id] = cells
        else:
            column = frame[q.id].astype("object")
            for i, value in enumerate(column):
                if not pd.isna(value):
                    records[i][q.id] = float(value) if q.type == "number" else str(value)
    return records


def seed(data_dir: Path, sizes: list[int], questions: int) -> dict[str, Any]:
    bl.manage(bl.app_env(data_dir), "migrate", "--no-input", timeout=600)
    setup(data_dir)
    import datetime as dt  # noqa: PLC0415

    from allauth.mfa.models import Authenticator  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from peerwork.accounts.models import User  # noqa: PLC0415
    from peerwork.orgs import services as org_services  # noqa: PLC0415
    from peerwork.orgs.enums import OrganisationType, Role  # noqa: PLC0415
    from peerwork.surveys import services  # noqa: PLC0415
    from peerwork.surveys.enums import ResponseStatus  # noqa: PLC0415
    from peerwork.surveys.models import Response  # noqa: PLC0415
    from surveys import frames  # noqa: PLC0415 - the tests' generator

    admin = User.objects.create_superuser("admin@bench.test", "bench-password-1", name="Admin")
    org = org_services.create_organisation(actor=admin, name="Bench national",
                                           type=OrganisationType.NATIONAL, region="Norge")
    analyst = User.objects.create_user("analyst@bench.test", "bench-password-1", name="Analyst")
    org_services.add_member(actor=admin, organisation=org, user=analyst, role=Role.ANALYST)
    # Analysts must use two-factor authentication; record an authenticator as the tests do.
    Authenticator.objects.create(user=analyst, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    raw = frames.definition_dict(questions)
    survey = services.create_survey(actor=analyst, organisation=org, definition=raw)
    version = services.draft_of(survey)
    assert version is not None
    version = services.publish_version(actor=analyst, version=version)
    definition = frames.load_definition(raw)
    waves = {}
    for size in sizes:
        wave = services.open_wave(
            actor=analyst, version=version, title=f"Bench {size}",
            closes_on=timezone.localdate() + dt.timedelta(days=30), purpose="Benchmark.",
            stored="Answers.", retention="A day.", contact="bench@bench.test")
        started = time.perf_counter()
        frame = frames.frame(definition, size, seed=size)
        records = stored_answers(definition, frame)
        today = timezone.localdate()
        with scopes_disabled():
            for start in range(0, size, 5000):
                Response.objects.bulk_create([
                    Response(wave=wave, organisation=org, key_hash=f"{wave.pk}-{start + i}",
                             status=ResponseStatus.SUBMITTED, consented=True, started_on=today,
                             submitted_on=today, answers=answers)
                    for i, answers in enumerate(records[start:start + 5000])])
        log(f"seeded {size} responses × {len(definition.variables())} variables "
            f"in {time.perf_counter() - started:.0f} s")
        waves[str(size)] = wave.pk
    return {"slug": org.slug, "waves": waves, "variables": len(definition.variables())}


def add_answers(wave: Any, count: int, seed: int) -> None:
    """``count`` more submitted responses, generated like the seeded ones."""
    from django.utils import timezone  # noqa: PLC0415
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from peerwork.surveys import results_queries  # noqa: PLC0415
    from peerwork.surveys.enums import ResponseStatus  # noqa: PLC0415
    from peerwork.surveys.models import Response  # noqa: PLC0415
    from surveys import frames  # noqa: PLC0415 - the tests' generator

    definition = results_queries.definition(wave)
    today = timezone.localdate()
    with scopes_disabled():
        Response.objects.bulk_create([
            Response(wave=wave, organisation=wave.organisation, key_hash=f"new-{seed}-{i}",
                     status=ResponseStatus.SUBMITTED, consented=True, started_on=today,
                     submitted_on=today, answers=answers)
            for i, answers in enumerate(stored_answers(definition, frames.frame(definition, count,
                                                                                seed=seed)))])


def first_view(client: Any, base: str, api: str, wave: Any, new: int) -> dict[str, Any]:
    """The background path: what the first view after new answers costs, and the task."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from peerwork.surveys import tasks  # noqa: PLC0415

    def timed(call: Any) -> tuple[float, Any]:
        began = time.perf_counter()
        value = call()
        return time.perf_counter() - began, value

    result: dict[str, Any] = {}
    result["task_first_s"], _ = timed(lambda: tasks.refresh_wave_results.call(wave_id=wave.pk))
    result["view_fresh_s"], _ = timed(lambda: client.get(f"{base}/results/"))
    add_answers(wave, new, seed=wave.pk)
    result["first_view_s"], page = timed(lambda: client.get(f"{base}/results/"))
    assert page.status_code == 200, page.status_code
    assert b"Updating:" in page.content
    result["api_first_s"], body = timed(lambda: client.get(api).json())
    assert body["updating"]
    assert body["submitted"] - body["respondents"] == new, body["submitted"]
    result["queued"] = DBTaskResult.objects.count()
    result["task_s"], _ = timed(lambda: tasks.refresh_wave_results.call(wave_id=wave.pk))
    result["view_after_s"], page = timed(lambda: client.get(f"{base}/results/"))
    assert b"Updating:" not in page.content
    result["seconds"] = result["first_view_s"]
    return result


def child(data_dir: Path, task: str, wave_id: int, slug: str, warm: int,
          new: int = 20) -> dict[str, Any]:
    """One measurement in this fresh process; prints a JSON line."""
    if task in ("page", "pdf"):
        # These measure computing in the request (as below PEERWORK_RESULTS_INLINE_MAX),
        # what the page cost before the background path and what its task costs now.
        os.environ["PEERWORK_RESULTS_INLINE_MAX"] = str(10**9)
    setup(data_dir)
    from django.test import Client  # noqa: PLC0415

    from peerwork.accounts.models import User  # noqa: PLC0415
    from peerwork.surveys import queries  # noqa: PLC0415
    from peerwork.surveys.models import Wave  # noqa: PLC0415

    analyst = User.objects.get(email="analyst@bench.test")
    client = Client()
    client.force_login(analyst, backend="allauth.account.auth_backends.AuthenticationBackend")
    base = f"/o/{slug}/surveys/waves/{wave_id}"
    result: dict[str, Any] = {"task": task}
    started = time.perf_counter()
    if task == "frame":
        from django_scopes import scopes_disabled  # noqa: PLC0415

        with scopes_disabled():
            wave = Wave.objects.select_related("version", "organisation", "survey").get(pk=wave_id)
        frame = queries.wave_frame(wave)
        result["seconds"] = time.perf_counter() - started
        result["shape"] = list(frame.shape)
    elif task == "page":
        response = client.get(f"{base}/results/")
        assert response.status_code == 200, response.status_code
        result["cold_s"] = time.perf_counter() - started
        times = []
        for _ in range(warm):
            began = time.perf_counter()
            response = client.get(f"{base}/results/")
            assert response.status_code == 200
            times.append(time.perf_counter() - began)
        times.sort()
        result.update(warm_p50_s=times[len(times) // 2], warm_p95_s=bl_percentile(times, 95),
                      warm_max_s=times[-1], kb=len(response.content) // 1024)
    elif task == "first-view":
        from django_scopes import scopes_disabled  # noqa: PLC0415

        with scopes_disabled():
            wave = Wave.objects.select_related("version", "organisation", "survey").get(pk=wave_id)
        result.update(first_view(client, base, f"/api/v1/organisations/{slug}/surveys/waves/"
                                 f"{wave_id}/results", wave, new))
    elif task.startswith("export:"):
        if task.startswith("export:aggregate"):
            # The aggregate files read the tables the results page shows; for a large wave
            # the background task computes them: here in a forked process, untimed, so
            # neither its time nor its memory is counted (first-view measures it).
            from django.db import connections  # noqa: PLC0415

            from peerwork.surveys import tasks  # noqa: PLC0415

            connections.close_all()
            pid = os.fork()
            if pid == 0:
                tasks.refresh_wave_results.call(wave_id=wave_id, what=tasks.TABLES)
                os._exit(0)
            os.waitpid(pid, 0)
            started = time.perf_counter()
        response = client.get(f"{base}/export/{task.split(':', 1)[1]}")
        assert response.status_code == 200, response.status_code
        size = 0
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            size += len(chunk)
        result.update(seconds=time.perf_counter() - started, mb=size / 1e6)
    elif task == "pdf":
        from django_scopes import scopes_disabled  # noqa: PLC0415

        from peerwork.reports.models import ReportJob  # noqa: PLC0415
        from peerwork.surveys import reports  # noqa: PLC0415

        with scopes_disabled():
            wave = Wave.objects.select_related("organisation").get(pk=wave_id)
        # The page request fills the cache the job shares; time the PDF after it, as a
        # person asks for the PDF from the report page.
        client.get(f"{base}/report/")
        job = ReportJob.objects.create(kind=reports.KIND, language="en",
                                       params={"wave": wave_id}, organisation=wave.organisation)
        began = time.perf_counter()
        built = reports.build(job, lambda done, total: None)
        result["seconds"] = time.perf_counter() - began
        done = subprocess.run(["pdfinfo", "-"], input=built.pdf, capture_output=True, check=False)
        pages = [line.split()[-1] for line in done.stdout.decode().splitlines()
                 if line.startswith("Pages:")]
        result["pages"] = int(pages[0]) if pages else None
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and
    # exec, so it would report the seeding process's peak.
    result["peak_mb"] = bl.proc_status_kb(os.getpid(), "VmHWM") / 1024
    print(json.dumps(result))
    return result


def _num(value: float | None, scale: float = 1.0, digits: int = 2) -> str:
    return "" if value is None else f"{value * scale:.{digits}f}"


def row_text(r: dict[str, Any]) -> str:
    seconds = r.get("seconds", r.get("cold_s"))
    text = (f"{r['respondents']:>11} {r['task']:<22} {_num(seconds):>9} "
            f"{_num(r.get('warm_p50_s'), 1000, 0):>9} {_num(r.get('warm_p95_s'), 1000, 0):>9} "
            f"{_num(r.get('mb'), 1, 1):>8} {_num(r.get('peak_mb'), 1, 0):>11} "
            f"{r.get('pages') or '':>5}")
    if "first_view_s" in r:
        text += (f"\n{'':>11} first view after {r['new']} new answers "
                 f"{r['first_view_s'] * 1000:.0f} ms (API {r['api_first_s'] * 1000:.0f} ms, "
                 f"{r['queued']} task queued); task {r['task_s']:.1f} s "
                 f"(first {r['task_first_s']:.1f} s); view after it "
                 f"{r['view_after_s'] * 1000:.0f} ms, fresh view {r['view_fresh_s'] * 1000:.0f} ms")
    if "error" in r:
        text += "  ERROR " + r["error"][-300:]
    return text


def bl_percentile(values: list[float], p: float) -> float:
    index = min(len(values) - 1, round(p / 100 * (len(values) - 1)))
    return sorted(values)[index]


def run_child(data_dir: Path, task: str, wave_id: int, slug: str, warm: int,
              new: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", task, "--data-dir", str(data_dir),
                           "--wave", str(wave_id), "--slug", slug, "--warm", str(warm),
                           "--new", str(new)],
                          cwd=REPO, capture_output=True, text=True, timeout=1800, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    if done.returncode != 0:
        return {"task": task, "error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--new", type=int, default=20,
                        help="answers that arrive before the first-view measurement")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--tasks", nargs="+", default=["frame", "page", "first-view",
                                                       *(f"export:{n}" for n in EXPORTS), "pdf"])
    parser.add_argument("--child")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--wave", type=int)
    parser.add_argument("--slug")
    args = parser.parse_args()
    if args.child:
        child(args.data_dir, args.child, args.wave, args.slug, args.warm, args.new)
        return
    print(json.dumps(bl.machine()))
    with bl.temp_dir("peerwork-survey-results-", keep=args.keep) as data_dir:
        seeded = seed(data_dir, args.sizes, args.questions)
        from django.db import connections  # noqa: PLC0415

        connections.close_all()
        rows = []
        for size in args.sizes:
            wave_id = seeded["waves"][str(size)]
            for task in args.tasks:
                log(f"{size}: {task}")
                measured = run_child(data_dir, task, wave_id, seeded["slug"], args.warm, args.new)
                measured.update(respondents=size, new=args.new)
                rows.append(measured)
                print(json.dumps(measured), flush=True)
        print()
        print(f"{'respondents':>11} {'task':<22} {'seconds':>9} {'warm p50 ms':>9} {'warm p95 ms':>9} "
              f"{'MB out':>8} {'peak RSS MB':>11} {'pages':>5}")
        for r in rows:
            print(row_text(r))
        if len(args.sizes) > 1:
            small, large = args.sizes[0], args.sizes[-1]
            print(f"\ngrowth {small} → {large} ({large / small:.0f}× the data):")
            by = {(r["respondents"], r["task"]): r for r in rows}
            for task in ("frame", "page", *(f"export:{name}" for name in EXPORTS), "pdf"):
                a, b = by.get((small, task), {}), by.get((large, task), {})
                key = "cold_s" if task == "page" else "seconds"
                if key in a and key in b:
                    print(f"  {task:<22} time ×{b[key] / a[key]:.1f}   peak RSS "
                          f"{a['peak_mb']:.0f} → {b['peak_mb']:.0f} MB")
        if args.json:
            args.json.write_text(json.dumps({"machine": bl.machine(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
