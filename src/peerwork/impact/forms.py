from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.impact.enums import ExperienceSource, Function, ImpactLevel, Stage
from peerwork.impact.models import MAX_TEXT


class ImprovementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("A short name for the change, for example: "
                                        "Evening phone line for families."))
    problem = forms.CharField(
        label=_("What the problem was"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe the service, not the people: no names, identity numbers, phone "
                    "numbers or anything else that could identify a service user."))
    experience_source = forms.ChoiceField(label=_("Whose experience it came from"),
                                          choices=ExperienceSource.choices,
                                          widget=forms.RadioSelect)
    function = forms.ChoiceField(label=_("Model 4 function it came through"),
                                 choices=Function.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(label=_("Level of impact"), choices=ImpactLevel.choices,
                              widget=forms.RadioSelect)
    outcome = forms.CharField(label=_("Outcome notes"), max_length=MAX_TEXT, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    identified_on = forms.DateField(label=_("Identified on"),
                                    widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)
    personal_data_acknowledged = forms.BooleanField(
        label=_("I have checked the text: it identifies no service user"), required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)
