"""The four STC steps, and steps 3 and 4 for one code group."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_scopes import scope

from peerwork.qualitative import queries, services
from peerwork.qualitative.enums import Step
from peerwork.qualitative.forms import (
    CommentForm,
    CondensateForm,
    ImpressionForm,
    QuotesForm,
    StatementForm,
    ThemeForm,
)
from peerwork.qualitative.models import (
    CodeGroup,
    Condensate,
    Impression,
    Synthesis,
    Theme,
)
from peerwork.qualitative.rules import CODE, COMMENT, LEAD
from peerwork.qualitative.views.common import (
    _base,
    _comments,
    _project,
    _unit_label,
)


@login_required
def step(request: HttpRequest, slug: str, project_id: int, number: int) -> HttpResponse:
    """One STC step: its work, and the team's comments on it."""
    project, role = _project(request, slug, project_id)
    if number not in Step.values:
        raise Http404
    status = 200
    comment_form = CommentForm(initial={"step": number})
    impression_form = ImpressionForm()
    theme_form = ThemeForm()
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "comment" and role in COMMENT:
                comment_form = CommentForm(request.POST)
                if comment_form.is_valid():
                    services.add_comment(actor=request.user, project=project, step=number,
                                         text=comment_form.cleaned_data["text"])
                    return redirect("qualitative:step", slug=slug, project_id=project.pk, number=number)
            elif what == "impression" and role in CODE and number == Step.IMPRESSION:
                impression_form = ImpressionForm(request.POST)
                if impression_form.is_valid():
                    services.save_impression(actor=request.user, project=project,
                                             text=impression_form.cleaned_data["text"])
                    return redirect("qualitative:step", slug=slug, project_id=project.pk, number=number)
            elif what == "theme" and role in LEAD and number == Step.IMPRESSION:
                theme_form = ThemeForm(request.POST)
                if theme_form.is_valid():
                    services.add_theme(actor=request.user, project=project,
                                       title=theme_form.cleaned_data["title"])
                    return redirect("qualitative:step", slug=slug, project_id=project.pk, number=number)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    context = _base(project, role, number=number, step_label=Step(number).label,
                    comments=_comments(project, number), comment_form=comment_form)
    with scope(organisation=project.organisation):
        if number == Step.IMPRESSION:
            mine = Impression.objects.filter(project=project, author=request.user).first()
            # Each analyst writes alone first: others' impressions show once yours is saved.
            others = list(Impression.objects.filter(project=project).exclude(author=request.user)
                          .select_related("author")) if (mine or role not in CODE) else []
            if mine and request.method != "POST":
                impression_form = ImpressionForm(initial={"text": mine.text})
            context.update(mine=mine, others=others, impression_form=impression_form,
                           theme_form=theme_form, themes=list(Theme.objects.filter(project=project)))
        else:
            tree, _loose = queries.codebook(project)
            context.update(tree=tree)
            if number == Step.CODING:
                context.update(overview=queries.overview(project))
    return render(request, "qualitative/step.html", context, status=status)


@login_required
def group_detail(request: HttpRequest, slug: str, project_id: int, group_id: int) -> HttpResponse:
    """Steps 3 and 4 for one code group: its meaning units beside the condensate, and the
    synthesis statements linked to their passages."""
    project, role = _project(request, slug, project_id)
    group = queries.get_in_project(CodeGroup, project, group_id)
    units = queries.units_of_group(group)
    choices = [(u.pk, _unit_label(u)) for u in units]
    with scope(organisation=project.organisation):
        condensate = Condensate.objects.filter(group=group).select_related("golden_quote").first()
        synthesis = (Synthesis.objects.filter(group=group)
                     .prefetch_related("statements__sources__document", "quotes__document").first())
    condensate_form = CondensateForm(units=choices, initial={
        "text": condensate.text if condensate else "",
        "golden_quote": condensate.golden_quote_id if condensate else None})
    statement_form = StatementForm(units=choices)
    quotes_form = QuotesForm(units=choices, initial={
        "quotes": [u.pk for u in synthesis.quotes.all()] if synthesis else []})
    status = 200
    if request.method == "POST":
        if role not in CODE:
            raise Http404
        what = request.POST.get("what")
        try:
            if what == "condensate":
                condensate_form = CondensateForm(request.POST, units=choices)
                if condensate_form.is_valid():
                    services.save_condensate(actor=request.user, group=group,
                                             text=condensate_form.cleaned_data["text"],
                                             golden_quote_id=condensate_form.cleaned_data["golden_quote"])
                    messages.success(request, _("The condensate is saved."))
                    return redirect("qualitative:group", slug=slug, project_id=project.pk, group_id=group.pk)
            elif what == "statement":
                statement_form = StatementForm(request.POST, units=choices)
                if statement_form.is_valid():
                    services.add_statement(actor=request.user, group=group,
                                           text=statement_form.cleaned_data["text"],
                                           source_ids=statement_form.cleaned_data["sources"])
                    return redirect("qualitative:group", slug=slug, project_id=project.pk, group_id=group.pk)
            elif what == "quotes":
                quotes_form = QuotesForm(request.POST, units=choices)
                if quotes_form.is_valid():
                    services.set_quotes(actor=request.user, group=group,
                                        unit_ids=quotes_form.cleaned_data["quotes"])
                    return redirect("qualitative:group", slug=slug, project_id=project.pk, group_id=group.pk)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    return render(request, "qualitative/group.html", _base(
        project, role, group=group, units=units, condensate=condensate, synthesis=synthesis,
        condensate_form=condensate_form, statement_form=statement_form, quotes_form=quotes_form),
        status=status)
