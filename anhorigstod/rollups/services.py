"""Pre-aggregated follow-up counts (rollups): kept in the write's own transaction, rebuilt
from the raw rows on demand and every night.

Why: the follow-up figures of a large municipality's year would otherwise read every talk,
session and grant of the period on each dashboard view, a cost that grows with the data.
Instead every write that changes a figure adds its difference to a few small documents of
counts (:class:`~anhorigstod.rollups.models.Rollup`), and the figures sum at most about
two documents per unit and month.

The keys. A *count* is keyed by (unit id, local day, series, category) and holds a whole
number: ``(12, 2025-03-03, "talk__gender", "woman") -> 4``. The series are declared by
the apps that own the raw rows (``contacts.rollups``, ``groups.rollups``); the platform
knows none of them. Each count is added to the unit's document for its day and to the
one for its month, so a period reads the month documents of its whole months and the
day documents of the days at its edges, whatever its length.

Distinct people. A number of distinct carers cannot be summed from daily counts. We keep
a per-period distinct set instead: a series whose categories are the people's ids
(``talk__carer``: ``{"345": 2}`` is carer 345 with two talks). The set of a period is
the union of the sets of its month and edge-day documents, so the count is exact; its
size is bounded by the people reached in a month, not by the talks. The ids are a
unit's own carers (the same data the talks hold), and the set shrinks with them when a
carer's records are culled. HyperLogLog was rejected (approximate, and the extension is
not in Debian's PostgreSQL packages CI installs); a distinct query over the raw talks,
even bounded by the period, reads every talk of it.

Maintenance. An app's service computes the counts a row contributes before and after its
write and calls :func:`rollup_change` (or :func:`rollup_apply` with a difference) at the
end of its transaction. The documents are locked in one order (unit, span, day), so
concurrent writes never deadlock on them, and every unit touched is share-locked first,
so a rebuild of that unit (which takes the same lock exclusively) never interleaves
with a write.

Rebuild. :func:`rollups_rebuild` counts every unit afresh from the raw rows with the
same contribution functions, compares the documents, reports each difference and, unless
it is a dry run, replaces the documents that differ. It runs nightly (``rollups_check``)
and from the command line (``manage.py rollups_rebuild``). A difference means a write
path did not maintain the counts: the report says which unit, span, day and series.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Q

from anhorigstod.rollups.models import Rollup
from anhorigstod.rollups.series import Series

logger = logging.getLogger(__name__)

# (unit id, local day, series, category)
Key = tuple[int, dt.date, str, str]
DocKey = tuple[int, str, dt.date]
Counts = dict[str, dict[str, int]]
# Fresh counts of the raw rows of some units: (key, n) pairs, a key may repeat.
FreshCounts = Callable[[Sequence[int]], Iterable[tuple[Key, int]]]

_SOURCES: dict[str, FreshCounts] = {}
# Series whose categories are people (distinct sets): each document also holds the size
# of its set under "<series>#size", so a whole month is counted without reading the set.
DISTINCT: set[str] = set()
# Series also kept per ISO week (for counts shown per week, such as the workload).
WEEKLY: set[str] = set()
# Distinct sets also kept per calendar year, whose keys are "id|attributes": a year
# document holds, under "<series>#attributes", how many of its members have each
# attributes, so a whole year's reach is read without reading the set.
YEARLY: set[str] = set()
SIZE = "#size"
ATTRIBUTES = "#attributes"


def register_source(name: str, fresh: FreshCounts, *, series: Iterable[Series]) -> None:
    """Declare a kind of raw row that feeds the counts (from an app's ``ready()``) and the
    series it feeds; each series' flags say whether it is a distinct set, also kept per
    week, or a distinct set also kept per year."""
    _SOURCES[name] = fresh
    for item in series:
        if item.distinct:
            DISTINCT.add(item.name)
        if item.weekly:
            WEEKLY.add(item.name)
        if item.yearly:
            YEARLY.add(item.name)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _documents(counts: Mapping[Key, int]) -> dict[DocKey, Counts]:
    """The day and month documents that ``counts`` add to, without zero entries."""
    docs: dict[DocKey, Counts] = {}
    for (unit_id, day, series, category), n in counts.items():
        if not n:
            continue
        doc_keys = [(unit_id, Rollup.Span.DAY.value, day), (unit_id, Rollup.Span.MONTH.value, day.replace(day=1))]
        if series in WEEKLY:
            doc_keys.append((unit_id, Rollup.Span.WEEK.value, day - dt.timedelta(days=day.weekday())))
        if series in YEARLY:
            doc_keys.append((unit_id, Rollup.Span.YEAR.value, day.replace(month=1, day=1)))
        for doc_key in doc_keys:
            cats = docs.setdefault(doc_key, {}).setdefault(series, {})
            cats[category] = cats.get(category, 0) + n
    for doc in docs.values():
        for series in list(doc):
            doc[series] = {category: n for category, n in doc[series].items() if n}
            if not doc[series]:
                del doc[series]
    return {key: doc for key, doc in docs.items() if doc}


def _sized(doc: Counts, span: str) -> Counts:
    """The document with the size of each of its distinct sets (none for an empty set),
    and in a year document the number of members per attributes."""
    for series in DISTINCT:
        if doc.get(series):
            doc[series + SIZE] = {"": len(doc[series])}
        else:
            doc.pop(series + SIZE, None)
    if span == Rollup.Span.YEAR:
        for series in YEARLY:
            attributes: dict[str, int] = {}
            for key in doc.get(series, {}):
                rest = key.split("|", 1)[1] if "|" in key else ""
                attributes[rest] = attributes.get(rest, 0) + 1
            if attributes:
                doc[series + ATTRIBUTES] = attributes
            else:
                doc.pop(series + ATTRIBUTES, None)
    return doc


def _merge(stored: Counts, delta: Counts, span: str) -> Counts:
    # The derived series ("#...") are computed again from the merged sets.
    merged = {series: dict(cats) for series, cats in stored.items() if "#" not in series}
    for series, cats in delta.items():
        target = merged.setdefault(series, {})
        for category, n in cats.items():
            total = target.get(category, 0) + n
            if total:
                target[category] = total
            else:
                target.pop(category, None)
        if not target:
            del merged[series]
    return _sized(merged, span)


def _filter(keys: Iterable[DocKey]) -> Q:
    grouped: dict[tuple[int, str], list[dt.date]] = {}
    for unit_id, span, day in keys:
        grouped.setdefault((unit_id, span), []).append(day)
    return reduce(or_, (Q(unit_id=unit_id, span=span, day__in=days) for (unit_id, span), days in grouped.items()))


def _lock_units(unit_ids: Sequence[int], *, exclusive: bool) -> None:
    """Writes share-lock their units, a rebuild locks its unit exclusively (PostgreSQL;
    SQLite runs one writing transaction at a time anyway)."""
    if connection.vendor != "postgresql" or not unit_ids:
        return
    mode = "NO KEY UPDATE" if exclusive else "SHARE"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM accounts_unit WHERE id = ANY(%s) ORDER BY id FOR {mode}",  # noqa: S608 - fixed words
            [sorted(unit_ids)],
        )


def rollup_apply(delta: Mapping[Key, int]) -> None:
    """Add ``delta`` (negative to take away) to the stored counts, in the caller's transaction."""
    docs = _documents(delta)
    if not docs:
        return
    keys = sorted(docs)
    with transaction.atomic():
        _lock_units(sorted({unit_id for unit_id, _span, _day in keys}), exclusive=False)
        # Create the missing documents first (in key order), then lock them all in key order.
        Rollup.objects.bulk_create(
            [Rollup(unit_id=unit_id, span=span, day=day, counts={}) for unit_id, span, day in keys],
            ignore_conflicts=True,
        )
        rows = list(Rollup.objects.select_for_update().filter(_filter(keys)).order_by("unit_id", "span", "day"))
        changed: list[Rollup] = []
        empty: list[int] = []
        for row in rows:
            row.counts = _merge(row.counts, docs[(row.unit_id, row.span, row.day)], row.span)
            if row.counts:
                changed.append(row)
            else:
                empty.append(row.pk)
        if changed:
            Rollup.objects.bulk_update(changed, ["counts"])
        if empty:
            Rollup.objects.filter(pk__in=empty).delete()


def rollup_change(*, before: Mapping[Key, int], after: Mapping[Key, int]) -> None:
    """Replace what a row contributed (``before``) by what it contributes now (``after``)."""
    delta: Counter[Key] = Counter(after)
    delta.subtract(before)
    rollup_apply(delta)


# --------------------------------------------------------------------------
# Rebuilding and checking
# --------------------------------------------------------------------------


@dataclass
class RebuildReport:
    dry_run: bool
    units: int = 0
    documents: int = 0  # documents a fresh count makes
    differing: int = 0  # stored documents that differed from the fresh count
    differences: list[str] = field(default_factory=list)  # the first few, described

    def __str__(self) -> str:
        verb = "would be replaced" if self.dry_run else "replaced"
        lines = [
            f"{self.units} units, {self.documents} documents counted afresh, "
            f"{self.differing} differing documents {verb}."
        ]
        lines += [f"  {line}" for line in self.differences]
        return "\n".join(lines)


MAX_DESCRIBED = 20


def _describe(key: DocKey, stored: Counts, fresh: Counts) -> str:
    """Which series differ, with their totals: never a category, which may be a carer's id."""
    unit_id, span, day = key
    series = sorted(name for name in set(stored) | set(fresh) if stored.get(name) != fresh.get(name))
    parts = [
        f"{name} stored {sum(stored.get(name, {}).values())} / fresh {sum(fresh.get(name, {}).values())}"
        for name in series
    ]
    return f"unit {unit_id} {span} {day.isoformat()}: " + "; ".join(parts)


def fresh_counts(unit_ids: Sequence[int]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for fresh in _SOURCES.values():
        for key, n in fresh(unit_ids):
            counts[key] += n
    return counts


def rollups_rebuild(
    *,
    unit_ids: Sequence[int] | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
    expected: bool = False,
) -> RebuildReport:
    """Count the units (default: all) afresh from the raw rows and compare with the stored
    documents; unless ``dry_run``, replace every document that differs. One unit per
    transaction, with the unit locked so no write of it interleaves. A difference is a
    warning (a write that went past the counts), unless ``expected``: rows were just
    written in bulk on purpose, as the demo data is."""
    from anhorigstod.accounts.models import Unit

    ids = list(unit_ids) if unit_ids is not None else list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    report = RebuildReport(dry_run=dry_run)
    for index, unit_id in enumerate(ids, start=1):
        with transaction.atomic():
            _lock_units([unit_id], exclusive=True)
            fresh = {key: _sized(doc, key[1]) for key, doc in _documents(fresh_counts([unit_id])).items()}
            stored = {(row.unit_id, row.span, row.day): row for row in Rollup.objects.filter(unit_id=unit_id)}
            differing = sorted(
                key
                for key in set(fresh) | set(stored)
                if (stored[key].counts if key in stored else {}) != fresh.get(key, {})
            )
            report.units += 1
            report.documents += len(fresh)
            report.differing += len(differing)
            for key in differing[: max(0, MAX_DESCRIBED - len(report.differences))]:
                report.differences.append(
                    _describe(key, stored[key].counts if key in stored else {}, fresh.get(key, {}))
                )
            if not dry_run and differing:
                Rollup.objects.filter(pk__in=[stored[key].pk for key in differing if key in stored]).delete()
                Rollup.objects.bulk_create(
                    [
                        Rollup(unit_id=key[0], span=key[1], day=key[2], counts=fresh[key])
                        for key in differing
                        if key in fresh
                    ],
                    batch_size=1000,
                )
        if progress and index % 500 == 0:
            progress(f"{index} of {len(ids)} units")
    if report.differing:
        logger.log(
            logging.DEBUG if expected else logging.WARNING,
            "Follow-up counts: %s differing documents (dry run: %s)",
            report.differing,
            dry_run,
        )
    return report
