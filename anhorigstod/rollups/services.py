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

Distinct people. A number of distinct carers cannot be summed from daily counts. A
series whose categories are people's keys (``talk__carer``: carer 345 with two talks is
the key "345|..." with n 2) is a distinct set, kept apart from the documents as one narrow
row per member, unit, day, month and calendar year (:class:`~anhorigstod.rollups.models.Member`).
The set of a period is the union of the sets of its whole years, the whole months outside
them and its edge days, so the count is exact and a few years read about as many rows as
there are people, straight from the index. A write adds to its own person's few rows
(an upsert), whatever the size of the set: it never rewrites a document that holds
everyone. When a member joins or leaves a month's or a year's set, the size of that set
(``"<series>#size"``) and, for a yearly series, the number of its members per attributes
(``"<series>#attributes"``) change in the month or year document as ordinary counts, so
a whole month's or year's distinct count and reach are read without the set. The keys
are a unit's own people (the same data the raw rows hold), and the set shrinks with them
when their records are culled. HyperLogLog was rejected: Debian ships it
(postgresql-15-hll) but its counts are approximate, and the nämnd's are exact. A distinct
query over the raw talks reads every talk of the period. docs/rollups.md compares the
layouts that were measured.

Maintenance. An app's service computes the counts a row contributes before and after its
write and calls :func:`rollup_change` (or :func:`rollup_apply` with a difference) at the
end of its transaction. The documents are locked in one order (unit, span, day), so
concurrent writes never deadlock on them, and every unit touched is share-locked first,
so a rebuild of that unit (which takes the same lock exclusively) never interleaves
with a write.

Rebuild. :func:`rollups_rebuild` counts every unit afresh from the raw rows with the
same contribution functions, compares the documents and the sets, reports each difference and, unless
it is a dry run, replaces the documents that differ. It runs nightly (``rollups_check``)
and from the command line (``manage.py rollups_rebuild``). A difference means a write
path did not maintain the counts: the report says which unit, span, day and series.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q

from anhorigstod.rollups.models import Member, Rollup
from anhorigstod.rollups.series import Series

logger = logging.getLogger(__name__)

# (unit id, local day, series, category)
Key = tuple[int, dt.date, str, str]
DocKey = tuple[int, str, dt.date]
# (unit id, series, span, first day, member's key): one row of a distinct set
MemberKey = tuple[int, str, str, dt.date, str]
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


def _spans(series: str, day: dt.date) -> list[tuple[str, dt.date]]:
    """The spans a count of ``day`` is kept in: its day and month, its ISO week for a
    weekly series, its calendar year for a distinct set (so whole years are read whole)."""
    spans = [(Rollup.Span.DAY.value, day), (Rollup.Span.MONTH.value, day.replace(day=1))]
    if series in WEEKLY:
        spans.append((Rollup.Span.WEEK.value, day - dt.timedelta(days=day.weekday())))
    if series in DISTINCT:
        spans.append((Rollup.Span.YEAR.value, day.replace(month=1, day=1)))
    return spans


def _add(doc: Counts, series: str, category: str, n: int) -> None:
    cats = doc.setdefault(series, {})
    cats[category] = cats.get(category, 0) + n


def _documents(counts: Mapping[Key, int]) -> dict[DocKey, Counts]:
    """The documents that the counts of ``counts`` add to (the distinct sets are not in
    them: see :func:`_memberships`), without zero entries."""
    docs: dict[DocKey, Counts] = {}
    for (unit_id, day, series, category), n in counts.items():
        if not n or series in DISTINCT:
            continue
        for span, first in _spans(series, day):
            _add(docs.setdefault((unit_id, span, first), {}), series, category, n)
    return _nonzero(docs)


def _nonzero(docs: dict[DocKey, Counts]) -> dict[DocKey, Counts]:
    for doc in docs.values():
        for series in list(doc):
            doc[series] = {category: n for category, n in doc[series].items() if n}
            if not doc[series]:
                del doc[series]
    return {key: doc for key, doc in docs.items() if doc}


def _memberships(counts: Mapping[Key, int]) -> dict[MemberKey, int]:
    """What ``counts`` add to the distinct sets: (unit, series, span, day, key) -> n."""
    members: Counter[MemberKey] = Counter()
    for (unit_id, day, series, category), n in counts.items():
        if n and series in DISTINCT:
            for span, first in _spans(series, day):
                members[(unit_id, series, span, first, category)] += n
    return {key: n for key, n in members.items() if n}


def _derived(changes: Iterable[tuple[MemberKey, int]]) -> dict[DocKey, Counts]:
    """The counts kept about the sets (``changes``: members that joined, +1, or left, -1):
    the size of each month's and year's set, and in a year document the number of its
    members per attributes (what a yearly set's keys say after the first "|")."""
    docs: dict[DocKey, Counts] = {}
    for (unit_id, series, span, day, key), sign in changes:
        if span not in (Rollup.Span.MONTH, Rollup.Span.YEAR):
            continue
        doc = docs.setdefault((unit_id, span, day), {})
        _add(doc, series + SIZE, "", sign)
        if span == Rollup.Span.YEAR and series in YEARLY:
            _add(doc, series + ATTRIBUTES, key.split("|", 1)[1] if "|" in key else "", sign)
    return docs


def _combined(*parts: Mapping[DocKey, Counts]) -> dict[DocKey, Counts]:
    docs: dict[DocKey, Counts] = {}
    for part in parts:
        for doc_key, doc in part.items():
            target = docs.setdefault(doc_key, {})
            for series, cats in doc.items():
                for category, n in cats.items():
                    _add(target, series, category, n)
    return _nonzero(docs)


def _merge(stored: Counts, delta: Counts) -> Counts:
    merged = {series: dict(cats) for series, cats in stored.items()}
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
    return merged


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


UPSERT_BATCH = 500


def _upsert_members(members: Mapping[MemberKey, int]) -> list[tuple[MemberKey, int]]:
    """Add ``members``' n to the stored rows (a row is created at its first count and
    deleted when its n reaches 0), in key order; the members that joined a set (+1) or
    left it (-1). One statement per few hundred members: each touches only its own row."""
    table = connection.ops.quote_name(Member._meta.db_table)
    changes: list[tuple[MemberKey, int]] = []
    gone: list[int] = []
    keys = sorted(members)
    for begin in range(0, len(keys), UPSERT_BATCH):
        batch = keys[begin : begin + UPSERT_BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
        params: list[Any] = []
        for unit_id, series, span, day, key in batch:
            params += [
                unit_id,
                series,
                span,
                connection.ops.adapt_datefield_value(day),
                key,
                members[(unit_id, series, span, day, key)],
            ]
        # Fixed SQL around the parameters: the table name is the model's own.
        sql = (
            f"INSERT INTO {table} (unit_id, series, span, day, key, n) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (unit_id, series, span, day, key) DO UPDATE SET n = {table}.n + excluded.n "
            "RETURNING id, unit_id, series, span, day, key, n"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        for pk, unit_id, series, span, day, key, n in returned:
            member_key = (unit_id, series, span, as_date(day), key)
            before = n - members[member_key]
            if n <= 0:
                gone.append(pk)
                if before > 0:
                    changes.append((member_key, -1))
            elif before <= 0:
                changes.append((member_key, 1))
    if gone:
        Member.objects.filter(pk__in=gone, n__lte=0).delete()
    return changes


def as_date(value: Any) -> dt.date:
    """A date from raw SQL: a date, a timestamp (PostgreSQL's date_trunc) or ISO text (SQLite)."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def rollup_apply(delta: Mapping[Key, int]) -> None:
    """Add ``delta`` (negative to take away) to the stored counts, in the caller's transaction."""
    members = _memberships(delta)
    plain = _documents(delta)
    if not members and not plain:
        return
    units = {key[0] for key in members} | {key[0] for key in plain}
    with transaction.atomic():
        _lock_units(sorted(units), exclusive=False)
        _bump_versions(units)
        # The members first (their own rows, in key order), then the documents, which
        # also take the sizes of the sets the members joined or left.
        docs = _combined(plain, _derived(_upsert_members(members))) if members else plain
        if not docs:
            return
        keys = sorted(docs)
        # Create the missing documents first (in key order), then lock them all in key order.
        Rollup.objects.bulk_create(
            [Rollup(unit_id=unit_id, span=span, day=day, counts={}) for unit_id, span, day in keys],
            ignore_conflicts=True,
        )
        rows = list(Rollup.objects.select_for_update().filter(_filter(keys)).order_by("unit_id", "span", "day"))
        changed: list[Rollup] = []
        empty: list[int] = []
        for row in rows:
            row.counts = _merge(row.counts, docs[(row.unit_id, row.span, row.day)])
            if row.counts:
                changed.append(row)
            else:
                empty.append(row.pk)
        if changed:
            Rollup.objects.bulk_update(changed, ["counts"])
        if empty:
            Rollup.objects.filter(pk__in=empty).delete()


# --------------------------------------------------------------------------
# Versions: what was computed from a unit's counts can be kept until they change
# --------------------------------------------------------------------------

VERSION_KEY = "rollups:version:{}"


def _bump_versions(unit_ids: Iterable[int]) -> None:
    """Give the units new versions now and again once the transaction commits: a result
    computed meanwhile (from the counts before the commit) is kept under the version in
    between, which is never current again. A cache outage only logs."""
    ids = sorted(set(unit_ids))

    def bump() -> None:
        try:
            cache.set_many({VERSION_KEY.format(pk): uuid.uuid4().hex for pk in ids}, timeout=None)
        except Exception:  # noqa: BLE001 - the cache is an optimisation; the write goes on
            logger.warning("Follow-up counts: could not renew the versions of %s units in the cache", len(ids))

    bump()
    transaction.on_commit(bump)


def unit_versions(unit_ids: Iterable[int]) -> dict[int, str]:
    """The units' current versions: a new one after every write of their counts. A unit
    with no version in the cache (never written since the cache started, or evicted) gets a
    new one here, so a result kept under an older version is never taken for current."""
    keys = {pk: VERSION_KEY.format(pk) for pk in sorted(set(unit_ids))}
    found = cache.get_many(list(keys.values()))
    for key in keys.values():
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return {pk: str(found[key]) for pk, key in keys.items()}


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
    sets: int = 0  # distinct sets (of a unit, series, span and day) a fresh count makes
    differing: int = 0  # stored documents and sets that differed from the fresh count
    differences: list[str] = field(default_factory=list)  # the first few, described

    def __str__(self) -> str:
        verb = "would be replaced" if self.dry_run else "replaced"
        lines = [
            f"{self.units} units, {self.documents} documents and {self.sets} distinct sets counted afresh, "
            f"{self.differing} differing documents or sets {verb}."
        ]
        lines += [f"  {line}" for line in self.differences]
        return "\n".join(lines)


MAX_DESCRIBED = 20
SetKey = tuple[int, str, str, dt.date]  # (unit id, series, span, first day)


def _describe(key: DocKey, stored: Counts, fresh: Counts) -> str:
    """Which series differ, with their totals: never a category, which may be a carer's id."""
    unit_id, span, day = key
    series = sorted(name for name in set(stored) | set(fresh) if stored.get(name) != fresh.get(name))
    parts = [
        f"{name} stored {sum(stored.get(name, {}).values())} / fresh {sum(fresh.get(name, {}).values())}"
        for name in series
    ]
    return f"unit {unit_id} {span} {day.isoformat()}: " + "; ".join(parts)


def _describe_set(key: SetKey, stored: Mapping[str, int], fresh: Mapping[str, int]) -> str:
    """A differing distinct set: its members and counts, never a member's key."""
    unit_id, series, span, day = key
    return (
        f"unit {unit_id} {span} {day.isoformat()}: {series} stored {len(stored)} members ({sum(stored.values())}) "
        f"/ fresh {len(fresh)} members ({sum(fresh.values())})"
    )


def fresh_counts(unit_ids: Sequence[int]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for fresh in _SOURCES.values():
        for key, n in fresh(unit_ids):
            counts[key] += n
    return counts


def _sets(members: Mapping[MemberKey, int]) -> dict[SetKey, dict[str, int]]:
    sets: dict[SetKey, dict[str, int]] = {}
    for (unit_id, series, span, day, key), n in members.items():
        sets.setdefault((unit_id, series, span, day), {})[key] = n
    return sets


def rollups_rebuild(
    *,
    unit_ids: Sequence[int] | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
    expected: bool = False,
) -> RebuildReport:
    """Count the units (default: all) afresh from the raw rows and compare with the stored
    documents and sets; unless ``dry_run``, replace every one that differs. One unit per
    transaction, with the unit locked so no write of it interleaves. A difference is a
    warning (a write that went past the counts), unless ``expected``: rows were just
    written in bulk on purpose, as the demo data is."""
    from anhorigstod.accounts.models import Unit

    ids = list(unit_ids) if unit_ids is not None else list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    report = RebuildReport(dry_run=dry_run)
    for index, unit_id in enumerate(ids, start=1):
        with transaction.atomic():
            _lock_units([unit_id], exclusive=True)
            counts = fresh_counts([unit_id])
            members = _memberships(counts)
            fresh = _combined(_documents(counts), _derived((key, 1) for key, n in members.items() if n > 0))
            fresh_sets = _sets(members)
            stored = {(row.unit_id, row.span, row.day): row for row in Rollup.objects.filter(unit_id=unit_id)}
            stored_sets = _sets(
                {
                    (unit, series, span, day, key): n
                    for unit, series, span, day, key, n in Member.objects.filter(unit_id=unit_id).values_list(
                        "unit_id", "series", "span", "day", "key", "n"
                    )
                }
            )
            differing = sorted(
                key
                for key in set(fresh) | set(stored)
                if (stored[key].counts if key in stored else {}) != fresh.get(key, {})
            )
            differing_sets = sorted(
                key for key in set(fresh_sets) | set(stored_sets) if stored_sets.get(key) != fresh_sets.get(key)
            )
            report.units += 1
            report.documents += len(fresh)
            report.sets += len(fresh_sets)
            report.differing += len(differing) + len(differing_sets)
            for key in differing[: max(0, MAX_DESCRIBED - len(report.differences))]:
                report.differences.append(
                    _describe(key, stored[key].counts if key in stored else {}, fresh.get(key, {}))
                )
            for set_key in differing_sets[: max(0, MAX_DESCRIBED - len(report.differences))]:
                report.differences.append(
                    _describe_set(set_key, stored_sets.get(set_key, {}), fresh_sets.get(set_key, {}))
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
            if not dry_run and differing_sets:
                _replace_sets(unit_id, differing_sets, fresh_sets)
            if not dry_run and (differing or differing_sets):
                _bump_versions([unit_id])
        if progress and index % 500 == 0:
            progress(f"{index} of {len(ids)} units")
    if report.differing:
        logger.log(
            logging.DEBUG if expected else logging.WARNING,
            "Follow-up counts: %s differing documents or sets (dry run: %s)",
            report.differing,
            dry_run,
        )
    return report


def _replace_sets(unit_id: int, keys: Sequence[SetKey], fresh: Mapping[SetKey, Mapping[str, int]]) -> None:
    by_series_span: dict[tuple[str, str], list[dt.date]] = {}
    for _unit, series, span, day in keys:
        by_series_span.setdefault((series, span), []).append(day)
    Member.objects.filter(
        reduce(or_, (Q(series=series, span=span, day__in=days) for (series, span), days in by_series_span.items())),
        unit_id=unit_id,
    ).delete()
    Member.objects.bulk_create(
        [
            Member(unit_id=unit_id, series=series, span=span, day=day, key=key, n=n)
            for set_key in keys
            for (_unit, series, span, day) in [set_key]
            for key, n in fresh.get(set_key, {}).items()
        ],
        batch_size=2000,
    )
