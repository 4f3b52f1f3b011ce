"""The carer's booking forms. They validate and normalise; groups.booking decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class TelInput(forms.TextInput):
    input_type = "tel"


RESPITE_LABEL = _("I need respite (avlösning) for my närstående during the session")


class BookingForm(forms.Form):
    """A visitor who is not signed in: the e-mailed link proves the address is theirs."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    # booking_create refuses an unverified booking without e-mail, so it is required here;
    # people without e-mail are booked by staff on the phone.
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        help_text=_("So that we can reach you if something changes."),
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    needs_respite = forms.BooleanField(label=RESPITE_LABEL, required=False)

    def __init__(self, *args: Any, contact_phone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contact_phone:
            self.fields["email"].help_text = _(
                "We e-mail you a link to confirm the booking. No e-mail? Call us on %(phone)s and we will book for you."
            ) % {"phone": contact_phone}
        else:
            self.fields["email"].help_text = _("We e-mail you a link to confirm the booking.")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class OneClickBookingForm(forms.Form):
    """A signed-in user: name and address come from the account."""

    needs_respite = forms.BooleanField(label=RESPITE_LABEL, required=False)
