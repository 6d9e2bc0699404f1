"""An assessment round as a report: an HTML page and a PDF memorandum in either language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope

from peerwork.assessments import queries
from peerwork.assessments.models import Round
from peerwork.framework.library import get_library
from peerwork.reports.models import ReportJob
from peerwork.reports.tasks import Built, register

if TYPE_CHECKING:
    from peerwork.reports.charts import Chart

KIND = "assessment_round"
TEMPLATE = "assessments/report.html"


def scores_chart(round_: Round, context: dict[str, Any]) -> Chart | None:
    # matplotlib loads only when a report is drawn, not in every web process.
    from peerwork.reports.charts import horizontal_bar_chart, remembered  # noqa: PLC0415

    language = (translation.get_language() or "en").split("-")[0]
    rows = [(element, score) for element, score in context["rows"]
            if not score.total.suppressed and score.total.mean is not None]
    if not rows:
        return None
    return remembered(
        horizontal_bar_chart, slot=f"round-scores:{round_.pk}:{language}",
        labels=[f"{e.label} {e.title[language]}".strip() for e, _ in rows],
        values=[float(s.total.mean) for _, s in rows],
        alt=_("Average score per area for all respondents, from 1 (strongly disagree) to 5 "
              "(strongly agree)."),
        value_label=_("Average score"), category_label=_("Area"), value_format="{:.1f}",
    )


def report_context(round_: Round) -> dict[str, Any]:
    """Everything the report shows; the same for the page and the PDF."""
    library = get_library()
    scores = queries.round_scores(round_)
    rows = queries.area_rows(scores)
    context: dict[str, Any] = {
        "round": round_, "organisation": round_.organisation, "scores": scores, "rows": rows,
        "findings": queries.findings(round_, scores), "library": library,
        "participation": queries.participation(round_), "actions": queries.actions_of(round_),
    }
    context["chart"] = scores_chart(round_, context)
    return context


@register(KIND)
def build(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
    organisation = job.organisation
    if organisation is None:
        raise ValueError("an assessment report belongs to an organisation")
    with scope(organisation=organisation):
        round_ = Round.objects.get(organisation=organisation, pk=job.params["round"])
    progress(0, 2)
    with translation.override(job.language):
        context = report_context(round_)
    progress(1, 2)
    from peerwork.reports.render import render_pdf  # noqa: PLC0415 - WeasyPrint on demand

    pdf = render_pdf(TEMPLATE, context, language=job.language)
    return Built(pdf=pdf, filename=f"peerwork-assessment-{round_.pk}-{job.language}.pdf")
