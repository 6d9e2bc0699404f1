"""Coded meaning units as rows for CSV and XLSX (formula-safe writers of the assessments
exporter). Speakers appear by pseudonym only: the code key is never exported."""

from __future__ import annotations

from collections.abc import Iterator

from django_scopes import scope

from peerwork.assessments.exporters import to_csv, to_xlsx
from peerwork.qualitative.models import MeaningUnit, Project

__all__ = ["UNIT_COLUMNS", "to_csv", "to_xlsx", "unit_rows"]

UNIT_COLUMNS = ["unit", "document", "start", "end", "text", "codes", "code_groups", "analyst",
                "created"]


def unit_rows(project: Project) -> Iterator[list[object]]:
    yield list(UNIT_COLUMNS)
    with scope(organisation=project.organisation):
        units = (MeaningUnit.objects.filter(project=project)
                 .select_related("document", "author").prefetch_related("codes__group")
                 .order_by("document__title", "start", "id"))
        for unit in units.iterator(chunk_size=2000):
            codes = sorted(unit.codes.all(), key=lambda c: c.name)
            yield [str(unit.guid), unit.document.title, unit.start, unit.end, unit.text,
                   "; ".join(c.name for c in codes),
                   "; ".join(sorted({c.group.name for c in codes if c.group})),
                   (unit.author.name or unit.author.email) if unit.author else "",
                   unit.created.date().isoformat()]
