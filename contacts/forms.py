"""The app's forms. They validate and normalise only; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import User
from contacts.models import (
    AgeBand,
    Answer,
    Carer,
    Consent,
    DocumentationTier,
    ExemptionDecision,
    Gender,
    Initiator,
    Instrument,
    Measurement,
    Partner,
    RespiteGrant,
    SupportKind,
    SupportPlanItem,
    TalkFocus,
    TalkMode,
    TalkType,
    TargetGroup,
)
from contacts.models.carers import CARER_FIELDS
from contacts.personnummer import normalise as normalise_personnummer
from contacts.selectors.carers import support_contact_candidates
from contacts.services.talks import talk_not_started


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _support_contact_label(user: User) -> str:
    if user.is_active:
        return str(user)
    return _("%(name)s (account deactivated)") % {"name": user}


class CarerForm(forms.ModelForm):
    class Meta:
        model = Carer
        fields = CARER_FIELDS
        widgets = {"birth_year": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Who may be stödkontakt in the unit (contacts.selectors.carers); one who has left stays
        # selectable on their carers' records (marked), so editing something else does not fail.
        support_contact = self.fields["support_contact"]
        support_contact.queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=support_contact_candidates(unit).values("pk")) | Q(pk=self.instance.support_contact_id)
        ).order_by("full_name", "email")
        support_contact.label_from_instance = _support_contact_label  # type: ignore[attr-defined]
        # Typed as 19850101-2390, 850101-2390 or 850101+2390; stored as 12 digits.
        personnummer = self.fields["personnummer"]
        personnummer.max_length = 13  # type: ignore[attr-defined]
        personnummer.validators = [v for v in personnummer.validators if not isinstance(v, MaxLengthValidator)]
        personnummer.widget.attrs.update({"autocomplete": "off", "maxlength": "13"})
        for name in ("first_name", "last_name", "email", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        # Nothing is pre-answered for the carer: an empty choice until someone asks.
        self.fields["gender"].choices = [("", "—"), *Gender.choices]  # type: ignore[attr-defined]

    def clean_personnummer(self) -> str:
        value = self.cleaned_data.get("personnummer", "")
        return normalise_personnummer(value) if value else ""


class CloseCarerForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=Carer.CloseReason.choices)


class TalkForm(forms.Form):
    """The talk form: every attribute of PRODUCT §4, in the order a consultant fills it in."""

    support_kind = forms.ModelChoiceField(
        label=_("Kind of support"), queryset=SupportKind.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, initial=45)
    mode = forms.ChoiceField(label=_("Mode"), choices=TalkMode.choices, widget=forms.RadioSelect)
    talk_type = forms.ChoiceField(label=_("Talk type"), choices=[("", "—"), *TalkType.choices])
    focus = forms.MultipleChoiceField(
        label=_("Focus"), choices=TalkFocus.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    initiator = forms.ChoiceField(label=_("Initiated by"), choices=[("", "—"), *Initiator.choices])
    structured_material = forms.CharField(
        label=_("Structured material used"),
        required=False,
        max_length=100,
        help_text=_("Which material, if any (for example COAT or a group programme)."),
    )
    informed_right_to_apply = forms.ChoiceField(
        label=_("Told the carer they may apply for support for their own part (SoL 11 kap. 6 §)"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    asked_about_children = forms.ChoiceField(
        label=_("Asked about children in the carer's network"), choices=Answer.choices, widget=forms.RadioSelect
    )
    referral_partner = forms.ModelChoiceField(
        label=_("Referred to"), queryset=Partner.objects.none(), required=False, empty_label="—"
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DateInput())
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    bring_up_next_time = forms.CharField(
        label=_("To bring up next time"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown when the next talk is opened. Not for anonymous talks."),
    )
    # Statistics of an anonymous talk (an identified talk takes them from the carer).
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices, required=False, initial=AgeBand.UNKNOWN)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    target_group = forms.ChoiceField(
        label=_("The närstående's target group"), choices=[("", "—"), *TargetGroup.choices], required=False
    )

    def __init__(self, *args: Any, kinds: Any, partners: Any, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_kind"].queryset = kinds  # type: ignore[attr-defined]
        self.fields["referral_partner"].queryset = partners  # type: ignore[attr-defined]
        self.anonymous = anonymous
        if anonymous:
            for name in ("next_step", "bring_up_next_time"):
                del self.fields[name]
        else:
            for name in ("age_band", "gender", "target_group"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("date"), cleaned.get("time")
        if day and time:
            cleaned["started_at"] = timezone.make_aware(dt.datetime.combine(day, time))
            not_started = talk_not_started(cleaned["started_at"])
            if not_started:
                # At the date if that is ahead, else at the time of a talk later today.
                self.add_error(TalkForm.started_at_field(day), not_started)
        return cleaned

    @staticmethod
    def started_at_field(day: dt.date) -> str:
        """The field that holds a wrong start: the date if it is ahead, else the time."""
        return "date" if day > timezone.localdate() else "time"


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Journal note"), widget=forms.Textarea(attrs={"rows": 5}))


class MarkErroneousForm(forms.Form):
    reason = forms.CharField(label=_("Why is the note erroneous?"), max_length=300)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ("to_whom", "scope", "given_on")
        widgets = {"given_on": DateInput(), "scope": forms.Textarea(attrs={"rows": 2})}


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = SupportPlanItem
        fields = ("area", "goal", "actions", "follow_up_on")
        widgets = {
            "follow_up_on": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 2}),
        }


class PlanItemEditForm(PlanItemForm):
    """A stödplan item changed, or marked done (or open again)."""

    class Meta:
        model = SupportPlanItem
        fields = ("area", "goal", "actions", "follow_up_on", "done")
        widgets = PlanItemForm.Meta.widgets
        labels = {"done": _("Done")}


class RespiteForm(forms.ModelForm):
    class Meta:
        model = RespiteGrant
        fields = ("given_on", "hours", "provider")
        widgets = {"given_on": DateInput()}

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = partners  # type: ignore[attr-defined]


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ("name", "organisation_type", "phone", "website", "description", "offers_respite")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


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


# The extract of the nämnd's minutes, uploaded with an exemption decision.
MINUTES_MAX_BYTES = 10 * 1024 * 1024


def validate_minutes(upload: Any) -> None:
    """The extract of the nämnd's minutes: a PDF of at most 10 MB."""
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


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = ExemptionDecision
        fields = ("board", "reference", "decided_on", "valid_from", "valid_to", "kinds", "reason", "reason_text")
        widgets = {
            "decided_on": DateInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "kinds": forms.CheckboxSelectMultiple,
            "reason_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, kinds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].queryset = kinds  # type: ignore[attr-defined]
        self.fields["minutes_file"] = MinutesField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decided, start, end = cleaned.get("decided_on"), cleaned.get("valid_from"), cleaned.get("valid_to")
        if decided and start and start < decided:
            self.add_error("valid_from", _("A decision cannot apply before the day it was made."))
        if start and end and end < start:
            self.add_error("valid_to", _("The end date cannot be before the start date."))
        return cleaned

    def validate_constraints(self, exclude: Any = None) -> None:
        # The same rules are given as field errors in clean(); the model's constraints
        # still hold at the database.
        return None


class ExemptionEndForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day the exemption applies"),
        widget=DateInput(),
        help_text=_("Talks on later days are documented as the kind of support's tier says."),
    )


class TierChangeForm(forms.Form):
    tier = forms.ChoiceField(label=_("Documentation tier"), choices=[])
    reason = forms.CharField(label=_("Why does it change?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = DocumentationTier.choices  # type: ignore[attr-defined]


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class HandoverForm(forms.Form):
    to = ColleagueChoiceField(
        label=_("New stödkontakt"), queryset=User.objects.none(), to_field_name="code", empty_label=_("Choose…")
    )
    # The number shown on the confirmation page: the hand-over happens only if it still holds.
    expected = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = colleagues  # type: ignore[attr-defined]


def raise_into_form(form: forms.BaseForm, error: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form, by field where it names one.

    ``fields`` maps a name the service uses to the form's field that holds it (the talk's
    ``started_at`` is typed as a date and a time), so the message sits where it is fixed.
    """
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            field_name = (fields or {}).get(field_name, field_name)
            target = field_name if field_name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class MeasurementForm(forms.Form):
    """One instrument's answers: a radio group per item on the instrument's scale."""

    occasion = forms.ChoiceField(label=_("Occasion"), choices=Measurement.Occasion.choices, widget=forms.RadioSelect)
    measured_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        scale = [(value, str(value)) for value in range(instrument.scale_min, instrument.scale_max + 1)]
        for item in instrument.items.all():
            # Item texts are entered under the municipality's licence; without them the
            # consultant reads the question from the paper form by its number.
            label = item.text or _("Question %(number)s") % {"number": item.number}
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=label, choices=scale, coerce=int, widget=forms.RadioSelect
            )

    def answers(self) -> dict[int, int]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }
