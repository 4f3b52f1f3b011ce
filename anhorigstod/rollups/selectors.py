"""Reading the pre-aggregated counts of some units over a period of local days."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import TruncMonth

from anhorigstod.rollups.models import Member, Rollup
from anhorigstod.rollups.series import Series
from anhorigstod.rollups.services import ATTRIBUTES, SIZE, as_date


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


def week_spans(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """The whole ISO weeks of [start, end] (their Mondays), and the days at its edges."""
    weeks: list[dt.date] = []
    edges: list[tuple[dt.date, dt.date]] = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + dt.timedelta(days=6)
        begin, finish = max(monday, start), min(sunday, end)
        if (begin, finish) == (monday, sunday):
            weeks.append(monday)
        else:
            edges.append((begin, finish))
        monday += dt.timedelta(days=7)
    return weeks, edges


def _period(unit_ids: list[int], start: dt.date, end: dt.date, *, weeks: bool = False) -> Q:
    """The documents of [start, end]: its whole months (or weeks) and its edge days."""
    wholes, edges = week_spans(start, end) if weeks else period_spans(start, end)
    span = Rollup.Span.WEEK if weeks else Rollup.Span.MONTH
    parts = [Q(span=span, day__in=wholes)] if wholes else []
    parts += [Q(span=Rollup.Span.DAY, day__gte=begin, day__lte=finish) for begin, finish in edges]
    if not parts:
        return Q(pk__in=[])
    return Q(unit_id__in=unit_ids) & reduce(or_, parts)


@dataclass
class PeriodCounts:
    """The counts of a period, summed over its units, per calendar month. Distinct sets
    (series whose categories are people's ids) are read apart: see :func:`members_count`."""

    by_month: dict[dt.date, dict[str, Counter[str]]] = field(default_factory=dict)
    # The months the period holds whole (read from month documents); the others are
    # summed from day documents, where a distinct set's sizes do not add up.
    whole_months: set[dt.date] = field(default_factory=set)

    def series(self, series: Series) -> Counter[str]:
        """Category -> count over the whole period."""
        total: Counter[str] = Counter()
        for month in self.by_month.values():
            total.update(month.get(series.name, {}))
        return total

    def total(self, series: Series, category: str = "") -> int:
        return sum(month.get(series.name, Counter()).get(category, 0) for month in self.by_month.values())

    def in_month(self, first: dt.date, series: Series, category: str = "") -> int:
        """The count of one category in the calendar month that begins on ``first``."""
        return self.by_month.get(first, {}).get(series.name, Counter()).get(category, 0)

    @classmethod
    def combined(cls, parts: Sequence[PeriodCounts]) -> PeriodCounts:
        """The counts of several units' periods together (the same period)."""
        if len(parts) == 1:
            return parts[0]
        total = cls(whole_months=parts[0].whole_months)
        for part in parts:
            for first, month in part.by_month.items():
                target = total.by_month.setdefault(first, {})
                for name, categories in month.items():
                    target.setdefault(name, Counter()).update(categories)
        return total

    def size_in_month(self, first: dt.date, series: Series) -> int:
        """The size of a distinct set in a month the period holds whole (its document's size)."""
        return self.by_month.get(first, {}).get(series.name + SIZE, Counter()).get("", 0)


# Results per unit (``by_unit``), or for the units together under the key ``None``.
UnitKey = int | None


def period_counts(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, by_unit: bool = False
) -> dict[UnitKey, PeriodCounts]:
    """Every series of the units over [start, end] (the distinct sets are read apart:
    :func:`members_count`): one query, of at most about two documents per unit and month."""
    ids = list(unit_ids)
    results: dict[UnitKey, PeriodCounts] = {}
    if not ids or start > end:
        return results
    whole_months = set(period_spans(start, end)[0])
    values = Rollup.objects.filter(_period(ids, start, end)).values_list("unit_id", "day", "counts")
    for unit_id, day, counts in values:
        result = results.setdefault(unit_id if by_unit else None, PeriodCounts(whole_months=whole_months))
        month = result.by_month.setdefault(day.replace(day=1), {})
        for name, categories in counts.items():
            month.setdefault(name, Counter()).update(categories)
    return results


def _each(name: str) -> tuple[str, str, str, list[Any]]:
    """SQL to spread one series of each document ``r`` into rows (key, value): the FROM
    clause addition, the key and value expressions, and its parameters."""
    if connection.vendor == "postgresql":
        return "CROSS JOIN LATERAL jsonb_each_text(r.counts -> %s) AS k", "k.key", "k.value::bigint", [name]
    return ", json_each(r.counts, %s) AS k", "k.key", "k.value", [f'$."{name}"']


def _week_of(column: str) -> str:
    """The Monday of the ISO week of a date."""
    if connection.vendor == "postgresql":
        return f"date_trunc('week', {column})::date"
    return f"date({column}, 'weekday 0', '-6 days')"


def _documents_sql(queryset: Any) -> tuple[str, list[Any]]:
    sql, params = queryset.values("unit_id", "day", "counts").query.sql_with_params()
    return sql, list(params)


def _unit(by_unit: bool) -> str:
    """The unit column of a spread query: each unit's own, or one group for them all."""
    return "r.unit_id" if by_unit else "0"


def _key(unit: Any, by_unit: bool) -> UnitKey:
    return int(unit) if by_unit else None


def year_spans(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[dt.date], list[tuple[dt.date, dt.date]]]:
    """The whole calendar years of [start, end] (their 1 January), the whole months
    outside them (their first days), and the ranges of days at its edges."""
    months, edges = period_spans(start, end)
    per_year: dict[int, list[dt.date]] = {}
    for first in months:
        per_year.setdefault(first.year, []).append(first)
    years = [dt.date(year, 1, 1) for year, firsts in per_year.items() if len(firsts) == 12]
    whole = {first.year for first in years}
    return years, [first for first in months if first.year not in whole], edges


def _members(
    unit_ids: list[int], start: dt.date, end: dt.date, series: Series, *, edges_only: bool = False
) -> QuerySet[Member]:
    """The rows of a distinct set over [start, end]: its whole years, the whole months
    outside them and the edge days (an index-only range of the set's index for each)."""
    years, months, edges = year_spans(start, end)
    parts: list[Q] = []
    if years and not edges_only:
        parts.append(Q(span=Rollup.Span.YEAR, day__in=years))
    if months and not edges_only:
        parts.append(Q(span=Rollup.Span.MONTH, day__in=months))
    parts += [Q(span=Rollup.Span.DAY, day__gte=begin, day__lte=finish) for begin, finish in edges]
    if not parts or not unit_ids:
        return Member.objects.none()
    return Member.objects.filter(reduce(or_, parts), unit_id__in=unit_ids, series=series.name).order_by()


# Units read together, by a key of the caller's: each group's members are counted as one
# set (the union of its units' sets). A unit may be in several groups (itself, and the
# report of each unit above it), and every group is counted in the same query.
Groups = Mapping[Hashable, Sequence[int]]


def _grouped(
    groups: Groups, inner: QuerySet[Any], columns: str, select: str, group: str
) -> tuple[list[tuple[Any, ...]], dict[Any, Hashable]]:
    """Run ``SELECT d.grp, {select} FROM (SELECT DISTINCT grp, {columns} ...) AS d GROUP BY
    d.grp, {group}`` over the member rows of ``inner`` (``m.unit_id``, ``m.key``, ...):
    each member once per group and ``columns``, then counted (a hash aggregate; a
    ``COUNT(DISTINCT)`` would sort). Returns the rows and each ``d.grp``'s group key.

    One group, or groups of one unit each, need no join (and the planner then knows the
    rows' number); groups that share units (a unit and the units above it) spread each
    row into its unit's groups on PostgreSQL, and are joined with a small list of
    (unit, group) pairs on SQLite."""
    keys = list(groups)
    sql, params = inner.query.sql_with_params()
    members = [sorted(set(groups[key])) for key in keys]
    # Parameters of the group expression (before the inner query's) and of the join (after).
    before: list[Any] = []
    after: list[Any] = []
    if len(keys) == 1:
        grp, join = "0", ""
        names: dict[Any, Hashable] = {0: keys[0]}
    elif all(len(ids) == 1 for ids in members) and len({ids[0] for ids in members}) == len(keys):
        grp, join = "m.unit_id", ""
        names = {ids[0]: key for ids, key in zip(members, keys, strict=True)}
    elif connection.vendor == "postgresql":
        # Each row spread into its unit's groups: no join, so the planner keeps the member
        # scan's estimate and picks hash aggregates (a join with a list of pairs it cannot
        # estimate made it sort: 78 ms against 46 ms for a förvaltning's tree at 1M).
        of_unit: dict[int, list[int]] = {}
        for index, ids in enumerate(members):
            for unit_id in ids:
                of_unit.setdefault(unit_id, []).append(index)
        whens = " ".join(["WHEN %s THEN %s::int[]"] * len(of_unit))
        grp, join = f"unnest(CASE m.unit_id {whens} END)", ""
        before = [value for unit_id, found in of_unit.items() for value in (unit_id, found)]
        names = dict(enumerate(keys))
    else:
        pairs = [(unit_id, index) for index, ids in enumerate(members) for unit_id in ids]
        table = " UNION ALL ".join(["SELECT %s AS unit_id, %s AS grp"] * len(pairs))
        grp, join = "g.grp", f" JOIN ({table}) AS g ON g.unit_id = m.unit_id"
        after = [value for pair in pairs for value in pair]
        names = dict(enumerate(keys))
    grouping = f"d.grp, {group}" if group else "d.grp"
    # Fixed SQL fragments around the ORM's own query; every value is a parameter.
    query = (
        f"SELECT d.grp, {select} FROM (SELECT DISTINCT {grp} AS grp, {columns} FROM ({sql}) AS m{join}) AS d "  # noqa: S608
        f"GROUP BY {grouping}"
    )
    return _fetch(query, [*before, *params, *after]), names


def units_of(groups: Groups) -> list[int]:
    """Every unit of the groups, once, in order."""
    return sorted({unit_id for ids in groups.values() for unit_id in ids})


def members_count(*, groups: Groups, start: dt.date, end: dt.date, series: Series) -> dict[Hashable, int]:
    """The number of distinct members of a distinct-set series in the period, for each
    group of units (one query for them all)."""
    ids = units_of(groups)
    if not ids or start > end:
        return {}
    inner = _members(ids, start, end, series).values_list("unit_id", "key")
    rows, keys = _grouped(groups, inner, "m.key", "COUNT(*)", "")
    return {keys[grp]: int(n) for grp, n in rows if n}


def members_grouped(
    *, groups: Groups, start: dt.date, end: dt.date, series: Series
) -> dict[Hashable, list[tuple[str, int]]]:
    """The distinct members of a distinct-set series in the period, for each group of
    units, grouped by what their keys say after the first "|" (``id|attributes``):
    (attributes, members) rows, one query for them all."""
    ids = units_of(groups)
    if not ids or start > end:
        return {}
    inner = _members(ids, start, end, series).values_list("unit_id", "key")
    if connection.vendor == "postgresql":
        rest = "substring(d.key from position('|' in d.key) + 1)"
    else:
        rest = "substr(d.key, instr(d.key, '|') + 1)"
    rows, keys = _grouped(groups, inner, "m.key", f"{rest}, COUNT(*)", rest)
    found: dict[Hashable, list[tuple[str, int]]] = {}
    for grp, attributes, n in rows:
        found.setdefault(keys[grp], []).append((attributes, int(n)))
    return found


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def edge_members_by_month(
    *, groups: Groups, start: dt.date, end: dt.date, series: Series
) -> dict[Hashable, dict[dt.date, int]]:
    """The distinct members per calendar month of the period's edge days (the months it
    holds only in part), for each group of units; no query when it holds whole months only."""
    ids = units_of(groups)
    if not ids or start > end or not period_spans(start, end)[1]:
        return {}
    inner = (
        _members(ids, start, end, series, edges_only=True)
        .annotate(month=TruncMonth("day"))
        .values_list("unit_id", "key", "month")
    )
    rows, keys = _grouped(groups, inner, "m.month, m.key", "d.month, COUNT(*)", "d.month")
    result: dict[Hashable, dict[dt.date, int]] = {}
    for grp, first, n in rows:
        result.setdefault(keys[grp], {})[as_date(first)] = int(n)
    return result


def _spread(documents: Q, series: Series, select: str, group: str, *, by_unit: bool) -> list[tuple[Any, ...]]:
    """Run ``SELECT unit, {select} ... GROUP BY unit, {group}`` over one series of the
    documents, spread into rows ``k.key`` / ``value`` (see :func:`_each`) of each document ``r``."""
    docs, params = _documents_sql(Rollup.objects.filter(documents))
    join, key, value, join_params = _each(series.name)
    select, group = select.format(key=key, value=value), group.format(key=key)
    unit = _unit(by_unit)
    grouping = f"{unit}, {group}" if by_unit else group
    # Fixed SQL fragments around the ORM's own query; every value is a parameter.
    sql = f"SELECT {unit}, {select} FROM ({docs}) AS r {join} GROUP BY {grouping}"  # noqa: S608
    return _fetch(sql, [*params, *join_params])


def weekly_series(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, series: Series, by_unit: bool = False
) -> dict[UnitKey, dict[tuple[dt.date, str], int]]:
    """(Monday of the ISO week, category) -> count of a weekly series over [start, end]:
    week documents for its whole weeks, day documents at its edges, summed in SQL."""
    ids = list(unit_ids)
    if not ids or start > end:
        return {}
    week = _week_of("r.day")
    rows = _spread(
        _period(ids, start, end, weeks=True),
        series,
        f"{week}, {{key}}, SUM({{value}})",
        f"{week}, {{key}}",
        by_unit=by_unit,
    )
    result: dict[UnitKey, dict[tuple[dt.date, str], int]] = {}
    for unit, monday, category, n in rows:
        result.setdefault(_key(unit, by_unit), {})[(as_date(monday), category)] = int(n)
    return result


def year_attributes(
    *, unit_ids: Iterable[int], year: int, series: Series, by_unit: bool = False
) -> dict[UnitKey, list[tuple[str, int]]]:
    """The members of a yearly distinct set in one calendar year, per attributes (what
    their keys say after the first "|"), from the year documents alone: one query that
    reads only their "<series>#attributes"."""
    ids = list(unit_ids)
    result: dict[UnitKey, Counter[str]] = {}
    rows = (
        Rollup.objects.filter(unit_id__in=ids, span=Rollup.Span.YEAR, day=dt.date(year, 1, 1))
        .annotate(part=KeyTransform(series.name + ATTRIBUTES, "counts"))
        .values_list("unit_id", "part")
    )
    for unit_id, attributes in rows:
        result.setdefault(_key(unit_id, by_unit), Counter()).update(attributes or {})
    return {key: list(counter.items()) for key, counter in result.items()}
