"""Reading the pre-aggregated counts of some units over a period of local days."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.fields.json import KeyTransform

from anhorigstod.rollups.models import Rollup


def _last_of_month(first: dt.date) -> dt.date:
    following = (
        first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - dt.timedelta(days=1)


def period_spans(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """The whole months of [start, end] (their first days), and the ranges of days at its
    edges that are not part of a whole month."""
    months: list[dt.date] = []
    edges: list[tuple[dt.date, dt.date]] = []
    first = start.replace(day=1)
    while first <= end:
        last = _last_of_month(first)
        begin, finish = max(first, start), min(last, end)
        if (begin, finish) == (first, last):
            months.append(first)
        else:
            edges.append((begin, finish))
        first = last + dt.timedelta(days=1)
    return months, edges


def _period(unit_ids: list[int], start: dt.date, end: dt.date, *, days_only: bool = False) -> Q:
    if days_only:
        return Q(unit_id__in=unit_ids, span=Rollup.Span.DAY, day__gte=start, day__lte=end)
    months, edges = period_spans(start, end)
    parts = [Q(span=Rollup.Span.MONTH, day__in=months)] if months else []
    parts += [Q(span=Rollup.Span.DAY, day__gte=begin, day__lte=finish) for begin, finish in edges]
    return Q(unit_id__in=unit_ids) & reduce(or_, parts)


@dataclass
class PeriodCounts:
    """The counts of a period, summed over its units, per calendar month."""

    by_month: dict[dt.date, dict[str, Counter[str]]] = field(default_factory=dict)

    def series(self, name: str) -> Counter[str]:
        """Category -> count over the whole period."""
        total: Counter[str] = Counter()
        for month in self.by_month.values():
            total.update(month.get(name, {}))
        return total

    def total(self, name: str, category: str = "") -> int:
        return sum(month.get(name, Counter()).get(category, 0) for month in self.by_month.values())

    def members(self, name: str) -> set[str]:
        """The distinct categories with a count in the period: a distinct set's people."""
        found: set[str] = set()
        for month in self.by_month.values():
            found.update(category for category, n in month.get(name, {}).items() if n > 0)
        return found

    def members_in(self, name: str, month: dt.date) -> set[str]:
        return {category for category, n in self.by_month.get(month, {}).get(name, {}).items() if n > 0}


def period_counts(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> PeriodCounts:
    """Every series of the units over [start, end]: one query, of at most about two
    documents per unit and month of the period."""
    ids = list(unit_ids)
    result = PeriodCounts()
    if not ids or start > end:
        return result
    for day, counts in Rollup.objects.filter(_period(ids, start, end)).values_list("day", "counts"):
        month = result.by_month.setdefault(day.replace(day=1), {})
        for name, categories in counts.items():
            month.setdefault(name, Counter()).update(categories)
    return result


def daily_series(*, unit_ids: Iterable[int], start: dt.date, end: dt.date, name: str) -> dict[dt.date, Counter[str]]:
    """One series per local day over [start, end], summed over the units (one query that
    reads only that series of each day document)."""
    ids = list(unit_ids)
    days: dict[dt.date, Counter[str]] = {}
    if not ids or start > end:
        return days
    rows = (
        Rollup.objects.filter(_period(ids, start, end, days_only=True), counts__has_key=name)
        .annotate(part=KeyTransform(name, "counts"))
        .values_list("day", "part")
    )
    for day, categories in rows:
        days.setdefault(day, Counter()).update(categories or {})
    return days
