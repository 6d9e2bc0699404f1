"""The impact log through the API: the same funnels and services as the pages.

Writes name the version they are based on (409 when stale). Text that looks like
personal data is refused with 400 and the hits, unless the request acknowledges it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from peerwork.api.auth import AUTH
from peerwork.api.schemas import Message, ReportJobOut
from peerwork.impact import exporters, queries, services
from peerwork.impact import reports as impact_reports
from peerwork.impact.models import MAX_TEXT, Improvement
from peerwork.orgs.queries import get_organisation_for
from peerwork.reports.services import request_report

router = Router(tags=["impact"], auth=AUTH)
PAGE_SIZE = 100


def _responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    return {**ok, **dict.fromkeys(errors, Message)}


class ImprovementIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    problem: str = Field(min_length=1, max_length=MAX_TEXT)
    experience_source: str = Field(max_length=30,
                                   description="peer_worker, service_users or user_organisation")
    function: str = Field(max_length=60, description="a model4.function.* id")
    level: str = Field(max_length=60, description="model4.outcome.individual, .service or .organisation")
    outcome: str = Field(default="", max_length=MAX_TEXT)
    identified_on: dt.date
    personal_data_acknowledged: bool = Field(
        default=False, description="Save even though the text looks like personal data")


class ImprovementUpdate(Schema):
    title: str = Field(min_length=1, max_length=200)
    problem: str = Field(min_length=1, max_length=MAX_TEXT)
    experience_source: str = Field(max_length=30)
    function: str = Field(max_length=60)
    level: str = Field(max_length=60)
    outcome: str = Field(default="", max_length=MAX_TEXT)
    version: int
    personal_data_acknowledged: bool = False


class StageIn(Schema):
    stage: str = Field(max_length=20, description="the next stage, or the previous one to undo")
    on: dt.date | None = Field(default=None, description="required when moving forward")
    version: int


class ImprovementOut(Schema):
    id: int
    version: int
    title: str
    problem: str
    experience_source: str
    function: str
    level: str
    outcome: str
    stage: str
    identified_on: dt.date
    raised_on: dt.date | None
    designed_on: dt.date | None
    piloted_on: dt.date | None
    implemented_on: dt.date | None
    assessed_on: dt.date | None


class LogFilterIn(Schema):
    stage: str = ""
    level: str = ""
    function: str = ""
    year: int | None = None
    q: str = Field(default="", max_length=100)
    page: int = Field(default=1, ge=1)


def _out(entry: Improvement) -> ImprovementOut:
    return ImprovementOut.model_validate(entry, from_attributes=True)


def _personal_data(exc: services.PersonalDataWarning) -> HttpResponse:
    raise HttpError(400, "The text looks as if it contains personal data ("
                    + ", ".join(sorted({h.kind for h in exc.hits}))
                    + "). Remove it, or send personal_data_acknowledged: true.")


@router.get("/{slug}/impact", response=_responses({200: list[ImprovementOut]}, 401, 403, 404),
            summary="The impact log, newest first, filtered, 100 per page")
def list_improvements(request: HttpRequest, slug: str,
                      filters: Query[LogFilterIn]) -> list[ImprovementOut]:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    chosen = queries.LogFilter.from_params(filters.dict())
    rows = queries.improvements(organisation, chosen)
    start = (filters.page - 1) * PAGE_SIZE
    return [_out(e) for e in rows[start:start + PAGE_SIZE]]


@router.get("/{slug}/impact/export/{fmt}", response=_responses({200: None}, 401, 403, 404),
            summary="The filtered impact log as a CSV or XLSX file (fmt: csv or xlsx)")
def export_improvements(request: HttpRequest, slug: str, fmt: str,
                        filters: Query[LogFilterIn]) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    if fmt not in exporters.CONTENT_TYPES:
        raise HttpError(404, "Not Found")
    return exporters.response(queries.improvements(
        organisation, queries.LogFilter.from_params(filters.dict())), fmt)


@router.post("/{slug}/impact", response=_responses({201: ImprovementOut}, 400, 401, 403, 404, 422),
             summary="Log an improvement")
def log_improvement(request: HttpRequest, slug: str, payload: ImprovementIn) -> Status[ImprovementOut]:
    organisation = get_organisation_for(request.user, slug, perm=queries.LOG)
    try:
        entry = services.log_improvement(
            actor=request.user, organisation=organisation,
            data=payload.dict(exclude={"identified_on", "personal_data_acknowledged"}),
            identified_on=payload.identified_on,
            personal_data_acknowledged=payload.personal_data_acknowledged)
    except services.PersonalDataWarning as exc:
        _personal_data(exc)
    return Status(201, _out(entry))


@router.get("/{slug}/impact/{entry_id}", response=_responses({200: ImprovementOut}, 401, 403, 404),
            summary="One improvement with its stage dates")
def get_improvement(request: HttpRequest, slug: str, entry_id: int) -> ImprovementOut:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    return _out(queries.get_improvement_for(request.user, organisation, entry_id))


@router.put("/{slug}/impact/{entry_id}",
            response=_responses({200: ImprovementOut}, 400, 401, 403, 404, 409, 422),
            summary="Change an improvement; 409 when someone saved a newer version")
def update_improvement(request: HttpRequest, slug: str, entry_id: int,
                       payload: ImprovementUpdate) -> ImprovementOut:
    organisation = get_organisation_for(request.user, slug, perm=queries.LOG)
    entry = queries.get_improvement_for(request.user, organisation, entry_id, write=True)
    try:
        services.update_improvement(
            actor=request.user, entry=entry,
            data=payload.dict(exclude={"version", "personal_data_acknowledged"}),
            version=payload.version, personal_data_acknowledged=payload.personal_data_acknowledged)
    except services.PersonalDataWarning as exc:
        _personal_data(exc)
    except services.StaleVersion as exc:
        raise HttpError(409, f"Someone else saved version {exc.current} in the meantime.") from exc
    return _out(entry)


@router.post("/{slug}/impact/{entry_id}/stage",
             response=_responses({200: ImprovementOut}, 400, 401, 403, 404, 409, 422),
             summary="Move to the next stage on a date, or undo the last move")
def move_stage(request: HttpRequest, slug: str, entry_id: int, payload: StageIn) -> ImprovementOut:
    organisation = get_organisation_for(request.user, slug, perm=queries.LOG)
    entry = queries.get_improvement_for(request.user, organisation, entry_id, write=True)
    try:
        services.move_stage(actor=request.user, entry=entry, stage=payload.stage, on=payload.on,
                            version=payload.version)
    except services.StaleVersion as exc:
        raise HttpError(409, f"Someone else saved version {exc.current} in the meantime.") from exc
    return _out(entry)


class CountOut(Schema):
    id: str
    count: int


class YearSummaryOut(Schema):
    year: int
    logged: int
    by_stage: list[CountOut]
    by_level: list[CountOut]
    by_function: list[CountOut]
    implemented_count: int
    implemented: list[ImprovementOut] = Field(description="The first 200 implemented")


class SummaryPdfIn(Schema):
    language: str = Field(default="en", max_length=2, description='"en" or "nb"')


@router.get("/{slug}/impact/summary/{year}",
            response=_responses({200: YearSummaryOut}, 401, 403, 404, 422),
            summary="The yearly impact summary: counts by stage, level and function; what was implemented")
def year_summary(request: HttpRequest, slug: str, year: int) -> YearSummaryOut:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    if not 1990 <= year <= 2200:
        raise HttpError(404, "Not Found")
    summary = queries.year_summary(organisation, year)
    return YearSummaryOut(
        year=year, logged=summary.logged,
        by_stage=[CountOut(id=v, count=n) for v, _label, n in summary.by_stage],
        by_level=[CountOut(id=v, count=n) for v, _label, n in summary.by_level],
        by_function=[CountOut(id=v, count=n) for v, _label, n in summary.by_function],
        implemented_count=summary.implemented_count,
        implemented=[_out(e) for e in summary.implemented])


@router.post("/{slug}/impact/summary/{year}/pdf",
             response=_responses({202: ReportJobOut}, 400, 401, 403, 404, 422),
             summary="Start rendering the yearly summary as a PDF; follow /reports/jobs/{id}")
def year_summary_pdf(request: HttpRequest, slug: str, year: int,
                     payload: SummaryPdfIn) -> Status[ReportJobOut]:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    if not 1990 <= year <= 2200:
        raise HttpError(404, "Not Found")
    if payload.language not in {"en", "nb"}:
        raise HttpError(400, 'language must be "en" or "nb"')
    job = request_report(kind=impact_reports.KIND, language=payload.language,
                         params={"year": year}, requested_by=request.user,
                         organisation=organisation)
    return Status(202, ReportJobOut(id=str(job.pk), kind=job.kind, language=job.language,
                                    status=job.status, percent=job.percent, download_url=None))
