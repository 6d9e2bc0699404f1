"""Round results as CSV and XLSX, at the detail the round's anonymity allows.

Every round exports its suppressed scores. Only a round that is not anonymous also
exports answers, and then only to those who may run rounds.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from defusedcsv import csv
from django.utils import translation
from django_scopes import scope
from openpyxl import Workbook

from peerwork.assessments.models import Answer, Response, Round
from peerwork.assessments.scoring import RoundScores
from peerwork.framework.library import get_library

SCORE_COLUMNS = ["round", "questionnaire", "element_id", "area", "group", "n", "mean", "sd",
                 "suppressed"]
ANSWER_COLUMNS = ["round", "respondent", "position", "item", "value", "comment", "submitted_on"]


def _fmt(value: float | None) -> str | float:
    return "" if value is None else round(value, 3)


def score_rows(round_: Round, scores: RoundScores) -> Iterator[list[object]]:
    language = (translation.get_language() or "en").split("-")[0]
    library = get_library()
    questionnaire = f"{round_.questionnaire}-{round_.questionnaire_version}"
    yield list(SCORE_COLUMNS)
    for element in scores.elements:
        title = library.elements[element.element_id].title[language]
        for cell in (element.total, *element.groups):
            yield [round_.pk, questionnaire, element.element_id, title, cell.group,
                   "" if cell.n is None else cell.n, _fmt(cell.mean), _fmt(cell.sd),
                   "yes" if cell.suppressed else "no"]


def answer_rows(round_: Round) -> Iterator[list[object]]:
    """Answer-level rows; refuses anonymous rounds outright."""
    if round_.anonymous:
        raise PermissionError("anonymous rounds export scores only")
    yield list(ANSWER_COLUMNS)
    with scope(organisation=round_.organisation):
        responses = {r.pk: r for r in Response.objects.filter(round=round_, submitted=True)
                     .select_related("respondent")}
    answers = Answer.objects.filter(response__in=list(responses)).order_by("response_id", "item")
    for answer in answers:
        response = responses[answer.response_id]
        who = response.respondent.email if response.respondent else ""
        yield [round_.pk, who, response.position, answer.item,
               "" if answer.value is None else answer.value, answer.comment,
               response.submitted_on.isoformat() if response.submitted_on else ""]


def to_csv(rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def to_xlsx(rows: Iterable[list[object]], *, sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        # A leading = would make a spreadsheet run the cell as a formula.
        worksheet.append([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
