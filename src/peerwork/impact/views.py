"""Impact log pages: the log with filters, chart and export; entries and their stages;
the yearly summary."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peerwork.framework.library import get_library
from peerwork.impact import exporters, queries, services, stages
from peerwork.impact import reports as impact_reports
from peerwork.impact.enums import Function, ImpactLevel, Stage
from peerwork.impact.forms import ImprovementForm, StageForm
from peerwork.impact.models import Improvement
from peerwork.orgs.queries import get_organisation_for
from peerwork.reports.context import page_context
from peerwork.reports.services import request_report

PAGE_SIZE = 50
STALE = gettext_lazy("Someone else saved this entry in the meantime. Your changes are kept "
                     "below: compare them with the current entry, then save again.")
HIT_LABELS = {"email": gettext_lazy("an email address"),
              "national_id": gettext_lazy("a national identity number"),
              "phone": gettext_lazy("a phone number"), "name": gettext_lazy("a name")}


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _warning(hits: list[Any]) -> list[str]:
    return [_("%(what)s: “%(text)s”") % {"what": HIT_LABELS[h.kind], "text": h.text} for h in hits]


@login_required
def log(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    filters = queries.LogFilter.from_params(request.GET)
    rows = queries.improvements(organisation, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    chart = _chart_for(organisation, filters, rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "impact/log.html", {
        "organisation": organisation, "filters": filters, "page": page, "chart": chart,
        "query": query.urlencode(), "stages": Stage.choices, "levels": ImpactLevel.choices,
        "functions": Function.choices, "years": queries.years_of(organisation),
        "can_log": request.user.has_perm(queries.LOG, organisation),
        "this_year": timezone.localdate().year,
    })


CHART_CACHE_SECONDS = 60 * 60 * 24
CHART_DRAWING = 2  # raise when the drawing changes, so charts cached before are not reused


def _chart_for(organisation: Any, filters: queries.LogFilter, rows: Any) -> Any:
    """The chart over time for these filters, drawn once per state of the log and
    language: drawing it takes longer than the rest of the page."""
    key = f"impact-chart:{CHART_DRAWING}:" + hashlib.sha256(repr((
        organisation.pk, queries.log_state(organisation), filters, _language())).encode()
    ).hexdigest()
    chart = cache.get(key)
    if chart is None:
        from peerwork.impact.charts import over_time  # noqa: PLC0415 - matplotlib on demand

        chart = over_time(queries.monthly_counts(rows)) or False
        cache.set(key, chart, CHART_CACHE_SECONDS)
    return chart or None


def _save_entry(request: HttpRequest, organisation: Any, entry: Improvement | None
                ) -> tuple[ImprovementForm, Improvement | None, int, list[str]]:
    """Validate and save the posted form; returns the form, the saved entry (or None),
    the status and any personal-data warning."""
    form = ImprovementForm(request.POST)
    if entry is not None:
        form.fields["identified_on"].required = False
    warning: list[str] = []
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        acknowledged = data["personal_data_acknowledged"]
        try:
            if entry is None:
                saved = services.log_improvement(
                    actor=request.user, organisation=organisation, data=data,
                    identified_on=data["identified_on"], personal_data_acknowledged=acknowledged,
                    submission=data["submission"])
            else:
                saved = services.update_improvement(
                    actor=request.user, entry=entry, data=data, version=data["version"] or 0,
                    personal_data_acknowledged=acknowledged)
        except services.PersonalDataWarning as exc:
            warning = _warning(exc.hits)
            status = 200  # not an error: the writer decides, with the text kept
        except services.StaleVersion:
            form.add_error(None, STALE)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return form, saved, 302, []
    return form, None, status, warning


@login_required
def new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.LOG)
    if request.method == "POST":
        form, saved, status, warning = _save_entry(request, organisation, None)
        if saved is not None:
            messages.success(request, _("The improvement is logged."))
            return redirect("impact:detail", slug=slug, entry_id=saved.pk)
    else:
        form = ImprovementForm(initial={"identified_on": timezone.localdate(),
                                        "submission": uuid.uuid4()})
        status, warning = 200, []
    return render(request, "impact/form.html", {
        "organisation": organisation, "form": form, "entry": None, "warning": warning,
    }, status=status)


@login_required
def edit(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.LOG)
    entry = queries.get_improvement_for(request.user, organisation, entry_id, write=True)
    if request.method == "POST":
        form, saved, status, warning = _save_entry(request, organisation, entry)
        if saved is not None:
            messages.success(request, _("The improvement is saved."))
            return redirect("impact:detail", slug=slug, entry_id=saved.pk)
    else:
        form = ImprovementForm(initial={**{n: getattr(entry, n) for n in services.FIELDS},
                                        "identified_on": entry.identified_on,
                                        "version": entry.version})
        form.fields["identified_on"].required = False
        status, warning = 200, []
    form.fields["identified_on"].disabled = True
    return render(request, "impact/form.html", {
        "organisation": organisation, "form": form, "entry": entry, "warning": warning,
    }, status=status)


def _detail_context(request: HttpRequest, entry: Improvement) -> dict[str, Any]:
    following = stages.next_stage(entry.stage)
    index = stages.ORDER.index(entry.stage)
    previous = stages.ORDER[index - 1] if index else None
    return {
        "organisation": entry.organisation, "entry": entry, "library": get_library(),
        "timeline": [(s.label, getattr(entry, f"{s.value}_on")) for s in Stage],
        "next_stage": Stage(following) if following else None,
        "previous_stage": Stage(previous) if previous else None,
        "can_log": request.user.has_perm(queries.LOG, entry.organisation),
        "today": timezone.localdate(),
    }


@login_required
def detail(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    entry = queries.get_improvement_for(request.user, organisation, entry_id)
    return render(request, "impact/detail.html", _detail_context(request, entry))


@login_required
@require_POST
def move(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.LOG)
    entry = queries.get_improvement_for(request.user, organisation, entry_id, write=True)
    form = StageForm(request.POST)
    error, status = "", 400
    if not form.is_valid():
        error = _("Choose a stage and a date.")
    else:
        try:
            services.move_stage(actor=request.user, entry=entry, stage=form.cleaned_data["stage"],
                                on=form.cleaned_data["on"], version=form.cleaned_data["version"])
        except services.StaleVersion:
            error, status = _("Someone else changed this entry in the meantime. Check its stage "
                              "now, then try again."), 409
            entry = queries.get_improvement_for(request.user, organisation, entry_id)
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
            entry = queries.get_improvement_for(request.user, organisation, entry_id)
        else:
            messages.success(request, _("The stage is saved."))
            return redirect("impact:detail", slug=slug, entry_id=entry.pk)
    context = _detail_context(request, entry)
    context["stage_error"] = error
    return render(request, "impact/detail.html", context, status=status)




@login_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    if fmt not in exporters.CONTENT_TYPES:
        raise Http404
    return exporters.response(
        queries.improvements(organisation, queries.LogFilter.from_params(request.GET)), fmt)


def _year(year: int) -> int:
    if not 1990 <= year <= 2200:
        raise Http404
    return year


@login_required
def summary(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    context = impact_reports.report_context(organisation, _year(year))
    context["this_year"] = timezone.localdate().year
    return render(request, impact_reports.TEMPLATE, page_context(context))


@login_required
@require_POST
def summary_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, perm=queries.VIEW)
    job = request_report(kind=impact_reports.KIND, language=_language(),
                         params={"year": _year(year)}, requested_by=request.user,
                         organisation=organisation)
    return redirect("reports:job", job_id=job.pk)
