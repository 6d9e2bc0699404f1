"""Forms of the analysis pages. Every page works without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.qualitative.enums import ProjectRole, Step


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Research question"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "Plain text, Word (.docx), OpenDocument (.odt), PDF with text, or subtitles (.vtt, .srt). "
        "In a transcript, each line that opens with a speaker's name and a colon (“Name: …”) "
        "is a turn; the names are replaced by pseudonyms."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class QdpxForm(forms.Form):
    file = forms.FileField(label=_("REFI-QDA project (.qdpx)"))


class MemberForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Member of the organisation"), coerce=int)
    # Analyst is chosen until the lead picks another role: a form sent as it came must never
    # remove the first person in the list.
    role = forms.ChoiceField(label=_("Role in the project"),
                             choices=[*ProjectRole.choices, ("", _("Remove from the project"))],
                             required=False, initial=ProjectRole.ANALYST)

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].choices = people  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    start = forms.IntegerField(label=_("From character"), min_value=0)
    end = forms.IntegerField(label=_("To character"), min_value=1)
    code = forms.CharField(label=_("Code"), max_length=200, help_text=_(
        "Type to find a code; a new name makes a new code."),
        widget=forms.TextInput(attrs={"list": "code-names", "autocomplete": "off"}))


class CodeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.TypedChoiceField(label=_("Code group"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, groups: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["group"].choices = [("", _("No group")), *groups]  # type: ignore[attr-defined]


class GroupForm(CodeForm):
    pass


class RenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=200)


class MoveCodeForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Code group"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: object, groups: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["group"].choices = [("", _("No group")), *groups]  # type: ignore[attr-defined]


class MoveGroupForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("Place under"), coerce=int, required=False, empty_value=None,
                                    error_messages={"invalid_choice": _(
                                        "Choose one of the groups listed: a group cannot go under "
                                        "itself or one of its own subgroups.")})

    def __init__(self, *args: object, groups: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].choices = [("", _("The top level")), *groups]  # type: ignore[attr-defined]


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Memo"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
    code = forms.TypedChoiceField(label=_("About the code"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: object, codes: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].choices = [("", _("The project as a whole")), *codes]  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    step = forms.TypedChoiceField(choices=Step.choices, coerce=int, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ImpressionForm(forms.Form):
    text = forms.CharField(label=_("Your preliminary themes, one a line"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 6}))


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme the team agreed on"), max_length=300)


class CondensateForm(forms.Form):
    text = forms.CharField(label=_("Condensate, in the first person"), required=False,
                           max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    golden_quote = forms.TypedChoiceField(label=_("Golden quote"), coerce=int, required=False,
                                          empty_value=None)

    def __init__(self, *args: object, units: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["golden_quote"].choices = [("", _("None yet")), *units]  # type: ignore[attr-defined]


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Statement, in the third person"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    sources = forms.TypedMultipleChoiceField(label=_("The passages it comes from"), coerce=int,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, units: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sources"].choices = units  # type: ignore[attr-defined]


class QuotesForm(forms.Form):
    quotes = forms.TypedMultipleChoiceField(label=_("Quotes chosen for the text"), coerce=int,
                                            required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, units: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["quotes"].choices = units  # type: ignore[attr-defined]
