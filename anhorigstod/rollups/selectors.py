"""Reading the pre-aggregated counts of some units over a period of local days."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import JSONField, Q
from django.db.models.expressions import RawSQL

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
    """The counts of a period, summed over its units, per calendar month. Distinct sets
    (series whose categories are people's ids) are left out: see :func:`members`."""

    by_month: dict[dt.date, dict[str, Counter[str]]] = field(default_factory=dict)

    def series(self, name: str) -> Counter[str]:
        """Category -> count over the whole period."""
        total: Counter[str] = Counter()
        for month in self.by_month.values():
            total.update(month.get(name, {}))
        return total

    def total(self, name: str, category: str = "") -> int:
        return sum(month.get(name, Counter()).get(category, 0) for month in self.by_month.values())


def _without(names: tuple[str, ...]) -> Any:
    """The documents' counts without these series (the large distinct sets), in SQL."""
    if connection.vendor == "postgresql":
        return RawSQL("counts" + " - %s::text" * len(names), names, output_field=JSONField())  # noqa: S611 - parameters only
    paths = ", ".join(["%s"] * len(names))
    return RawSQL(f"json_remove(counts, {paths})", tuple(f'$."{name}"' for name in names), output_field=JSONField())  # noqa: S611 - parameters only


def period_counts(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, without: tuple[str, ...] = ()
) -> PeriodCounts:
    """Every series of the units over [start, end] but the distinct sets named in
    ``without``: one query, of at most about two documents per unit and month."""
    ids = list(unit_ids)
    result = PeriodCounts()
    if not ids or start > end:
        return result
    rows = Rollup.objects.filter(_period(ids, start, end))
    values = (
        rows.annotate(part=_without(without)).values_list("day", "part")
        if without
        else rows.values_list("day", "counts")
    )
    for day, counts in values:
        month = result.by_month.setdefault(day.replace(day=1), {})
        for name, categories in counts.items():
            month.setdefault(name, Counter()).update(categories)
    return result


def _each(name: str) -> tuple[str, str, str, list[Any]]:
    """SQL to spread one series of each document ``r`` into rows (key, value): the FROM
    clause addition, the key and value expressions, and its parameters."""
    if connection.vendor == "postgresql":
        return "CROSS JOIN LATERAL jsonb_each_text(r.counts -> %s) AS k", "k.key", "k.value::bigint", [name]
    return ", json_each(r.counts, %s) AS k", "k.key", "k.value", [f'$."{name}"']


def _month_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _week_of(column: str) -> str:
    """The Monday of the ISO week of a date."""
    if connection.vendor == "postgresql":
        return f"date_trunc('week', {column})::date"
    return f"date({column}, 'weekday 0', '-6 days')"


def _documents_sql(queryset: Any) -> tuple[str, list[Any]]:
    sql, params = queryset.values("day", "counts").query.sql_with_params()
    return sql, list(params)


def members_sql(*, unit_ids: Iterable[int], start: dt.date, end: dt.date, name: str) -> tuple[str, list[Any]]:
    """A subquery of the distinct members (ids, as integers) of a distinct-set series in
    the period: to be used as ``pk__in=RawSQL(*members_sql(...))``."""
    docs, params = _documents_sql(Rollup.objects.filter(_period(list(unit_ids), start, end), counts__has_key=name))
    join, key, _value, join_params = _each(name)
    # Fixed SQL fragments around the ORM's own query; every value is a parameter.
    return f"SELECT DISTINCT CAST({key} AS bigint) FROM ({docs}) AS r {join}", [*params, *join_params]  # noqa: S608


def members_count(*, unit_ids: Iterable[int], start: dt.date, end: dt.date, name: str) -> int:
    """The number of distinct members of a distinct-set series in the period (one query)."""
    ids = list(unit_ids)
    if not ids or start > end:
        return 0
    sql, params = members_sql(unit_ids=ids, start=start, end=end, name=name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS members", params)  # noqa: S608 - see members_sql
        return int(cursor.fetchone()[0])


def members_by_month(*, unit_ids: Iterable[int], start: dt.date, end: dt.date, name: str) -> dict[dt.date, int]:
    """The number of distinct members of a distinct-set series per calendar month (one query)."""
    ids = list(unit_ids)
    if not ids or start > end:
        return {}
    docs, params = _documents_sql(Rollup.objects.filter(_period(ids, start, end), counts__has_key=name))
    join, key, _value, join_params = _each(name)
    sql = (
        f"SELECT {_month_of('r.day')} AS month, COUNT(DISTINCT {key}) FROM ({docs}) AS r {join} "  # noqa: S608
        f"GROUP BY {_month_of('r.day')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *join_params])
        rows = cursor.fetchall()
    return {_as_date(month): n for month, n in rows}


def weekly_series(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, name: str
) -> dict[tuple[dt.date, str], int]:
    """(Monday of the ISO week, category) -> count of one series over the days of
    [start, end], summed in SQL over the units' day documents (one query)."""
    ids = list(unit_ids)
    if not ids or start > end:
        return {}
    docs, params = _documents_sql(Rollup.objects.filter(_period(ids, start, end, days_only=True), counts__has_key=name))
    join, key, value, join_params = _each(name)
    sql = (
        f"SELECT {_week_of('r.day')} AS week, {key}, SUM({value}) FROM ({docs}) AS r {join} "  # noqa: S608
        f"GROUP BY {_week_of('r.day')}, {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *join_params])
        rows = cursor.fetchall()
    return {(_as_date(week), category): int(n) for week, category, n in rows}


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
