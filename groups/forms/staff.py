"""Forms for the staff pages of activities and sessions: validate and normalise only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.phone import PhoneField
from contacts.forms import DateInput
from contacts.models import Answer, Carer, TargetGroup
from groups.models import Activity, RegistrationMode
from groups.services.activities import ACTIVITY_FIELDS

MAX_SERIES_WEEKS = 52


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class HttpsURLField(forms.URLField):
    """A link typed without a scheme is taken as https (Django 6's default)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class ActivityForm(forms.ModelForm):
    """Every attribute of an activity (PRODUCT §6), in the order a consultant plans one."""

    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Whose carers the activity is for. Leave empty if it is for every carer."),
    )

    class Meta:
        model = Activity
        # The service's fields, plus the two that are rows of their own.
        fields = (*ACTIVITY_FIELDS, "target_groups", "co_organisers")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "support_kind": forms.RadioSelect,
            "registration_mode": forms.RadioSelect,
            "co_organisers": forms.CheckboxSelectMultiple,
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        field_classes = {"digital_link": HttpsURLField}
        help_texts = {
            "support_kind": _("Decides the documentation tier and the follow-up area the activity counts under."),
            "capacity": _("Needed when people book: the seats before the waitlist starts."),
            "digital_link": _("For a digital meeting. Give a place, a link or both."),
        }

    def __init__(self, *args: Any, kinds: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_kind"].queryset = kinds  # type: ignore[attr-defined]
        self.fields["support_kind"].empty_label = None  # type: ignore[attr-defined]
        self.fields["co_organisers"].queryset = partners  # type: ignore[attr-defined]
        self.fields["kasam_dimension"].choices = [("", "—"), *self.fields["kasam_dimension"].choices[1:]]  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["target_groups"] = [row.target_group for row in self.instance.target_groups.all()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode = cleaned.get("registration_mode")
        if mode == RegistrationMode.BOOKING and cleaned.get("capacity") is None and "capacity" not in self.errors:
            self.add_error("capacity", _("Give the number of places: people book until they are taken."))
        if mode == RegistrationMode.DROP_IN and cleaned.get("capacity") is not None:
            # A drop-in has no seats to hold; a number here would only mislead.
            cleaned["capacity"] = None
        if not cleaned.get("place") and not cleaned.get("digital_link") and not self.has_error("digital_link"):
            self.add_error("place", _("Give a place, a digital link or both."))
        return cleaned

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() gives the same rules as field errors; the constraints still hold at the database.
        return None


class SessionForm(forms.Form):
    """One session, or a weekly series of them (a closed group meeting every week)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput())
    weeks = forms.IntegerField(
        label=_("Number of weeks"),
        min_value=1,
        max_value=MAX_SERIES_WEEKS,
        initial=1,
        help_text=_("1 for a single session. For a closed group, the number of weekly meetings."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    place = forms.CharField(
        label=_("Place, if not the activity's"),
        max_length=200,
        required=False,
    )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date has passed. Give today's date or a later one."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The session must end after it starts."))
        return cleaned


class AttendanceForm(forms.Form):
    """Who came: ``present`` are the ticked bookings, ``shown`` the bookings on the page.

    Only the bookings that were on the page are marked, so someone promoted from the
    waitlist while the list was open is not recorded as a no-show.
    """

    present = forms.TypedMultipleChoiceField(required=False, choices=[])
    shown = forms.TypedMultipleChoiceField(required=False, choices=[])

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(code, code) for code in codes]
        self.fields["present"].choices = choices  # type: ignore[attr-defined]
        self.fields["shown"].choices = choices  # type: ignore[attr-defined]


class SessionCountsForm(forms.Form):
    head_count = forms.IntegerField(
        label=_("How many came"),
        min_value=0,
        max_value=10000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    respite_arranged = forms.IntegerField(
        label=_("Respite arranged for (number of people)"),
        min_value=0,
        max_value=10000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    informed_right_to_apply = forms.ChoiceField(
        label=_("Were the participants told they may apply for support for their own part (SoL 11 kap. 6 §)?"),
        choices=Answer.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Support given in a group without needs assessment obliges you to tell them. "
            "Leave it unanswered if you don't know."
        ),
    )

    def __init__(self, *args: Any, drop_in: bool, ask_informed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_informed:
            # Asked where insatser without needs assessment are given in groups, on the day.
            del self.fields["informed_right_to_apply"]
        if drop_in:
            self.fields["head_count"].required = True
        else:
            # A booked session counts attendance per booking instead.
            del self.fields["head_count"]


def parse_carer_number(value: str) -> int | None:
    """``A-00012``, ``a12`` or ``12`` → 12; anything else → None."""
    match = re.fullmatch(r"\s*(?:[Aa]-?)?0*(\d{1,9})\s*", value)
    return int(match.group(1)) if match else None


class StaffBookingForm(forms.Form):
    """A booking made by staff for someone who called (the phone path of PRODUCT §6)."""

    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    carer_number = forms.CharField(
        label=_("Carer number"),
        max_length=20,
        required=False,
        help_text=_("If the person is a registered carer of the unit, for example A-00012."),
    )
    needs_respite = forms.BooleanField(label=_("Needs respite for the närstående during the session"), required=False)

    def __init__(self, *args: Any, unit: Any, allow_carer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        if not allow_carer:
            # The documentation tier forbids identity for this kind of support: no link to a record.
            del self.fields["carer_number"]
        for name in ("name", "phone", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_carer_number(self) -> Carer | None:
        value = self.cleaned_data.get("carer_number", "").strip()
        if not value:
            return None
        number = parse_carer_number(value)
        carer = (
            Carer.objects.filter(unit=self.unit, number=number, status=Carer.Status.OPEN).first()
            if number is not None
            else None
        )
        if carer is None:
            raise forms.ValidationError(_("No open record of the unit has this number."))
        return carer

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        carer = cleaned.get("carer_number")
        if carer is not None:
            # A registered carer's own details fill what was left empty.
            cleaned["name"] = cleaned.get("name") or f"{carer.first_name} {carer.last_name}".strip()
            cleaned["phone"] = cleaned.get("phone") or carer.phone
            cleaned["email"] = cleaned.get("email") or carer.email
        if not cleaned.get("name", "").strip() and "name" not in self.errors:
            self.add_error("name", _("Give the person's name."))
        if not cleaned.get("phone", "").strip() and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("phone", _("Give a phone number or an e-mail address."))
        cleaned["carer"] = cleaned.pop("carer_number", None)
        return cleaned


class SessionCancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone booked or on the waitlist is told by e-mail, with this reason."),
    )
