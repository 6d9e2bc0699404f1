"""Forms at the survey boundary: new surveys, builder edits, waves, invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.surveys.definition import QUESTION_TYPES, SCALE_LABELS, SCALES, TYPE_LABELS

MAX_INVITES = 500
ID_HELP = _("Lower-case letters, digits and _; it names the answer in exports and skip logic.")


class NewSurveyForm(forms.Form):
    start = forms.ChoiceField(label=_("Start from"), widget=forms.RadioSelect)
    key = forms.SlugField(label=_("Short name"), max_length=60,
                          help_text=_("Lower-case letters, digits and hyphens, for example staff-2027."))
    upload = forms.FileField(label=_("File to import"), required=False,
                             help_text=_("Our JSON or YAML format, or an XLSForm (.xlsx) from "
                                         "KoboToolbox or ODK. At most 2 MB."))

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [  # type: ignore[attr-defined]
           *templates, ("blank", _("An empty survey")),
                                        ("import", _("A file I upload"))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == "import" and not data.get("upload"):
            self.add_error("upload", _("Choose a file to import."))
        return data


class UploadForm(forms.Form):
    upload = forms.FileField(label=_("File to import"),
                             help_text=_("Replaces the draft. JSON, YAML or XLSForm (.xlsx), at most 2 MB."))


class SurveyInfoForm(forms.Form):
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_nb = forms.CharField(label=_("Title in Norwegian"), max_length=200)
    intro_en = forms.CharField(label=_("Introduction in English"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Shown above the first questions. Optional."))
    intro_nb = forms.CharField(label=_("Introduction in Norwegian"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class SectionForm(forms.Form):
    original = forms.CharField(required=False, widget=forms.HiddenInput)
    section_id = forms.RegexField(label=_("Id"), regex=r"^[a-z][a-z0-9_]{0,39}$", help_text=ID_HELP)
    title_en = forms.CharField(label=_("Title in English"), max_length=300)
    title_nb = forms.CharField(label=_("Title in Norwegian"), max_length=300)
    relevant = forms.CharField(label=_("Show only if"), required=False, max_length=500,
                               help_text=_("Skip logic, for example ${sector} = 'public'. Empty: always."))


class QuestionForm(forms.Form):
    section = forms.CharField(widget=forms.HiddenInput)
    original = forms.CharField(required=False, widget=forms.HiddenInput)
    question_id = forms.RegexField(label=_("Id"), regex=r"^[a-z][a-z0-9_]{0,39}$", help_text=ID_HELP)
    type = forms.ChoiceField(label=_("Type"), choices=[(t, TYPE_LABELS[t]) for t in QUESTION_TYPES])
    label_en = forms.CharField(label=_("Question in English"), max_length=1000)
    label_nb = forms.CharField(label=_("Question in Norwegian"), max_length=1000)
    help_en = forms.CharField(label=_("Help text in English"), required=False, max_length=1000)
    help_nb = forms.CharField(label=_("Help text in Norwegian"), required=False, max_length=1000)
    required = forms.BooleanField(label=_("Required"), required=False)
    background = forms.BooleanField(label=_("Background variable (for breakdowns)"), required=False)
    choices = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: value | English | Norsk. For single and multiple choice, and "
                    "for a matrix without a scale."))
    scale = forms.ChoiceField(label=_("Scale"), required=False,
                              choices=[("", "—"), *[(s, SCALE_LABELS[s]) for s in SCALES]],
                              help_text=_("For a Likert question or a matrix."))
    rows = forms.CharField(label=_("Matrix rows"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("One per line: id | English | Norsk."))
    unit = forms.CharField(label=_("Unit"), required=False, max_length=20)
    min = forms.FloatField(label=_("Smallest allowed"), required=False)
    max = forms.FloatField(label=_("Largest allowed"), required=False)
    decimals = forms.IntegerField(label=_("Decimals"), required=False, min_value=0, max_value=4)
    relevant = forms.CharField(label=_("Show only if"), required=False, max_length=500,
                               help_text=_("Skip logic over earlier questions, for example "
                                           "${fte} > 0 and selected(${tasks}, 'groups')."))


class WaveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: National survey 2027."))
    closes_on = forms.DateField(label=_("Closing date"), widget=forms.DateInput(attrs={"type": "date"}))
    min_cell = forms.IntegerField(
        label=_("Smallest group shown"), min_value=5, max_value=100,
        help_text=_("Results for fewer people are hidden. At least 5; it can be raised later, "
                    "never lowered."))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)
    stored = forms.CharField(label=_("What is stored"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)
    retention = forms.CharField(label=_("How long it is kept"), widget=forms.Textarea(attrs={"rows": 2}),
                                max_length=1000)
    contact = forms.CharField(label=_("Contact"), max_length=300,
                              help_text=_("Who answers questions about the survey and privacy."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["min_cell"].min_value = settings.PEERWORK_MIN_CELL  # type: ignore[attr-defined]
        self.fields["min_cell"].initial = settings.PEERWORK_MIN_CELL

    def clean_closes_on(self) -> dt.date:
        closes_on: dt.date = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError(_("The closing date cannot be in the past."))
        return closes_on


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line or separated by commas. Each gets a link that works once."))

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        emails = [e.strip() for e in raw.splitlines() if e.strip()]
        if len(emails) > MAX_INVITES:
            raise forms.ValidationError(_("At most %(n)s addresses at a time.") % {"n": MAX_INVITES})
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(_("Not an email address: %(list)s") % {"list": ", ".join(bad[:5])})
        return emails
