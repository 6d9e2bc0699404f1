"""The framework library as a report: an HTML page and a PDF in either language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

from peerwork.framework.library import Library, get_library
from peerwork.reports.models import ReportJob
from peerwork.reports.tasks import Built, register

if TYPE_CHECKING:
    from peerwork.reports.charts import Chart

KIND = "framework_library"
TEMPLATE = "framework/report.html"


def roles_chart(library: Library) -> Chart:
    """Studies per peer-worker role in the thesis's scoping review (Model 3)."""
    # matplotlib loads only when a report is drawn, not in every web process.
    from peerwork.reports.charts import horizontal_bar_chart  # noqa: PLC0415

    language = translation.get_language() or "en"
    structure = library.structure("peer_role")
    elements = [e for e in structure.elements if "studies" in e.attributes] if structure else []
    return horizontal_bar_chart(
        labels=[e.title[language] for e in elements],
        values=[float(e.attributes["studies"]) for e in elements],
        alt=_("Number of studies in the scoping review that describe each peer-worker role."),
        value_label=_("Studies"), category_label=_("Role"), value_format="{:.0f}",
    )


def report_context(library: Library) -> dict[str, Any]:
    return {"library": library, "chart": roles_chart(library)}


def cache_key(library: Library, language: str) -> str:
    return f"{KIND}:{library.version}:{language}"


@register(KIND)
def build(job: ReportJob, progress: Callable[[int, int], None]) -> Built:
    from peerwork.reports.render import Part, render_pdf_parts  # noqa: PLC0415 - WeasyPrint on demand

    library = get_library()
    with translation.override(job.language):
        context = report_context(library)
        front = Part(TEMPLATE, {**context, "structures": [], "show_front": True})
        parts = [Part(TEMPLATE, {**context, "structures": [s], "show_front": False},
                      title=s.title[job.language]) for s in library.structures]
    pdf = render_pdf_parts(front=front, parts=parts, language=job.language, progress=progress)
    return Built(pdf=pdf, filename=f"peerwork-framework-{library.version}-{job.language}.pdf")
