"""Coded meaning units as rows for CSV and XLSX (formula-safe writers of the assessments
exporter). Speakers appear by pseudonym only: the code key is never exported."""

from __future__ import annotations

from collections.abc import Iterator

from django_scopes import scope

from peerwork.assessments.exporters import to_csv, to_xlsx
from peerwork.qualitative.models import Code, MeaningUnit, Project

__all__ = ["UNIT_COLUMNS", "to_csv", "to_xlsx", "unit_rows"]

UNIT_COLUMNS = ["unit", "document", "start", "end", "text", "codes", "code_groups", "analyst",
                "created"]


def unit_rows(project: Project) -> Iterator[list[object]]:
    yield list(UNIT_COLUMNS)
    with scope(organisation=project.organisation):
        codes = {c.pk: c for c in Code.objects.filter(project=project).select_related("group")}
        # One query for every coding, rather than a prefetch per unit: this runs over all units.
        codings: dict[int, list[Code]] = {}
        for unit_id, code_id in MeaningUnit.codes.through.objects.filter(
                meaningunit__project=project).values_list("meaningunit_id", "code_id"):
            codings.setdefault(unit_id, []).append(codes[code_id])
        units = (MeaningUnit.objects.filter(project=project)
                 .order_by("document__title", "start", "id")
                 .values_list("id", "guid", "document__title", "start", "end", "text",
                              "author__name", "author__email", "created"))
        for unit_id, guid, title, start, end, text, name, email, created in units.iterator(chunk_size=2000):
            unit_codes = sorted(codings.get(unit_id, []), key=lambda c: c.name)
            yield [str(guid), title, start, end, text, "; ".join(c.name for c in unit_codes),
                   "; ".join(sorted({c.group.name for c in unit_codes if c.group})),
                   name or email or "", created.date().isoformat()]
