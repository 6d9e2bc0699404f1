"""The analysis as a report: themes, condensates and quotes, as a page and a PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django_scopes import scope

from peerwork.qualitative import queries
from peerwork.qualitative.models import Condensate, Project, Synthesis, Theme
from peerwork.reports.models import ReportJob
from peerwork.reports.tasks import Built, register

KIND = "qualitative_project"
TEMPLATE = "qualitative/report.html"


def report_context(project: Project) -> dict[str, Any]:
    """Everything the report shows; the same for the page and the PDF. Pseudonyms only."""
    tree, _loose = queries.codebook(project)
    with scope(organisation=project.organisation):
        themes = list(Theme.objects.filter(project=project))
        condensates = {c.group_id: c for c in Condensate.objects.filter(project=project)
                       .select_related("golden_quote", "golden_quote__document")}
        syntheses = {s.group_id: s for s in Synthesis.objects.filter(project=project)
                     .prefetch_related("statements__sources__document", "quotes__document")}

    def flatten(nodes: list[queries.GroupNode], depth: int) -> list[dict[str, Any]]:
        rows = []
        for node in nodes:
            rows.append({"group": node.group, "depth": depth,
                         "condensate": condensates.get(node.group.pk),
                         "synthesis": syntheses.get(node.group.pk)})
            rows += flatten(node.subgroups, depth + 1)
        return rows

    return {"project": project, "organisation": project.organisation, "themes": themes,
            "groups": flatten(tree, 0)}


@register(KIND)
def build(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
    organisation = job.organisation
    if organisation is None:
        raise ValueError("an analysis report belongs to an organisation")
    with scope(organisation=organisation):
        project = Project.objects.get(organisation=organisation, pk=job.params["project"])
    progress(0, 2)
    with translation.override(job.language):
        context = report_context(project)
    progress(1, 2)
    from peerwork.reports.render import render_pdf  # noqa: PLC0415 - WeasyPrint on demand

    pdf = render_pdf(TEMPLATE, context, language=job.language)
    return Built(pdf=pdf, filename=f"peerwork-analysis-{project.pk}-{job.language}.pdf")
