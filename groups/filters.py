"""The public calendar's filters (PRODUCT §6): kind, target group, dates, digital or on
site, language and unit.

The language and unit choices are passed in (groups.selectors.calendar.
calendar_filter_choices, cached with the calendar's pages), so validating a request
costs no query; the selects are written by :class:`QuickSelect`.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import django_filters

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.dates import local_range
from contacts.models import TargetGroup
from groups.models import ActivityKind, ActivityTargetGroup, Session
from groups.selectors.calendar import FilterChoices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuickSelect(forms.Select):
    """A single select written in Python, with the markup of Django's template-rendered
    one, which renders each option through a template: about 0.2 ms an option, and the
    unit filter has one per unit with activities (870 in a national installation). The
    standard library's ``escape`` is Django's without its check for lazy strings, which
    would cost more than the rest of an option."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = []
        for key, label in self.choices:
            key = str(key)
            selected = " selected" if key in chosen else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(str(label))}</option>')
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options)))  # noqa: S308


FORMAT_CHOICES = [("digital", _("Digital")), ("on_site", _("On site"))]


ALL = _("All")
# Days a calendar can be asked for: a day at the ends of what Python's dates hold would
# overflow when made a range of aware datetimes (or the calendar's year ahead of it).
DAY_LIMITS = [MinValueValidator(dt.date(1900, 1, 1)), MaxValueValidator(dt.date(2999, 12, 31))]


class SessionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind of activity"),
        field_name="activity__kind",
        choices=ActivityKind.choices,
        empty_label=ALL,
        widget=QuickSelect,
    )
    target_group = django_filters.ChoiceFilter(
        label=_("For carers of"),
        choices=TargetGroup.choices,
        method="filter_target_group",
        empty_label=ALL,
        widget=QuickSelect,
    )
    # Whole local days as ranges of the start, which the calendar's index can read.
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=DateInput(), validators=DAY_LIMITS
    )
    date_to = django_filters.DateFilter(
        label=_("To"), method="filter_date_to", widget=DateInput(), validators=DAY_LIMITS
    )
    format = django_filters.ChoiceFilter(
        label=_("Digital or on site"),
        choices=FORMAT_CHOICES,
        method="filter_format",
        empty_label=ALL,
        widget=QuickSelect,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), field_name="activity__language", choices=[], empty_label=ALL, widget=QuickSelect
    )
    unit = django_filters.ChoiceFilter(
        label=_("Organised by"), field_name="activity__unit__code", choices=[], empty_label=ALL, widget=QuickSelect
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the calendar can show: languages and units that have published activities.
        self.filters["language"].extra["choices"] = choices.languages
        self.filters["unit"].extra["choices"] = choices.units

    def filter_date_from(self, queryset: QuerySet[Session], name: str, value: dt.date) -> QuerySet[Session]:
        return queryset.filter(starts_at__gte=local_range(value, value)[0])

    def filter_date_to(self, queryset: QuerySet[Session], name: str, value: dt.date) -> QuerySet[Session]:
        return queryset.filter(starts_at__lt=local_range(value, value)[1])

    def filter_target_group(self, queryset: QuerySet[Session], name: str, value: str) -> QuerySet[Session]:
        # A subquery rather than a join, so the confirmed-bookings count is not multiplied.
        return queryset.filter(
            Exists(ActivityTargetGroup.objects.filter(activity=OuterRef("activity"), target_group=value))
        )

    def filter_format(self, queryset: QuerySet[Session], name: str, value: str) -> QuerySet[Session]:
        if value == "digital":
            return queryset.exclude(activity__digital_link="")
        # On site: a place of its own or the activity's (an activity can be both).
        return queryset.filter(~Q(place="") | ~Q(activity__place=""))
