"""The loggkontroll filters: person, carer, action and period."""

from __future__ import annotations

from typing import Any

import django_filters

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import User
from anhorigstod.audit import selectors
from anhorigstod.audit.models import AccessLog


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


OPENED, LISTED = "opened", "listed"
REACH_CHOICES = [(OPENED, _("Opened the record")), (LISTED, _("Listed on a page"))]


class AccessLogFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("Person"), queryset=User.objects.none())
    # The carer's number (A-00042), resolved to their code within the manager's units:
    # a name is never typed here and never reaches a URL.
    anhorig = django_filters.CharFilter(label=_("Carer number"), method="by_carer")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AccessLog.Action.choices)
    # Snooping shows in records opened, not in the rows of a list: sample "opened" only.
    reach = django_filters.ChoiceFilter(
        label=_("Opened or listed"), choices=REACH_CHOICES, method="by_reach", empty_label=_("Both")
    )
    from_date = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"), widget=DateInput())
    to_date = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"), widget=DateInput())

    class Meta:
        model = AccessLog
        fields: list[str] = []

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        unit_ids = list(selectors.reviewed_units(user=user).values_list("pk", flat=True))
        self.filters["actor"].queryset = (
            User.objects.filter(memberships__unit_id__in=unit_ids).distinct().order_by("full_name")
        )
        self.filters["anhorig"].field.widget.attrs.update({"placeholder": "A-00042", "autocomplete": "off"})

    def by_reach(self, queryset: QuerySet[AccessLog], name: str, value: str) -> QuerySet[AccessLog]:
        if value == OPENED:
            return queryset.filter(action=AccessLog.Action.VIEW, listed=False)
        if value == LISTED:
            return queryset.filter(listed=True)
        return queryset

    def by_carer(self, queryset: QuerySet[AccessLog], name: str, value: str) -> QuerySet[AccessLog]:
        return queryset.filter(subject_code__in=selectors.subject_codes_for_number(user=self.user, value=value))
