from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.assessments.enums import ActionStatus, Position, RoleForm, Stage

MAX_INVITES = 200


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Readiness before hiring, spring 2027."))
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, widget=forms.RadioSelect)
    role_form = forms.ChoiceField(label=_("Form of the role"), choices=RoleForm.choices,
                                  widget=forms.RadioSelect)
    anonymous = forms.BooleanField(
        label=_("Anonymous answers"), required=False, initial=True,
        help_text=_("Recommended. Nobody, administrators included, can see who answered what."))
    closes_on = forms.DateField(label=_("Closing date"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    share_for_benchmark = forms.BooleanField(
        label=_("Share scores with the national benchmark"), required=False,
        help_text=_("Only scores per area are shared, never answers, and only when enough "
                    "services take part."))

    def clean_closes_on(self) -> dt.date:
        closes_on: dt.date = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError(_("The closing date cannot be in the past."))
        return closes_on


class InviteRespondentsForm(forms.Form):
    position = forms.ChoiceField(label=_("They answer as"), choices=Position.choices)
    emails = forms.CharField(
        label=_("Email addresses"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or more, separated by commas or new lines. Each gets a link that works once."))

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        emails = [e.strip().lower() for e in raw if e.strip()]
        if not emails:
            raise forms.ValidationError(_("Enter at least one email address."))
        if len(emails) > MAX_INVITES:
            raise forms.ValidationError(_("At most %(n)s addresses at a time.") % {"n": MAX_INVITES})
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(_("Not valid email addresses: %(list)s") % {"list": ", ".join(bad)})
        return emails


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=300)
    owner = forms.CharField(label=_("Who is responsible"), max_length=150)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    element = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    recommendation = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

