"""Importing a survey wave's free-text answers into a project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.qualitative import waves
from peerwork.qualitative.rules import CODE
from peerwork.qualitative.views.common import _base, _project


@login_required
@require_POST
def import_wave(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project, role = _project(request, slug, project_id, CODE)
    wave_id, _sep, question_id = request.POST.get("source", "").partition(":")
    source = (waves.find_source(request.user, project, int(wave_id), question_id)
              if wave_id.isdigit() else None)
    if source is None:
        return render(request, "qualitative/import_wave_failed.html", _base(
            project, role, message=_("Choose one of the survey questions listed.")), status=400)
    try:
        documents = waves.import_source(actor=request.user, project=project, source=source,
                                        language=translation.get_language() or "en")
    except ValidationError as exc:
        return render(request, "qualitative/import_wave_failed.html", _base(
            project, role, message=" ".join(exc.messages)), status=400)
    messages.success(request, _("Imported %(n)s answers, each as a document.") % {"n": len(documents)})
    return redirect("qualitative:project", slug=slug, project_id=project.pk)
