"""The yearly impact summary: an HTML page and a PDF for leadership, in either language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation

from peerwork.impact import queries
from peerwork.orgs.models import Organisation
from peerwork.reports.models import ReportJob
from peerwork.reports.tasks import Built, register

KIND = "impact_year"
TEMPLATE = "impact/summary.html"


def report_context(organisation: Organisation, year: int) -> dict[str, Any]:
    """Everything the summary shows; the same for the page and the PDF."""
    from peerwork.impact.charts import over_time  # noqa: PLC0415 - matplotlib on demand

    summary = queries.year_summary(organisation, year)
    return {"organisation": organisation, "summary": summary, "year": year,
            "chart": over_time(summary.months)}


@register(KIND)
def build(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
    organisation = job.organisation
    if organisation is None:
        raise ValueError("an impact summary belongs to an organisation")
    year = int(job.params["year"])
    progress(0, 2)
    with translation.override(job.language):
        context = report_context(organisation, year)
    progress(1, 2)
    from peerwork.reports.render import render_pdf  # noqa: PLC0415 - WeasyPrint on demand

    pdf = render_pdf(TEMPLATE, context, language=job.language)
    return Built(pdf=pdf, filename=f"peerwork-impact-{year}-{job.language}.pdf")
