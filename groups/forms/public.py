"""The carer's booking forms. They validate and normalise; groups.services.booking decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.phone import PhoneField

RESPITE_LABEL = _("I need respite (avlösning) for my närstående during the session")


class BookingForm(forms.Form):
    """A visitor who is not signed in: an e-mail address (the e-mailed link proves it is
    theirs) or a phone number (PRODUCT §6: the booking takes its place at once)."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = PhoneField(
        label=_("Phone"),
        required=False,
        help_text=_("No e-mail? Give your phone number instead; we call you if something changes."),
    )
    needs_respite = forms.BooleanField(label=RESPITE_LABEL, required=False)

    def __init__(self, *args: Any, contact_phone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contact_phone:
            self.fields["email"].help_text = _(
                "We e-mail you a link to confirm the booking. Questions? Call us on %(phone)s."
            ) % {"phone": contact_phone}
        else:
            self.fields["email"].help_text = _("We e-mail you a link to confirm the booking.")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone") and not ({"email", "phone"} & set(self.errors)):
            self.add_error("email", _("Give an e-mail address or a phone number, so that we can reach you."))
        return data


class OneClickBookingForm(forms.Form):
    """A signed-in user: name and address come from the account."""

    needs_respite = forms.BooleanField(label=RESPITE_LABEL, required=False)
