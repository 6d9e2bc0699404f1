"""The analysis pages through HTTP: coding with and without HTMX, roles, the code key,
bad uploads, exports and the report."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from tests.qualitative.files import blank_pdf_bytes, docx_bytes

from peerwork.qualitative import refi, services
from peerwork.qualitative.models import CodeGroup, CodingAction, Document, MeaningUnit, Project
from peerwork.reports.models import JobStatus, ReportJob


def base(world, team):
    return f"/o/{world.org.slug}/analysis/{team.project.pk}/"


def test_pages_create_project_makes_creator_lead(world):
    client = world.client_for(world.peer)
    response = client.post(f"/o/{world.org.slug}/analysis/", {"title": "Fritekst 2027"})
    with scopes_disabled():
        project = Project.objects.get()
        assert response.status_code == 302
        assert list(project.members.values_list("user__email", "role")) == [("peer@fjordvik.test", "lead")]


def test_pages_mark_unit_with_htmx_answers_briefly(world, team):
    text = team.document.text
    start = text.index("likeverdige")
    response = world.client_for(team.analyst).post(
        base(world, team) + f"documents/{team.document.pk}/units/",
        {"start": start, "end": start + len("likeverdige"), "code": "likeverd"},
        headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith("The meaning unit is coded.")
    assert '<ol hx-swap-oob="beforeend:#unit-list">' in body
    assert "<blockquote>likeverdige</blockquote>" in body
    assert '<h2 id="units-heading" hx-swap-oob="true">1 meaning unit</h2>' in body
    assert team.document.text[:40] not in body  # the text is not sent again
    with scopes_disabled():
        unit = MeaningUnit.objects.get()
        assert (unit.text, list(unit.codes.values_list("name", flat=True))) == ("likeverdige", ["likeverd"])


def test_pages_mark_unit_new_code_name_makes_a_code_without_htmx(world, team):
    response = world.client_for(team.analyst).post(
        base(world, team) + f"documents/{team.document.pk}/units/",
        {"start": 0, "end": 2, "code": "ny kode"})
    assert response.status_code == 302
    with scopes_disabled():
        assert list(MeaningUnit.objects.get().codes.values_list("name", flat=True)) == ["ny kode"]


@pytest.mark.parametrize("body", [{"start": 5, "end": 2, "code": "x"},
                                  {"start": 0, "end": 10**7, "code": "x"},
                                  {"start": "a", "end": 2, "code": "x"}, {"start": 0, "end": 2}])
def test_pages_mark_unit_bad_input_is_400_and_saves_nothing(world, team, body):
    path = base(world, team) + f"documents/{team.document.pk}/units/"
    response = world.client_for(team.analyst).post(path, body)
    htmx = world.client_for(team.analyst).post(path, body, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert htmx.status_code == 400
    assert htmx["Content-Type"].startswith("text/plain")
    assert htmx.content
    with scopes_disabled():
        assert MeaningUnit.objects.count() == 0


def test_pages_validator_and_viewer_cannot_code(world, team):
    for user in (team.validator, team.viewer):
        response = world.client_for(user).post(
            base(world, team) + f"documents/{team.document.pk}/units/",
            {"start": 0, "end": 2, "code": "x"})
        assert response.status_code == 404
    viewer = world.client_for(team.viewer)
    assert viewer.get(base(world, team) + f"documents/{team.document.pk}/").status_code == 200


def test_pages_org_member_outside_the_project_sees_nothing(world, team):
    client = world.client_for(world.analyst)
    assert client.get(base(world, team)).status_code == 404
    assert client.get(base(world, team) + "export/csv/").status_code == 404
    assert "Fokusgrupper" not in client.get(f"/o/{world.org.slug}/analysis/").content.decode()


def test_pages_validator_comments_on_a_step(world, team):
    client = world.client_for(team.validator)
    response = client.post(base(world, team) + "steps/3/", {"what": "comment", "step": 3,
                                                             "text": "Sjekk mot transkripsjonen"})
    assert response.status_code == 302
    assert "Sjekk mot transkripsjonen" in client.get(base(world, team) + "steps/3/").content.decode()
    assert client.post(base(world, team) + "steps/1/", {"what": "impression", "text": "x"}).status_code == 404


def test_pages_impressions_are_private_until_your_own_is_saved(world, team):
    world.client_for(team.lead).post(base(world, team) + "steps/1/", {"what": "impression",
                                                                       "text": "Lederens tema"})
    analyst = world.client_for(team.analyst)
    assert "Lederens tema" not in analyst.get(base(world, team) + "steps/1/").content.decode()
    analyst.post(base(world, team) + "steps/1/", {"what": "impression", "text": "Mitt tema"})
    assert "Lederens tema" in analyst.get(base(world, team) + "steps/1/").content.decode()


def test_pages_code_key_only_for_the_lead(world, team):
    lead = world.client_for(team.lead).get(base(world, team) + "speakers/").content.decode()
    assert "Kari Nordmann" in lead
    for user in (team.analyst, team.validator, team.viewer):
        client = world.client_for(user)
        for path in ["speakers/", "", f"documents/{team.document.pk}/", "report/", "export/csv/",
                     "export/xlsx/", "export/qdpx/", "export/qdc/", "team/"]:
            body = client.get(base(world, team) + path).content
            assert b"Kari" not in body, path
            assert b"Nordmann" not in body, path
        assert client.post(base(world, team) + "speakers/").status_code == 404


def test_pages_lead_deletes_code_key(world, team):
    client = world.client_for(team.lead)
    unconfirmed = client.post(base(world, team) + "speakers/", follow=True).content.decode()
    assert "Tick the box to confirm" in unconfirmed
    assert "Kari Nordmann" in unconfirmed  # nothing is deleted by a click alone
    assert client.post(base(world, team) + "speakers/", {"confirm": "yes"}).status_code == 302
    assert "Kari" not in client.get(base(world, team) + "speakers/").content.decode()


def test_pages_upload_docx_and_refusals(world, team):
    client = world.client_for(team.analyst)
    ok = client.post(base(world, team) + "upload/", {
        "file": SimpleUploadedFile("notat.docx", docx_bytes(["Hei på deg"])), "title": "Notat"})
    scanned = client.post(base(world, team) + "upload/", {
        "file": SimpleUploadedFile("scan.pdf", blank_pdf_bytes())})
    wrong = client.post(base(world, team) + "upload/", {"file": SimpleUploadedFile("a.exe", b"MZ")})
    broken = client.post(base(world, team) + "upload/", {"file": SimpleUploadedFile("a.docx", b"xx")})
    assert ok.status_code == 302
    assert scanned.status_code == 400
    assert "scanned" in scanned.content.decode()
    assert wrong.status_code == 400
    assert broken.status_code == 400
    with scopes_disabled():
        assert sorted(Document.objects.values_list("title", flat=True)) == ["Notat", "gruppe1.vtt"]


def test_pages_plain_text_transcript_is_pseudonymised(world, team):
    client = world.client_for(team.analyst)
    response = client.post(base(world, team) + "upload/", {"file": SimpleUploadedFile(
        "fokus.txt", "Kari Nordmann: Vi forklarte rollen.\nPer Olsen: Lederen støttet oss.".encode())})
    assert response.status_code == 302
    with scopes_disabled():
        text = Document.objects.get(title="fokus.txt").text
    assert "Kari" not in text
    assert "Per Olsen" not in text
    assert text == "P1: Vi forklarte rollen.\n\nP3: Lederen støttet oss."  # Kari is P1 from the .vtt
    assert "Per Olsen" in world.client_for(team.lead).get(base(world, team) + "speakers/").content.decode()
    help_text = client.get(base(world, team)).content.decode()
    assert "each line that opens with a speaker&#x27;s name and a colon" in help_text


def test_pages_member_form_adds_an_analyst_unless_told_otherwise(world, team):
    page = world.client_for(team.lead).get(base(world, team)).content.decode()
    assert '<option value="analyst" selected>' in page
    assert '<option value="" selected>' not in page


def test_pages_a_code_group_twice_is_refused(world, team):
    client = world.client_for(team.lead)
    for _ in range(2):  # a double click, or a replayed submission
        client.post(base(world, team) + "codebook/", {"what": "group", "group-name": "Å bli sett"})
    with scopes_disabled():
        assert CodeGroup.objects.filter(project=team.project, name="Å bli sett").count() == 1
    page = client.post(base(world, team) + "codebook/", {"what": "group", "group-name": "Å bli sett"})
    assert "There is already a code group with this name here." in page.content.decode()


def test_pages_condensation_without_groups_links_to_the_codebook(world, team):
    with scopes_disabled():
        CodeGroup.objects.filter(project=team.project).update(parent=None)
        CodeGroup.objects.filter(project=team.project).delete()
    page = world.client_for(team.analyst).get(base(world, team) + "steps/3/").content.decode()
    assert "There are no code groups yet." in page
    assert f'href="{base(world, team)}codebook/">Make them in the codebook</a>' in page


def test_pages_compare_offers_two_different_coders_and_no_viewers(world, team):
    page = world.client_for(team.validator).get(base(world, team) + "team/").content.decode()
    first = page[page.index('id="cmp-first"'):page.index('id="cmp-second"')]
    second = page[page.index('id="cmp-second"'):]
    assert f'<option value="{team.lead.pk}" selected>' in first
    assert f'<option value="{team.analyst.pk}" selected>' in second
    assert f'value="{team.viewer.pk}"' not in first  # a viewer never codes


def test_pages_report_says_when_a_group_has_nothing_written(world, team):
    page = world.client_for(team.viewer).get(base(world, team) + "report/").content.decode()
    assert page.count("Nothing is written for this group yet.") == 2  # the group and its subgroup


def test_pages_import_qdpx_says_what_came_in(world, team):
    client = world.client_for(team.lead)
    data = refi.export_qdpx(team.project)
    page = client.post(base(world, team) + "import-qdpx/", {"file": SimpleUploadedFile("kopi.qdpx", data)},
                       follow=True).content.decode()
    # The codes exist here already, so none is new; and never "1 documents".
    assert "Imported. Documents: 1; codes: 0; meaning units: 0; memos: 0." in page


def test_pages_import_qdpx_refuses_garbage(world, team):
    response = world.client_for(team.lead).post(base(world, team) + "import-qdpx/", {
        "file": SimpleUploadedFile("p.qdpx", b"garbage")})
    assert response.status_code == 400
    assert "not a readable .qdpx" in response.content.decode()


def test_pages_undo_through_http(world, team):
    client = world.client_for(team.analyst)
    client.post(base(world, team) + f"documents/{team.document.pk}/units/",
                {"start": 0, "end": 2, "code": "likeverd"})
    client.post(base(world, team) + "undo/")
    client.post(base(world, team) + "undo/")
    with scopes_disabled():
        assert MeaningUnit.objects.count() == 0
        assert CodingAction.objects.filter(undone=True).count() == 2


def test_pages_csv_is_formula_safe_and_xlsx_matches(world, team):
    with scopes_disabled():
        document = Document.objects.get()
        Document.objects.filter(pk=document.pk).update(text="=HYPERLINK(\"x\") og mer")
    document.text = "=HYPERLINK(\"x\") og mer"
    services.mark_unit(actor=team.analyst, document=document, start=0, end=16, code_ids=[team.code.pk])
    client = world.client_for(team.viewer)
    rows = list(csv.reader(io.StringIO(client.get(base(world, team) + "export/csv/").content.decode())))
    sheet = load_workbook(io.BytesIO(client.get(base(world, team) + "export/xlsx/").content)).active
    assert rows[0][:6] == ["unit", "document", "start", "end", "text", "codes"]
    assert rows[1][4].startswith("'=")
    assert rows[1][5] == "likeverd"
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][4].startswith("'=")


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_pages_report_pdf_in_norwegian(world, team, nb_catalogue, run_worker):
    unit = services.mark_unit(actor=team.analyst, document=team.document, start=4, end=30,
                              code_ids=[team.code.pk])
    services.save_condensate(actor=team.analyst, group=team.subgroup, text="Vi ble sett som likeverdige.",
                             golden_quote_id=unit.pk)
    client = world.client_for(team.viewer)
    client.cookies["peerwork_language"] = "nb"
    page = client.get(base(world, team) + "report/").content.decode()
    started = client.post(base(world, team) + "report/pdf/")
    run_worker()
    job = ReportJob.objects.get()
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    assert "Vi ble sett som likeverdige." in page
    assert started.status_code == 302
    assert job.status == JobStatus.DONE
    text = subprocess.run(["pdftotext", "-", "-"], input=download.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Vi ble sett som likeverdige." in text
    assert "Kodegrupper" in text
    assert "Kari" not in text


def test_pages_oversized_upload_is_413_and_saves_nothing(world, team):
    big = SimpleUploadedFile("big.txt", b"a" * (11 * 1024 * 1024))
    response = world.client_for(team.analyst).post(base(world, team) + "upload/", {"file": big})
    assert response.status_code == 413
    with scopes_disabled():
        assert Document.objects.count() == 1


def test_pages_project_page_queries_do_not_grow_with_units(world, team):
    client = world.client_for(team.lead)
    client.get(base(world, team))
    services.mark_unit(actor=team.analyst, document=team.document, start=0, end=5, code_ids=[])
    with CaptureQueriesContext(connection) as few:
        client.get(base(world, team))
    text_length = len(team.document.text)
    for start in range(5, text_length - 5, 5):
        services.mark_unit(actor=team.analyst, document=team.document, start=start, end=start + 5,
                           code_ids=[team.code.pk])
    with CaptureQueriesContext(connection) as many:
        response = client.get(base(world, team))
    assert len(many) == len(few)
    assert f"<dd>{(text_length - 1) // 5}</dd>" in response.content.decode()


def test_pages_replayed_coding_changes_nothing(world, team):
    client = world.client_for(team.analyst)
    path = base(world, team) + f"documents/{team.document.pk}/units/"
    body = {"start": 0, "end": 6, "code": "likeverd"}
    first = client.post(path, body, headers={"HX-Request": "true"})
    again = client.post(path, body, headers={"HX-Request": "true"})
    with scopes_disabled():
        assert (first.status_code, again.status_code) == (200, 200)
        assert MeaningUnit.objects.count() == 1
        assert sorted(CodingAction.objects.values_list("kind", flat=True)) == ["code", "mark"]
