"""django-filter FilterSets for the carer and talk lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import django_filters

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import User
from anhorigstod.lib.dates import local_range
from contacts.models import Carer, Initiator, SupportKind, Talk, TalkFocus, TalkFocusEntry, TalkType, TargetGroup
from contacts.selectors.carers import carer_matching


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


class _OptionsInPython:
    """A select written out in Python rather than through Django's template per option:
    the same markup as ``django/forms/widgets/select.html``, in a tenth of the time. The
    talk list's filter form has about a hundred options, and rendering them through
    templates cost more than the page's queries."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        widget = context["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(option["value"]), flatatt(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # noqa: S308 - escaped above
        )


class Select(_OptionsInPython, forms.Select):
    pass


class BooleanSelect(_OptionsInPython, django_filters.widgets.BooleanWidget):
    pass


class TalkFilter(django_filters.FilterSet):
    # The dates are local calendar days, compared as a range of ``started_at`` (not as
    # ``started_at::date``), so the index on (unit, started_at) finds them.
    started_after = django_filters.DateFilter(label=_("From"), widget=DateInput(), method="filter_started_after")
    started_before = django_filters.DateFilter(label=_("To"), widget=DateInput(), method="filter_started_before")
    consultant = django_filters.ModelChoiceFilter(label=_("Consultant"), queryset=User.objects.none(), widget=Select)
    support_kind = django_filters.ModelChoiceFilter(
        label=_("Kind of support"), queryset=SupportKind.objects.none(), widget=Select
    )
    talk_type = django_filters.ChoiceFilter(label=_("Talk type"), choices=TalkType.choices, widget=Select)
    # A semi-join, not a join with DISTINCT: DISTINCT makes the database dedupe every
    # matching talk of the user's units before it can cut the page.
    focus = django_filters.ChoiceFilter(
        label=_("Focus"), choices=TalkFocus.choices, method="filter_focus", widget=Select
    )
    initiator = django_filters.ChoiceFilter(label=_("Initiated by"), choices=Initiator.choices, widget=Select)
    target_group = django_filters.ChoiceFilter(
        label=_("The närstående's target group"), choices=TargetGroup.choices, widget=Select
    )
    anonymous = django_filters.BooleanFilter(
        label=_("Anonymous"), field_name="carer", lookup_expr="isnull", widget=BooleanSelect()
    )

    class Meta:
        model = Talk
        fields: list[str] = []

    def __init__(self, *args: Any, unit_ids: Collection[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_ids = list(unit_ids)
        self.filters["consultant"].queryset = (
            User.objects.filter(memberships__unit_id__in=unit_ids).distinct().order_by("full_name")
        )
        self.filters["support_kind"].queryset = SupportKind.objects.filter(
            municipality__units__in=unit_ids, for_talks=True
        ).distinct()

    def filter_started_after(self, queryset: QuerySet[Talk], name: str, value: dt.date) -> QuerySet[Talk]:
        return queryset.filter(started_at__gte=local_range(value, value)[0])

    def filter_started_before(self, queryset: QuerySet[Talk], name: str, value: dt.date) -> QuerySet[Talk]:
        return queryset.filter(started_at__lt=local_range(value, value)[1])

    def filter_focus(self, queryset: QuerySet[Talk], name: str, value: str) -> QuerySet[Talk]:
        return queryset.filter(Exists(TalkFocusEntry.objects.filter(talk=OuterRef("pk"), focus=value)))


class CarerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Carer.Status.choices, widget=Select)
    target_group = django_filters.ChoiceFilter(
        label=_("The närstående's target group"), choices=TargetGroup.choices, widget=Select
    )
    under_18 = django_filters.BooleanFilter(label=_("Carer under 18"), widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Carer
        fields: list[str] = []

    def search(self, queryset: QuerySet[Carer], name: str, value: str) -> QuerySet[Carer]:
        """By number (A-00042 or 42), by name, or by e-mail. Sent as POST, never in a URL."""
        return carer_matching(queryset, value)
