"""The public "Bli kontaktad" form: validate and normalise only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.phone import TelInput
from groups.models import ContactRequest


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
