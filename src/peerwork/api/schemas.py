"""Shapes of the API's requests and responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Schema, Status
from pydantic import Field


class Text(Schema):
    en: str
    nb: str


class SourceOut(Schema):
    document: str
    document_title: str
    lines: str
    note: Text | None = None


class ElementOut(Schema):
    id: str
    structure: str
    parent: str | None
    label: str
    title: Text
    summary: Text
    why: Text
    source: SourceOut
    related: list[str]
    attributes: dict[str, Any]
    children: list[str]


class ElementTree(Schema):
    id: str
    label: str
    title: Text
    summary: Text
    children: list[ElementTree]


class StructureSummary(Schema):
    id: str
    order: int
    title: Text
    summary: Text
    element_count: int


class StructureOut(StructureSummary):
    source: SourceOut
    elements: list[ElementTree]


class LibraryOut(Schema):
    version: str
    structures: list[StructureSummary]


class OrganisationOut(Schema):
    slug: str
    name: str
    type: str
    country: str
    region: str
    size_band: str


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    type: str
    country: str = Field(default="NO", min_length=2, max_length=2)
    region: str = Field(default="", max_length=100)
    size_band: str = ""


class OrganisationPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    type: str | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    region: str | None = Field(default=None, max_length=100)
    size_band: str | None = None


class MembershipOut(Schema):
    id: int
    email: str
    name: str
    role: str
    is_active: bool


class MembershipPatch(Schema):
    role: str | None = None
    is_active: bool | None = None


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    role: str


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires: dt.datetime


class AuditEventOut(Schema):
    id: str
    created: dt.datetime
    organisation: str | None
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class ReportJobOut(Schema):
    id: str
    kind: str
    language: str
    status: str
    percent: int
    download_url: str | None


class Message(Schema):
    detail: Any


class ResultsComputing(Schema):
    """202: no results are computed yet; they are being computed in the background."""

    detail: str
    submitted: int  # answers submitted now
    retry_after: int  # seconds; also in the Retry-After header


RESULTS_RETRY_SECONDS = 5
UPDATING_NOTE = (
    " Results of up to PEERWORK_RESULTS_INLINE_MAX answers (2,000 unless configured) are "
    "computed when asked for. Above that they are computed by a background task, and the "
    "answer holds the newest results already computed: `respondents` says how many answers "
    "they include, `submitted` how many are submitted now, and `updating` is true while "
    "newer results are being computed. If none are computed yet, the answer is 202 with a "
    "Retry-After header; ask again then.")


def results_computing(response: HttpResponse, submitted: int) -> Status[ResultsComputing]:
    """The 202 answer while nothing is computed yet (see UPDATING_NOTE)."""
    response["Retry-After"] = str(RESULTS_RETRY_SECONDS)
    return Status(202, ResultsComputing(
        detail="The results are being computed; ask again in a few seconds.",
        submitted=submitted, retry_after=RESULTS_RETRY_SECONDS))
