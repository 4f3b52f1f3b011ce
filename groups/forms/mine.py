"""Forms for registering interest and composing a closed group. They validate and
normalise; groups.services.applications decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Application
from groups.services.applications import PRIORITY_MAX, PRIORITY_MIN
from groups.services.booking import person_key


class TelInput(forms.TextInput):
    input_type = "tel"


class InterestForm(forms.Form):
    """Interest in a closed group: a name and a way to reach the person."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Anything you want us to know? (optional)"),
        max_length=2000,
        required=False,
        help_text=_("For example days that do not suit you, or if you need respite (avlösning) to take part."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].help_text = _("Give an e-mail address or a phone number, so that we can contact you.")

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, phone = data.get("email", ""), data.get("phone", "")
        if "email" in data and "phone" in data and not person_key(email=email, phone=phone):
            if phone.strip():
                self.add_error("phone", _("Give a phone number with digits."))
            else:
                self.add_error("email", _("Give an e-mail address or a phone number, so that we can contact you."))
        return data


def _application_choices(applications: Sequence[Application]) -> list[tuple[str, str]]:
    return [(str(application.code), f"{application.priority} – {application.name}") for application in applications]


class PriorityForm(forms.Form):
    """A manual change of one application's place in the list, with its reason."""

    application = forms.ChoiceField(label=_("Application"))
    priority = forms.IntegerField(
        label=_("New priority"),
        min_value=PRIORITY_MIN,
        max_value=PRIORITY_MAX,
        help_text=_("A lower number comes first in the list."),
    )
    reason = forms.CharField(
        label=_("Why the priority is changed"),
        max_length=2000,
        help_text=_("Required. The reason is kept with the change."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, applications: Sequence[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = _application_choices(applications)  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class DecisionForm(forms.Form):
    """Admit an application, or say "not admitted this time"."""

    ADMIT, DECLINE = "admit", "decline"

    application = forms.ChoiceField()
    decision = forms.ChoiceField(choices=[(ADMIT, ADMIT), (DECLINE, DECLINE)])

    def __init__(self, *args: Any, applications: Sequence[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = _application_choices(applications)  # type: ignore[attr-defined]
