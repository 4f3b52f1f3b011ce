"""The public evaluation and "Bli kontaktad" forms: validate and normalise only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.phone import TelInput
from groups.evaluations import QUESTIONS, RECOMMEND_QUESTION, SCALE
from groups.models import ContactRequest

SCALE_CHOICES = [
    (value, label) for value, label in zip(SCALE, (_("1 – Not at all"), "2", "3", "4", _("5 – Very much")), strict=True)
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EvaluationForm(forms.Form):
    """Three 1–5 questions and a yes/no; deliberately no name, e-mail or free text."""

    would_recommend = forms.TypedChoiceField(
        label=RECOMMEND_QUESTION,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = {
            field: forms.TypedChoiceField(
                label=question,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 means not at all, 5 means very much."),
                error_messages={"required": _("Choose a number from 1 to 5.")},
            )
            for field, question in QUESTIONS
        }
        # The scale questions first, then the recommendation, as the form reads.
        self.fields = {**scale, "would_recommend": self.fields["would_recommend"]}


class ContactRequestForm(forms.ModelForm):
    # Declared, so the radio group has no empty "---------" choice a model field brings.
    preferred_channel = forms.ChoiceField(
        label=_("How would you like us to contact you?"),
        choices=ContactRequest.Channel.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ContactRequest
        fields = ("name", "phone", "email", "preferred_channel", "message")
        labels = {
            "name": _("Your name"),
            "phone": _("Phone"),
            "email": _("E-mail"),
        }
        help_texts = {
            "phone": _("Give a phone number, an e-mail address or both."),
        }
        widgets = {
            "phone": TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data["phone"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        phone, email = cleaned.get("phone"), cleaned.get("email")
        channel = cleaned.get("preferred_channel")
        if not phone and not email and "email" not in self.errors:
            self.add_error("phone", _("Give a phone number or an e-mail address, so that we can reach you."))
        elif channel == ContactRequest.Channel.PHONE and not phone:
            self.add_error("phone", _("You asked us to call you: give a phone number."))
        elif channel == ContactRequest.Channel.EMAIL and not email and "email" not in self.errors:
            self.add_error("email", _("You asked us to e-mail you: give an e-mail address."))
        return cleaned
