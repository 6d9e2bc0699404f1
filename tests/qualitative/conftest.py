"""A Fjordvik analysis project with a lead (the manager), an analyst (the peer worker,
as co-researcher), a validator (the colleague) and a viewer (the org admin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from peerwork.qualitative import services
from peerwork.qualitative.models import Code, CodeGroup, Document, Project

TRANSCRIPT_VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Kari Nordmann>Vi ble sett på som likeverdige 👩🏽‍⚕️ i teamet.

00:00:04.000 --> 00:00:08.000
<v Kari Nordmann>Det tok tid å finne rollen.

00:00:08.000 --> 00:00:12.000
<v Ola Hansen>Erfaringen min ble brukt – også i møter om å̂ endre rutiner.
"""


@dataclass
class Team:
    project: Project
    document: Document
    group: CodeGroup
    subgroup: CodeGroup
    code: Code
    other_code: Code
    lead: Any
    analyst: Any
    validator: Any
    viewer: Any


def make_team(world: Any) -> Team:
    project = services.create_project(actor=world.manager, organisation=world.org,
                                       title="Fokusgrupper 2027", description="Hvordan?")
    for user, role in [(world.peer, "analyst"), (world.colleague, "validator"),
                       (world.org_admin, "viewer")]:
        services.set_member(actor=world.manager, project=project, user_id=user.pk, role=role)
    document = services.import_document(actor=world.manager, project=project,
                                        filename="gruppe1.vtt", data=TRANSCRIPT_VTT.encode())
    group = services.create_group(actor=world.manager, project=project, name="Medskaping")
    subgroup = services.create_group(actor=world.manager, project=project, name="Likeverd",
                                     parent_id=group.pk)
    code = services.create_code(actor=world.manager, project=project, name="likeverd",
                                group_id=subgroup.pk)
    other = services.create_code(actor=world.manager, project=project, name="rolle",
                                 group_id=group.pk)
    return Team(project=project, document=document, group=group, subgroup=subgroup, code=code,
                other_code=other, lead=world.manager, analyst=world.peer,
                validator=world.colleague, viewer=world.org_admin)


@pytest.fixture
def team(world: Any) -> Team:
    return make_team(world)
