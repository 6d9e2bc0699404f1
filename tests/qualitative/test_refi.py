"""REFI-QDA: the exported project validates against the published schema, and a round
trip gives back the same project."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from lxml import etree

from peerwork.qualitative import refi, services
from peerwork.qualitative.models import CodeGroup, Condensate, Document, MeaningUnit, Memo, Project


def coded(team):
    text = team.document.text
    emoji = services.mark_unit(actor=team.analyst, document=team.document,
                               start=text.index("likeverdige"), end=text.index(" teamet"),
                               code_ids=[team.code.pk, team.other_code.pk])
    services.mark_unit(actor=team.lead, document=team.document, start=text.index("å̂"),
                       end=len(text), code_ids=[team.other_code.pk])
    services.add_memo(actor=team.lead, project=team.project, text="Kode for likeverd",
                      code_id=team.code.pk)
    services.add_memo(actor=team.lead, project=team.project, text="Prosjektnotat")
    services.save_condensate(actor=team.analyst, group=team.subgroup, text="Vi ble sett.",
                             golden_quote_id=emoji.pk)
    return team


def shape(project: Project) -> dict:
    """What makes two projects the same analysis (authors and ids aside)."""
    with scopes_disabled():
        groups = {g.pk: g for g in CodeGroup.objects.filter(project=project)}

        def path(group_id):
            names = []
            while group_id:
                names.insert(0, groups[group_id].name)
                group_id = groups[group_id].parent_id
            return "/".join(names)

        return {
            "documents": sorted((d.title, d.text) for d in Document.objects.filter(project=project)),
            "groups": sorted(path(g) for g in groups),
            "codes": sorted((c.name, path(c.group_id)) for c in project.codes.all()),
            "units": sorted((u.document.title, u.start, u.end, u.text,
                             tuple(sorted(u.codes.values_list("name", flat=True))))
                            for u in MeaningUnit.objects.filter(project=project)),
            "memos": sorted((m.text, m.code.name if m.code else "")
                            for m in Memo.objects.filter(project=project)),
            "condensates": sorted((c.group.name, c.text) for c in Condensate.objects.filter(project=project)),
        }


def test_refi_export_validates_against_the_published_schema(team):
    coded(team)
    data = refi.export_qdpx(team.project)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        names = archive.namelist()
    assert refi.schema().validate(root), refi.schema().error_log
    assert sorted(names) == ["project.qde", f"sources/{team.document.guid}.txt"]
    assert b"Kari" not in data
    assert b"Nordmann" not in data


def test_refi_offsets_are_code_points(team):
    coded(team)
    with zipfile.ZipFile(io.BytesIO(refi.export_qdpx(team.project))) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        text = archive.read(f"sources/{team.document.guid}.txt").decode()
    selections = root.findall(f".//{{{refi.NS}}}PlainTextSelection")
    cut = [text[int(s.get("startPosition")):int(s.get("endPosition"))] for s in selections]
    assert "likeverdige 👩🏽‍⚕️ i" in cut


def test_refi_round_trip_gives_the_same_project(team, world):
    coded(team)
    data = refi.export_qdpx(team.project)
    copy = services.create_project(actor=world.manager, organisation=world.org, title="Kopi")
    counts = refi.import_qdpx(actor=world.manager, project=copy, data=data)
    assert counts == {"documents": 1, "codes": 2, "units": 2, "memos": 2}
    assert shape(copy) == shape(team.project)


def test_refi_codebook_qdc_holds_the_tree(team):
    root = etree.fromstring(refi.codebook_qdc(team.project))
    ns = {"c": refi.CODEBOOK_NS}
    assert root.tag == f"{{{refi.CODEBOOK_NS}}}CodeBook"
    group = root.find("c:Codes/c:Code", ns)
    assert (group.get("name"), group.get("isCodable")) == ("Medskaping", "false")
    assert [c.get("name") for c in group.iterfind(".//c:Code", ns)] == ["Likeverd", "likeverd", "rolle"]


def test_refi_codebook_codes_follow_the_published_code_type(team):
    # The codebook schema we could obtain (QualCoder's copy) is broken by a copy from PDF,
    # so the .qdc's codes are checked against the same CodeType of Project.xsd instead.
    root = etree.fromstring(refi.codebook_qdc(team.project))
    codes = etree.tostring(root.find(f"{{{refi.CODEBOOK_NS}}}Codes")).decode()
    wrapped = (f'<Project xmlns="{refi.NS}" name="qdc"><CodeBook>'
               f'{codes.replace(refi.CODEBOOK_NS, refi.NS)}</CodeBook></Project>')
    assert refi.schema().validate(etree.fromstring(wrapped)), refi.schema().error_log


@pytest.mark.parametrize("data", [
    b"not a zip",
    b"PK\x05\x06" + b"\x00" * 18,  # an empty zip
])
def test_refi_import_refuses_broken_files(team, data):
    with pytest.raises(ValidationError):
        refi.import_qdpx(actor=team.lead, project=team.project, data=data)


def test_refi_import_refuses_xml_outside_the_schema(team):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0"><Bogus/></Project>')
    with pytest.raises(ValidationError, match="schema"):
        refi.import_qdpx(actor=team.lead, project=team.project, data=buffer.getvalue())
