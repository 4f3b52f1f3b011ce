"""The public calendar's filters (PRODUCT §6): kind, target group, dates, digital or on
site, language and unit."""

from __future__ import annotations

from typing import Any

import django_filters

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import Unit
from contacts.models import TargetGroup
from groups.models import Activity, ActivityKind, ActivityTargetGroup, Session


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    # Units of different municipalities may share a name ("Anhörigstöd"), so say whose.
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.municipality.name})"


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


FORMAT_CHOICES = [("digital", _("Digital")), ("on_site", _("On site"))]


ALL = _("All")


class SessionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind of activity"), field_name="activity__kind", choices=ActivityKind.choices, empty_label=ALL
    )
    target_group = django_filters.ChoiceFilter(
        label=_("For carers of"), choices=TargetGroup.choices, method="filter_target_group", empty_label=ALL
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="starts_at", lookup_expr="date__gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="starts_at", lookup_expr="date__lte", widget=DateInput()
    )
    format = django_filters.ChoiceFilter(
        label=_("Digital or on site"), choices=FORMAT_CHOICES, method="filter_format", empty_label=ALL
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), field_name="activity__language", choices=[], empty_label=ALL
    )
    unit = UnitChoiceFilter(
        label=_("Organised by"),
        field_name="activity__unit",
        to_field_name="code",
        queryset=Unit.objects.none(),
        empty_label=ALL,
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = Activity.objects.filter(published=True)
        # Only what the calendar can show: languages and units that have published activities.
        languages = published.order_by("language").values_list("language", flat=True).distinct()
        self.filters["language"].extra["choices"] = [(language, language.capitalize()) for language in languages]
        self.filters["unit"].queryset = (
            Unit.objects.filter(Exists(published.filter(unit=OuterRef("pk"))))
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )

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
