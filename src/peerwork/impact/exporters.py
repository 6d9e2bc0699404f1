"""The impact log as CSV and XLSX, with the filters of the page applied."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from defusedcsv import csv
from django.db.models import QuerySet
from django.http import HttpResponse
from openpyxl import Workbook

from peerwork.impact.models import Improvement

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = ["id", "title", "problem", "experience_source", "function", "level", "stage",
           "identified_on", "raised_on", "designed_on", "piloted_on", "implemented_on",
           "assessed_on", "outcome"]


def rows(entries: QuerySet[Improvement]) -> Iterator[list[object]]:
    """A header, then one row per entry: ids and codes, not labels, so that the file
    reads the same in either language."""
    yield list(COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        yield [("" if (v := getattr(entry, c)) is None else
                v.isoformat() if hasattr(v, "isoformat") else v) for c in COLUMNS]


def to_csv(data: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # defusedcsv neutralises formulas in cells
    for row in data:
        writer.writerow(row)
    return buffer.getvalue()


def to_xlsx(data: Iterable[list[object]], *, sheet: str = "impact") -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in data:
        # A cell starting with "=" would be a formula: write it as text.
        worksheet.append([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(entries: QuerySet[Improvement], fmt: str) -> HttpResponse:
    """The filtered log as a download in ``fmt`` (a key of CONTENT_TYPES)."""
    data = rows(entries)
    body: str | bytes = to_csv(data) if fmt == "csv" else to_xlsx(data)
    reply = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    reply["Content-Disposition"] = f'attachment; filename="peerwork-impact-log.{fmt}"'
    return reply
