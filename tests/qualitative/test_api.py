"""The qualitative API: the same rules as the pages, JSON in and out."""

from __future__ import annotations

import base64
import io
import json
import zipfile

from django.test import Client
from django_scopes import scopes_disabled
from tests.qualitative.conftest import TRANSCRIPT_VTT
from tests.qualitative.files import blank_pdf_bytes

from peerwork.accounts.services import create_api_token
from peerwork.qualitative.models import Document, MeaningUnit


def api(user) -> Client:
    key = create_api_token(user=user, name="test").key
    return Client(headers={"authorization": f"Bearer {key}"})


def url(world, team, tail=""):
    return f"/api/v1/organisations/{world.org.slug}/analysis/projects/{team.project.pk}{tail}"


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_api_code_a_unit_and_read_it_back(world, team):
    client = api(team.analyst)
    text = team.document.text
    start = text.index("👩")
    created = post(client, url(world, team, f"/documents/{team.document.pk}/units"),
                   {"start": start, "end": start + 2, "code_ids": [team.code.pk]})
    document = client.get(url(world, team, f"/documents/{team.document.pk}")).json()
    assert created.status_code == 201
    assert created.json()["text"] == text[start:start + 2]
    assert [(u["start"], u["end"], u["code_ids"]) for u in document["units"]] == [
        (start, start + 2, [team.code.pk])]
    assert document["length"] == len(text)


def test_api_import_files_and_refusals(world, team):
    client = api(team.analyst)
    ok = post(client, url(world, team, "/documents"), {
        "filename": "g2.vtt", "content_base64": base64.b64encode(TRANSCRIPT_VTT.encode()).decode()})
    scanned = post(client, url(world, team, "/documents"), {
        "filename": "s.pdf", "content_base64": base64.b64encode(blank_pdf_bytes()).decode()})
    garbage = post(client, url(world, team, "/documents"), {"filename": "a.txt", "content_base64": "%%%"})
    assert ok.status_code == 201
    assert ok.json()["kind"] == "vtt"
    assert scanned.status_code == 400
    assert "no text" in scanned.json()["detail"]
    assert garbage.status_code == 400


def test_api_survey_answers_suppress_rare_attributes(world, team):
    answers = ([{"text": f"svar {i}", "attributes": {"stilling": "leder"}} for i in range(5)]
               + [{"text": "ensom", "attributes": {"stilling": "erfaringskonsulent"}}])
    response = post(api(team.analyst), url(world, team, "/survey-answers"),
                    {"title": "Runde 1", "answers": answers})
    assert response.status_code == 201
    # One rare value (1) would be a group of one by elimination, so "leder" is pooled too.
    assert [d["attributes"] for d in response.json()] == [{}] * 6


def test_api_code_key_only_for_the_lead(world, team):
    lead = api(team.lead).get(url(world, team, "/speakers")).json()
    others = [api(u).get(url(world, team, "/speakers")).json()
              for u in (team.analyst, team.validator, team.viewer)]
    assert lead == [{"pseudonym": "P1", "real_name": "Kari Nordmann"},
                    {"pseudonym": "P2", "real_name": "Ola Hansen"}]
    assert others == [[{"pseudonym": "P1", "real_name": None},
                       {"pseudonym": "P2", "real_name": None}]] * 3
    assert api(team.analyst).delete(url(world, team, "/speakers/key")).status_code == 404
    for fmt in ("csv", "xlsx", "qdpx", "qdc"):
        body = api(team.viewer).get(url(world, team, f"/export/{fmt}")).content
        if fmt == "qdpx":
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(n) for n in archive.namelist())
        assert b"Kari" not in body, fmt
    assert api(team.lead).delete(url(world, team, "/speakers/key")).status_code == 204


def test_api_roles(world, team):
    unit_path = url(world, team, f"/documents/{team.document.pk}/units")
    assert post(api(team.validator), unit_path, {"start": 0, "end": 2}).status_code == 404
    comment = {"step": 2, "text": "ok"}
    assert post(api(team.validator), url(world, team, "/comments"), comment).status_code == 201
    assert post(api(team.viewer), url(world, team, "/comments"), {"step": 2, "text": "ok"}).status_code == 404
    assert api(world.analyst).get(url(world, team)).status_code == 404


def test_api_bad_span_is_400(world, team):
    response = post(api(team.analyst), url(world, team, f"/documents/{team.document.pk}/units"),
                    {"start": 3, "end": 10**6})
    assert response.status_code == 400
    with scopes_disabled():
        assert MeaningUnit.objects.count() == 0


def test_api_qdpx_round_trip(world, team):
    client = api(team.lead)
    post(client, url(world, team, f"/documents/{team.document.pk}/units"),
         {"start": 0, "end": 5, "code_ids": [team.code.pk]})
    exported = client.get(url(world, team, "/export/qdpx")).content
    created = post(client, f"/api/v1/organisations/{world.org.slug}/analysis/projects", {"title": "Kopi"})
    copy = created.json()["id"]
    imported = post(client, f"/api/v1/organisations/{world.org.slug}/analysis/projects/{copy}/import-qdpx",
                    {"content_base64": base64.b64encode(exported).decode()})
    assert imported.status_code == 201
    assert imported.json() == {"documents": 1, "codes": 2, "units": 1, "memos": 0}
    with scopes_disabled():
        assert Document.objects.filter(project_id=copy).get().text == team.document.text


def test_api_agreement(world, team):
    client = api(team.lead)
    post(api(team.analyst), url(world, team, f"/documents/{team.document.pk}/units"),
         {"start": 0, "end": 10, "code_ids": [team.code.pk]})
    post(client, url(world, team, f"/documents/{team.document.pk}/units"),
         {"start": 0, "end": 10, "code_ids": [team.code.pk]})
    rows = client.get(url(world, team, f"/documents/{team.document.pk}/agreement"),
                      {"first": team.analyst.pk, "second": team.lead.pk}).json()
    assert [(r["code"], r["both"], r["percent"], r["kappa"]) for r in rows] == [("likeverd", 10, 100.0, 1.0)]


def test_api_step_one_impressions_private_until_your_own(world, team):
    put = {"text": "Lederens tema"}
    lead = api(team.lead)
    lead.put(url(world, team, "/impressions/mine"), data=json.dumps(put), content_type="application/json")
    analyst = api(team.analyst)
    before = analyst.get(url(world, team, "/impressions")).json()
    analyst.put(url(world, team, "/impressions/mine"), data=json.dumps({"text": "Mitt"}),
                content_type="application/json")
    after = analyst.get(url(world, team, "/impressions")).json()
    theme = post(lead, url(world, team, "/themes"), {"title": "Medskaping"})
    refused = post(analyst, url(world, team, "/themes"), {"title": "x"})
    assert before == []
    assert sorted(i["text"] for i in after) == ["Lederens tema", "Mitt"]
    assert theme.status_code == 201
    assert refused.status_code == 404
    assert [t["title"] for t in analyst.get(url(world, team, "/themes")).json()] == ["Medskaping"]


def test_api_memos(world, team):
    created = post(api(team.analyst), url(world, team, "/memos"), {"text": "Notat", "code_id": team.code.pk})
    foreign = post(api(team.analyst), url(world, team, "/memos"), {"text": "Notat", "code_id": 10**6})
    assert created.status_code == 201
    assert foreign.status_code == 400
    memos = api(team.viewer).get(url(world, team, "/memos")).json()
    assert [(m["text"], m["code_id"]) for m in memos] == [("Notat", team.code.pk)]
