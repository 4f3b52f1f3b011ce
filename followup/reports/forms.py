"""The form a manager asks for a PDF follow-up report with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import Unit, User
from followup.periods import check_period
from followup.reports.selectors import report_units


class DateInput(forms.DateInput):
    input_type = "date"


class ReportRequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = report_units(user=user).order_by("name")
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(month=1, day=1)
        self.fields["end"].initial = today

    def prefill(self, query: Any) -> None:
        """Take the unit and period offered by a link (the dashboard's), where valid."""
        for name in ("unit", "start", "end"):
            value = query.get(name)
            if not value:
                continue
            try:
                self.initial[name] = self.fields[name].clean(value)
            except forms.ValidationError:
                continue

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        check_period(start, end)
        return data
