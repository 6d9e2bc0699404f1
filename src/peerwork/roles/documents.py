"""Draft the documents of a role from its design, in English or Norwegian.

A draft is plain text that the manager and the peer worker edit before they confirm
it: ``# `` starts a heading, ``- `` a list item, ``- [ ] `` a checklist item, and a
blank line a new paragraph. :func:`to_html` renders it, escaping everything.

Each document is drafted from the design fields in :data:`SOURCES` and from nothing
else: a drafter sees only those (:class:`_Sources`), so the snapshot a version keeps
of them (:func:`snapshot`) tells exactly whether the design changed in a way that
would change the draft.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from peerwork.framework.library import get_library
from peerwork.roles.models import RoleDesign

if TYPE_CHECKING:
    from django.utils.functional import Promise

# "organisation" is the organisation's name; every other name is a RoleDesign field.
SOURCES: dict[str, tuple[str, ...]] = {
    "job_description": ("title", "team", "organisation", "form", "target_group",
                        "lived_experience", "involvement", "functions", "tasks",
                        "annual_salary_nok"),
    "job_advertisement": ("title", "team", "organisation", "tasks", "lived_experience"),
    "onboarding_plan": ("title", "contact_person", "buddy", "supervisor"),
    "support_plan": ("title", "supervisor", "senior_peer_supervision"),
}


def snapshot(kind: str, role: RoleDesign) -> dict[str, Any]:
    """The values ``kind`` is drafted from, as the database gives JSON back."""
    values = {name: role.organisation.name if name == "organisation" else getattr(role, name)
              for name in SOURCES[kind]}
    return json.loads(json.dumps(values))  # tuples become lists, as stored ones are


def changed_since(kind: str, role: RoleDesign, saved: Mapping[str, Any]) -> list[str]:
    """The source fields whose value differs from ``saved`` (none when nothing was kept)."""
    if not saved:
        return []
    now = snapshot(kind, role)
    return [name for name in SOURCES[kind] if saved.get(name) != now[name]]


def source_label(name: str) -> Promise | str:
    """What to call a source field when telling the reader it changed."""
    if name == "organisation":
        return gettext_lazy("name of the organisation")
    return RoleDesign._meta.get_field(name).verbose_name  # type: ignore[union-attr]


class _Sources:
    """The design as one drafter may read it: only its :data:`SOURCES`."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"{name} is not among this document's SOURCES") from None


def _title(element_id: str, language: str) -> str:
    element = get_library().element(element_id)
    return element.title[language] if element else element_id


def _involvement_lines(role: Any, language: str) -> list[str]:
    lines = []
    for phase, levels in role.involvement.items():
        lines.append("- " + _("%(phase)s: %(levels)s") % {
            "phase": _title(phase, language),
            "levels": ", ".join(_title(level, language).lower() for level in levels)})
    return lines or ["- " + _("Not yet decided.")]


def _position_line(role: Any, language: str) -> str:
    """Title, team and organisation; the team once, when the title names it already."""
    values = {"title": role.title, "team": role.team, "organisation": role.organisation,
              "form": _title(role.form, language)}
    if role.team.casefold() in role.title.casefold():
        return _("%(title)s, %(organisation)s. Form of the role: %(form)s.") % values
    return _("%(title)s in %(team)s, %(organisation)s. Form of the role: %(form)s.") % values


def _job_description(role: Any, language: str) -> tuple[str, list[str]]:
    title = _("Job description: %(title)s") % {"title": role.title}
    lines = [
        "# " + _("The position"),
        _position_line(role, language),
        "",
        _("The position is built on the person's lived experience of mental health or "
          "substance use problems and recovery, used deliberately in the work."),
        "",
        "# " + _("Target group and lived experience"),
        _("Target group: %(group)s") % {"group": role.target_group},
        "",
        _("Lived experience we seek: %(experience)s") % {"experience": role.lived_experience},
        "",
        "# " + _("Involvement in the service cycle"),
        *_involvement_lines(role, language),
        "",
        "# " + _("Core functions"),
        *(["- " + _title(f, language) for f in role.functions] or ["- " + _("Not yet decided.")]),
        "",
        "# " + _("Tasks"),
        *([("- " + t.strip().lstrip("-").strip()) for t in role.tasks.splitlines() if t.strip()]
          or ["- " + _("Not yet decided.")]),
        "",
        "# " + _("Working conditions"),
        _("The position is on the same pay scale as colleagues with comparable work, and "
          "lived experience counts towards seniority."),
    ]
    if role.annual_salary_nok:
        lines.append("")
        lines.append(_("Annual salary: NOK %(salary)s.") % {
            "salary": f"{role.annual_salary_nok:,}".replace(",", " ")})
    return title, lines


def _job_advertisement(role: Any, language: str) -> tuple[str, list[str]]:
    title = _("We are hiring: %(title)s") % {"title": role.title}
    lines = [
        _("%(organisation)s is looking for a peer worker for %(team)s. Your own experience "
          "of mental health or substance use problems, and of getting through them, is the "
          "main qualification for this job.") % {
            "organisation": role.organisation, "team": role.team},
        "",
        "# " + _("What you will do"),
        *([("- " + t.strip().lstrip("-").strip()) for t in role.tasks.splitlines() if t.strip()]
          or ["- " + _("Work with service users and the team, using your experience.")]),
        "",
        "# " + _("Who we are looking for"),
        "- " + _("Lived experience: %(experience)s") % {"experience": role.lived_experience},
        "- " + _("You have come far enough in your own recovery to use your experience to "
                 "help others."),
        "- " + _("Training as a peer worker is an advantage, not a requirement."),
        "",
        "# " + _("What we offer"),
        "- " + _("An introduction period with a contact person and a senior buddy."),
        "- " + _("Supervision and regular meetings with other peer workers."),
        "- " + _("Pay on the same scale as colleagues; lived experience counts towards seniority."),
        "",
        _("A peer worker takes part in the interviews."),
    ]
    return title, lines


def _named(name: str, named: str, unnamed: str) -> str:
    """A list item naming a person, or asking for the name while there is none."""
    return "- " + (named % {"name": name} if name else unnamed)


def _supervisor_line(role: Any) -> str:
    return _named(role.supervisor, _("Supervisor or coach: %(name)s"),
                  _("Supervisor or coach: (name who supervises or coaches the peer worker, "
                    "from outside the team)"))


def _onboarding_plan(role: Any, language: str) -> tuple[str, list[str]]:
    title = _("Onboarding plan: %(title)s") % {"title": role.title}
    lines = [
        "# " + _("People"),
        _named(role.contact_person, _("Contact person: %(name)s"),
               _("Contact person: (name the person in the team the peer worker goes to first)")),
        _named(role.buddy, _("Senior buddy: %(name)s"),
               _("Senior buddy: (name an experienced peer worker, ideally from outside the team)")),
        _supervisor_line(role),
        "- " + _("Job coach: (name who coaches the peer worker in the job, and how often)"),
        "",
        "# " + _("Expectations"),
        _("What the service expects in the first three months, and what the peer worker "
          "can expect of the service: write them down together."),
        "",
        "# " + _("Checklist for the first weeks"),
        "- [ ] " + _("Welcome meeting with the manager: the role, its tasks and its limits"),
        "- [ ] " + _("The team is told what the role is and why the service has it"),
        "- [ ] " + _("Meet the contact person and agree when to meet each week"),
        "- [ ] " + _("Meet the senior buddy"),
        "- [ ] " + _("Agree how information about service users is shared"),
        "- [ ] " + _("Go through the absence policy and any adjustments"),
        "- [ ] " + _("Access, keys, systems and a place to work are ready"),
        "- [ ] " + _("First job-coaching session"),
        "- [ ] " + _("Review after four weeks: what works, what to change"),
    ]
    return title, lines


def _support_plan(role: Any, language: str) -> tuple[str, list[str]]:
    title = _("Support plan: %(title)s") % {"title": role.title}
    supervision = (_("By a senior peer worker.") if role.senior_peer_supervision else
                   _("Not yet arranged with a senior peer worker: arrange it."))
    lines = [
        "# " + _("Intervision"),
        _("Regular case discussions with other peer workers, inside or outside the service."),
        "",
        "# " + _("Supervision"),
        _supervisor_line(role),
        "- " + supervision,
        "",
        "# " + _("Thematic days"),
        _("Days on themes of peer work and on the service's policy, for peer workers and "
          "colleagues together."),
        "",
        "# " + _("Contact with user organisations"),
        _("Time to keep in touch with user organisations and the peer community, the source "
          "of the experience the role brings."),
    ]
    return title, lines


DRAFTERS = {
    "job_description": _job_description,
    "job_advertisement": _job_advertisement,
    "onboarding_plan": _onboarding_plan,
    "support_plan": _support_plan,
}


def draft(*, kind: str, role: RoleDesign, language: str) -> tuple[str, str]:
    """The first version of a document: (title, text)."""
    sources = _Sources(snapshot(kind, role))
    with override(language):
        title, lines = DRAFTERS[kind](sources, language)
    return title[:200], "\n".join(lines)


def to_html(body: str) -> SafeString:
    """The document text as HTML; every piece of text is escaped."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    checklist = False

    def flush() -> None:
        nonlocal checklist
        if paragraph:
            out.append("<p>" + " ".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            css = ' class="checklist"' if checklist else ""
            out.append(f"<ul{css}>" + "".join(items) + "</ul>")
            items.clear()
            checklist = False

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            out.append("<h2>" + escape(line[2:]) + "</h2>")
        elif line.startswith("- [ ] ") or line.startswith("- [x] "):
            if paragraph or (items and not checklist):
                flush()
            checklist = True
            done = line.startswith("- [x] ")
            mark = "☑" if done else "☐"
            items.append(f'<li><span aria-hidden="true">{mark}</span> ' + escape(line[6:]) + "</li>")
        elif line.startswith("- "):
            if paragraph or checklist:
                flush()
            items.append("<li>" + escape(line[2:]) + "</li>")
        else:
            if items:
                flush()
            paragraph.append(escape(line))
    flush()
    return mark_safe("\n".join(out))  # noqa: S308 - every piece of text above is escaped
