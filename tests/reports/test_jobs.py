"""Report PDFs render in a background task backed by the database: the page queues a
job, the real ``db_worker`` renders it, the job page shows progress and then the download.

Tasks are enqueued on commit, so these tests use real transactions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from conftest import World
from peerwork.accounts.services import create_api_token
from peerwork.framework.library import get_library
from peerwork.reports.models import JobStatus, ReportJob
from peerwork.reports.services import request_report
from peerwork.reports.tasks import BUILDERS, Built

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HX-Request": "true"}


def job_path(job: ReportJob) -> str:
    return f"/reports/jobs/{job.pk}/"


def test_report_pdf_request_queues_a_shared_job_and_redirects(client: Client) -> None:
    response = client.post("/library/report/pdf/")

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_path(job)
    assert (job.kind, job.language, job.status, job.cache_key) == (
        "framework_library", "en", JobStatus.QUEUED, "framework_library:2026.1:en")
    assert job.requested_by is None
    assert job.organisation is None
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs) == (
        "peerwork.reports.tasks.render_report", {"args": [], "kwargs": {"job_id": str(job.pk)}})


def test_report_pdf_request_only_by_post(client: Client) -> None:
    assert client.get("/library/report/pdf/").status_code == 405
    assert ReportJob.objects.count() == 0


def test_report_job_page_shows_progress_while_queued(client: Client) -> None:
    client.post("/library/report/pdf/")
    job = ReportJob.objects.get()

    page = client.get(job_path(job)).content.decode()
    fragment = client.get(job_path(job), headers=HTMX).content.decode()

    assert '<progress id="job-bar" max="100" value="0">0 %</progress>' in page
    assert f'hx-get="{job_path(job)}" hx-trigger="every 1s"' in page
    assert fragment.startswith('<div id="job-progress"')
    assert "<html" not in fragment
    assert "download" not in fragment


def test_report_worker_renders_the_library_pdf_for_download(
        client: Client, run_worker: Callable[[], None]) -> None:
    client.post("/library/report/pdf/")
    job = ReportJob.objects.get()

    run_worker()

    job.refresh_from_db()
    total = len(get_library().structures) + 1
    assert (job.status, job.done_steps, job.total_steps, job.percent, job.error) == (
        JobStatus.DONE, total, total, 100, "")
    assert job.finished is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    fragment = client.get(job_path(job), headers=HTMX).content.decode()
    assert "hx-get" not in fragment  # done: the page stops polling
    assert f'<a class="button" href="{job_path(job)}download/" download>' in fragment
    download = client.get(f"{job_path(job)}download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="peerwork-framework-2026.1-en.pdf"')
    assert download.content.startswith(b"%PDF-")


def test_report_second_request_reuses_the_shared_job(client: Client,
                                                     run_worker: Callable[[], None]) -> None:
    first = client.post("/library/report/pdf/")
    second = client.post("/library/report/pdf/")
    run_worker()
    third = client.post("/library/report/pdf/")

    job = ReportJob.objects.get()
    assert first["Location"] == second["Location"] == third["Location"] == job_path(job)
    assert DBTaskResult.objects.count() == 1


def test_report_norwegian_request_is_its_own_job(client: Client) -> None:
    client.post("/library/report/pdf/")
    client.cookies["peerwork_language"] = "nb"
    client.post("/library/report/pdf/")

    assert sorted(ReportJob.objects.values_list("language", "cache_key")) == [
        ("en", "framework_library:2026.1:en"), ("nb", "framework_library:2026.1:nb")]


def test_report_progress_is_visible_while_running(client: Client, run_worker: Callable[[], None],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def halfway(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
        progress(1, 4)
        seen.append(Client().get(job_path(job), headers=HTMX).content.decode())
        return Built(pdf=b"%PDF-1.7 test", filename="test.pdf")

    monkeypatch.setitem(BUILDERS, "test_halfway", halfway)
    job = request_report(kind="test_halfway", language="en", cache_key="test:halfway")

    run_worker()

    assert len(seen) == 1
    assert "Rendering" in seen[0]
    assert '<progress id="job-bar" max="100" value="25">25 %</progress>' in seen[0]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_report_failing_builder_marks_the_job_failed_visibly(
        client: Client, run_worker: Callable[[], None], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
        progress(1, 3)
        raise RuntimeError("the renderer ran out of paper")

    monkeypatch.setitem(BUILDERS, "test_broken", broken)
    job = request_report(kind="test_broken", language="en", cache_key="test:broken")

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.error, job.pdf) == (JobStatus.FAILED, "RuntimeError", None)
    assert job.finished is not None
    assert DBTaskResult.objects.get().status == "FAILED"
    fragment = client.get(job_path(job), headers=HTMX).content.decode()
    assert "The PDF could not be made. Try again; if it fails again, tell your administrator." \
        in fragment
    assert "hx-get" not in fragment
    assert client.get(f"{job_path(job)}download/").status_code == 404
    retry = request_report(kind="test_broken", language="en", cache_key="test:broken")
    assert retry.pk != job.pk  # a failed shared job is not reused


def test_report_job_of_an_organisation_is_only_for_its_requester(world: World) -> None:
    job = ReportJob.objects.create(
        kind="framework_library", language="en", organisation=world.org,
        requested_by=world.manager, status=JobStatus.DONE, pdf=b"%PDF-1.7 secret",
        filename="fjordvik.pdf")
    outsiders = {"charlie": world.client_for(world.charlie),
                 "colleague": world.client_for(world.colleague),
                 "anonymous": world.client_for(None)}

    owner = world.client_for(world.manager)
    assert owner.get(job_path(job)).status_code == 200
    assert owner.get(f"{job_path(job)}download/").content == b"%PDF-1.7 secret"
    assert owner.get(f"/api/v1/reports/jobs/{job.pk}").json()["status"] == "done"
    for name, client in outsiders.items():
        assert client.get(job_path(job)).status_code == 404, name
        assert client.get(f"{job_path(job)}download/").status_code == 404, name
        assert client.get(f"/api/v1/reports/jobs/{job.pk}").status_code == 404, name


def test_report_unknown_job_is_404(client: Client) -> None:
    missing = uuid.uuid4()

    assert client.get(f"/reports/jobs/{missing}/").status_code == 404
    assert client.get(f"/reports/jobs/{missing}/download/").status_code == 404
    assert client.get(f"/api/v1/reports/jobs/{missing}").json() == {"detail": "Not Found"}


def test_report_job_api_gives_progress_and_download_link(client: Client,
                                                         run_worker: Callable[[], None]) -> None:
    client.post("/library/report/pdf/")
    job = ReportJob.objects.get()
    queued = client.get(f"/api/v1/reports/jobs/{job.pk}").json()

    run_worker()

    done = client.get(f"/api/v1/reports/jobs/{job.pk}").json()
    assert queued == {"id": str(job.pk), "kind": "framework_library", "language": "en",
                      "status": "queued", "percent": 0, "download_url": None}
    assert done == {**queued, "status": "done", "percent": 100,
                    "download_url": f"http://testserver/api/v1/reports/jobs/{job.pk}/pdf"}
    assert client.get(done["download_url"]).content[:4] == b"%PDF"


def test_report_job_api_reads_the_owners_job_with_an_api_key(world: World) -> None:
    # Arrange
    job = ReportJob.objects.create(
        kind="framework_library", language="en", organisation=world.org,
        requested_by=world.manager, status=JobStatus.DONE, pdf=b"%PDF-1.7 secret",
        filename="fjordvik.pdf")

    def keyed(user: Any) -> Client:
        return Client(headers={"authorization": f"Bearer {create_api_token(user=user, name='k').key}"})

    # Act
    owner = keyed(world.manager)
    status = owner.get(f"/api/v1/reports/jobs/{job.pk}")
    pdf = owner.get(status.json()["download_url"])
    others = {name: (client.get(f"/api/v1/reports/jobs/{job.pk}").status_code,
                     client.get(f"/api/v1/reports/jobs/{job.pk}/pdf").status_code)
              for name, client in {"charlie": keyed(world.charlie),
                                   "bad key": Client(headers={"authorization": "Bearer pw_nonsense"}),
                                   "anonymous": Client()}.items()}

    # Assert
    assert status.status_code == 200
    assert status.json() == {"id": str(job.pk), "kind": "framework_library", "language": "en",
                             "status": "done", "percent": 0,
                             "download_url": f"http://testserver/api/v1/reports/jobs/{job.pk}/pdf"}
    assert (pdf.status_code, pdf.content) == (200, b"%PDF-1.7 secret")
    assert pdf["Content-Disposition"] == 'attachment; filename="fjordvik.pdf"'
    assert others == dict.fromkeys(others, (404, 404))
