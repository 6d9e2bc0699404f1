from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peerwork.roles.enums import CoreFunction, InformationSharing, Level, Phase, RoleForm
from peerwork.roles.models import MAX_DOCUMENT, MAX_TEXT

INVOLVEMENT_CHOICES = [(f"{p.value}|{lv.value}", f"{p.label}: {lv.label}")
                       for p in Phase for lv in Level]


class RoleDesignForm(forms.Form):
    title = forms.CharField(label=_("Title of the role"), max_length=200,
                            help_text=_("For example: Peer worker, outreach team."))
    form = forms.ChoiceField(label=_("Form of the role"), choices=RoleForm.choices,
                             widget=forms.RadioSelect)
    team = forms.CharField(label=_("Team or unit"), max_length=200)
    target_group = forms.CharField(label=_("Target group"), max_length=MAX_TEXT,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Who the service is for."))
    lived_experience = forms.CharField(
        label=_("Lived experience sought"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which experience matches the target group, for example of substance use "
                    "and recovery for a substance use service."))
    experience_matches = forms.BooleanField(
        label=_("The lived experience matches the target group"), required=False)
    involvement = forms.MultipleChoiceField(
        label=_("Involvement in the service cycle"), choices=INVOLVEMENT_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple)
    functions = forms.MultipleChoiceField(
        label=_("Core functions"), choices=CoreFunction.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    tasks = forms.CharField(label=_("Tasks"), max_length=MAX_TEXT, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One task per line."))
    peer_workers_in_team = forms.IntegerField(label=_("Peer workers in the team"), min_value=1,
                                              max_value=100, initial=1)
    experienced = forms.BooleanField(label=_("The peer worker is experienced in the role"),
                                     required=False)
    former_client_of_unit = forms.BooleanField(
        label=_("The peer worker was a client of this unit"), required=False)
    peer_on_hiring_committee = forms.BooleanField(
        label=_("A peer worker sits on the hiring committee"), required=False)
    senior_peer_supervision = forms.BooleanField(
        label=_("Supervision by a senior peer worker is arranged"), required=False)
    absence_policy_agreed = forms.BooleanField(label=_("An absence policy is agreed"),
                                               required=False)
    contact_person = forms.CharField(
        label=_("Contact person"), max_length=200, required=False,
        help_text=_("Optional. The person in the team who receives the peer worker on the first "
                    "day and is their first port of call."))
    buddy = forms.CharField(
        label=_("Buddy or mentor"), max_length=200, required=False,
        help_text=_("Optional. Ideally an experienced peer worker who is easy to reach and took "
                    "part in the hiring."))
    supervisor = forms.CharField(
        label=_("External supervisor or coach"), max_length=200, required=False,
        help_text=_("Optional. Who gives supervision or coaching from outside the team."))
    information_sharing = forms.ChoiceField(
        label=_("How information about service users is shared"),
        choices=InformationSharing.choices, required=False, widget=forms.RadioSelect)
    annual_salary_nok = forms.IntegerField(
        label=_("Annual salary (NOK)"), required=False, min_value=1, max_value=10_000_000,
        help_text=_("Optional. Checked against the national benchmark where one is published."))
    peer_worker = forms.ChoiceField(label=_("Peer worker in the role"), required=False,
                                    help_text=_("Once hired: they can then edit the design "
                                                "and confirm its documents."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, peer_workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.peer_workers = {str(u.pk): u for u in peer_workers}
        self.fields["peer_worker"].choices = [  # type: ignore[attr-defined]
            ("", pgettext_lazy("peer worker", "Not hired yet")),
            *[(str(u.pk), u.name or u.email) for u in peer_workers]]

    def involvement_grid(self) -> list[tuple[str, list[tuple[Any, str]]]]:
        """Per phase, its level checkboxes with their short labels (choices are phase-major)."""
        boxes = list(self["involvement"])
        levels = list(Level)
        return [(str(phase.label), [(boxes[i * len(levels) + j], str(level.label))
                                    for j, level in enumerate(levels)])
                for i, phase in enumerate(Phase)]

    def design(self) -> dict[str, Any]:
        """The cleaned data as the service takes it."""
        from peerwork.roles.services import involvement_from  # noqa: PLC0415 - avoid a cycle

        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("submission", None)
        data["involvement"] = involvement_from(data["involvement"])
        data["peer_worker"] = self.peer_workers.get(data["peer_worker"] or "")
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=MAX_DOCUMENT, widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_('A line starting with "# " is a heading, "- " a list item and '
                    '"- [ ] " a checklist item; an empty line starts a new paragraph.'))
    based_on = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        """``language`` is the document's: its text is marked as written in it."""
        super().__init__(*args, **kwargs)
        for name in ("title", "body"):
            self.fields[name].widget.attrs["lang"] = language


class ConfirmForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    side = forms.ChoiceField(choices=[("manager", "manager"), ("peer_worker", "peer_worker")],
                             widget=forms.HiddenInput)
