from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The browser's language")), *settings.LANGUAGES],
        required=False,
    )
