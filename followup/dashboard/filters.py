"""The dashboard's filter: a period and units among the manager's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import Role, Unit
from anhorigstod.accounts.scoping import units_for
from contacts.filters import DateInput
from followup.periods import check_period


class FollowUpForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(data.get("start"), data.get("end"))
        return data


class FollowUpFilter(django_filters.FilterSet):
    """Not a filter of a queryset: its cleaned data are the arguments of ``followup_figures``.

    ``units`` are the manager's units; a unit outside them is not a valid choice, so the
    form is invalid and the view falls back to all of the manager's units.
    """

    start = django_filters.DateFilter(label=_("From"), widget=DateInput(), method="noop")
    end = django_filters.DateFilter(label=_("To"), widget=DateInput(), method="noop")
    unit = django_filters.ModelMultipleChoiceFilter(
        label=_("Units"), queryset=Unit.objects.none(), method="noop", widget=forms.CheckboxSelectMultiple
    )
    suppress_small = django_filters.BooleanFilter(
        label=_("Hide counts under 5"), method="noop", widget=forms.CheckboxInput
    )

    class Meta:
        model = Unit
        fields: list[str] = []
        form = FollowUpForm

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, queryset=units, **kwargs)
        self.units = units
        self.filters["unit"].queryset = units.order_by("name")

    def noop(self, queryset: QuerySet[Unit], name: str, value: Any) -> QuerySet[Unit]:
        return queryset

    def period_and_units(self) -> tuple[dt.date, dt.date, list[int], bool]:
        """(start, end, unit ids, suppress) chosen, with this year to date by default (also
        when the period is refused: the form then says why, and keeps what was typed)."""
        today = timezone.localdate()
        data = self.form.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        if end < start:
            start, end = end, start
        chosen = data.get("unit")
        unit_ids = [unit.pk for unit in chosen] if chosen else list(self.units.values_list("pk", flat=True))
        return start, end, unit_ids, bool(data.get("suppress_small"))


def chosen_period_and_units(
    request: HttpRequest, filter_class: type[FollowUpFilter] = FollowUpFilter
) -> tuple[FollowUpFilter, dt.date, dt.date, list[int], bool]:
    """The filter of a follow-up page over the manager's own units, and what it chose.

    A unit outside the manager's reach is not a choice: answer as for a record that does
    not exist (404), rather than silently showing something else."""
    units = units_for(request.user, roles={Role.MANAGER})
    chosen = filter_class(request.GET or None, units=units)
    if chosen.is_bound and not chosen.is_valid() and "unit" in chosen.form.errors:
        raise Http404
    start, end, unit_ids, suppress_small = chosen.period_and_units()
    return chosen, start, end, unit_ids, suppress_small
