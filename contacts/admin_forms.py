"""Forms of the municipality's administration in this app (kinds of support, exemption decisions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contacts.forms import DateInput
from contacts.models import SupportKind


class SupportKindCreateForm(forms.ModelForm):
    class Meta:
        model = SupportKind
        fields = ("name", "code", "tier", "area", "for_talks")
        help_texts = {
            "code": _("A short stable code of lower-case letters, digits and hyphens, used in exports."),
            "tier": _("Decides what may and must be recorded: see the documentation tiers above."),
        }

    def validate_unique(self) -> None:
        # The municipality is set by the service, which refuses a code already in use.
        return None


class SupportKindEditForm(forms.ModelForm):
    class Meta:
        model = SupportKind
        fields = ("name", "area", "for_talks", "active")
        labels = {"active": _("In use (untick to retire it: it stays on the records made under it)")}


def validate_minutes(upload: Any) -> None:
    """The extract of the nämnd's minutes: a PDF of at most 10 MB."""
    from contacts.services.documentation import MINUTES_MAX_BYTES

    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(_("Attach the extract of the minutes as a PDF file."))
    if upload.size > MINUTES_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a PDF."))


class MinutesField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Extract of the minutes (PDF)"),
            required=False,
            validators=[validate_minutes],
            help_text=_("Kept privately: only the municipality's managers and administrators can open it."),
            widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
            **kwargs,
        )


class ExemptionEndForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day the exemption applies"),
        widget=DateInput(),
        help_text=_("Talks on later days are documented as the kind of support's tier says."),
    )
