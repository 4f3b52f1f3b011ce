"""Gallring: personal records are culled a number of years after the carer's last entry
(PRODUCT §2; the years come from the municipality's dokumenthanteringsplan).

This module is the one place that knows what "everything hanging off a carer" is. A new
model that points at a carer or at an identified talk must be added to :func:`_cull_batch`,
or the carer's delete below stops on its PROTECT foreign key and the run rolls back.

What a run culled is written as counts only (:class:`~contacts.models.CullRun`): never a
name, a personnummer or a record's code, because the point is that these are gone.
Anonymous talks are statistics, not personal records, and are kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence

from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.utils import timezone

from anhorigstod.accounts.models import Municipality
from contacts import rollups
from contacts.models import (
    Carer,
    Consent,
    CullRun,
    JournalNote,
    Measurement,
    MeasurementAnswer,
    Referral,
    RespiteGrant,
    SupportPlanItem,
    Talk,
    TalkFocusEntry,
)

logger = logging.getLogger(__name__)

# The keys of CullRun.counts, in the order the rows are deleted (children before parents).
COUNT_KEYS = (
    "measurement_answers",
    "measurements",
    "journal_notes",
    "referrals",
    "talk_focus_entries",
    "talks",
    "respite_grants",
    "consents",
    "support_plan_items",
    "carers",
)

# Carers handled per round of queries: keeps every IN (...) list well under SQLite's
# limit on query parameters, whatever the size of the backlog on the first run.
BATCH_SIZE = 500


class CullError(Exception):
    """One or more municipalities could not be culled; the others were."""


def retention_cutoff(*, now: dt.datetime, years: int) -> dt.datetime:
    """``now`` minus ``years`` calendar years, in local time.

    A 29 February falls back to the 28th in a year that has none, so a record is
    never kept a day short of its retention time.
    """
    local = timezone.localtime(now)
    try:
        return local.replace(year=local.year - years)
    except ValueError:  # 29 February, target year not a leap year
        return local.replace(year=local.year - years, day=28)


def cull_personal_records(
    *, municipality: Municipality, now: dt.datetime | None = None, dry_run: bool = False
) -> CullRun:
    """Delete the personal records of the municipality's carers whose last entry is older
    than its retention time, and record what was culled (or, in a dry run, what would be).

    All or nothing: one transaction, so a failure leaves every record as it was. Running
    it again straight after culls nothing (all counts zero).
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now, years=municipality.retention_years)
    counts = dict.fromkeys(COUNT_KEYS, 0)
    with transaction.atomic():
        # Lock the carers due for culling, so a consultant logging a talk for one of them
        # right now waits for this transaction instead of seeing half of a record vanish.
        due = Carer.objects.filter(unit__municipality=municipality, last_entry_at__lt=cutoff)
        carer_ids = list(due.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
        for batch in _batches(carer_ids, BATCH_SIZE):
            for key, number in _cull_batch(batch, dry_run=dry_run).items():
                counts[key] += number
        run = CullRun.objects.create(municipality=municipality, dry_run=dry_run, cutoff=cutoff, counts=counts)
    logger.info(
        "Retention cull for municipality %s (dry run: %s, cutoff %s): %s",
        municipality.kommunkod,
        dry_run,
        cutoff.date().isoformat(),
        ", ".join(f"{key}={number}" for key, number in counts.items()),
    )
    return run


def cull_all(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[CullRun]:
    """Run :func:`cull_personal_records` for every municipality.

    One municipality that fails (its transaction rolled back) does not stop the others:
    each has its own legal duty to cull. The failure is raised once all have run.
    """
    now = now or timezone.now()
    runs: list[CullRun] = []
    failed: list[str] = []
    for municipality in Municipality.objects.order_by("kommunkod"):
        try:
            runs.append(cull_personal_records(municipality=municipality, now=now, dry_run=dry_run))
        except (DatabaseError, ProtectedError, RestrictedError):
            logger.exception("Retention cull failed for municipality %s", municipality.kommunkod)
            failed.append(municipality.kommunkod)
    if failed:
        raise CullError(f"Retention cull failed for municipalities {', '.join(failed)}")
    return runs


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _cull_batch(carer_ids: Sequence[int], *, dry_run: bool) -> dict[str, int]:
    """Count, and unless ``dry_run`` delete, everything of these carers.

    Explicit deletes in dependency order rather than one cascading delete: talks,
    journal notes, respite, referrals and measurements point at the carer with PROTECT,
    so that nothing else can ever delete them by accident.
    """
    # Identified talks only: an anonymous talk has no carer and is never selected here.
    talk_ids = list(Talk.objects.filter(carer_id__in=carer_ids).values_list("pk", flat=True))
    steps: list[tuple[str, QuerySet]] = [
        ("measurement_answers", MeasurementAnswer.objects.filter(measurement__carer_id__in=carer_ids)),
        ("measurements", Measurement.objects.filter(carer_id__in=carer_ids)),
        ("journal_notes", JournalNote.objects.filter(Q(carer_id__in=carer_ids) | Q(talk_id__in=talk_ids))),
        ("referrals", Referral.objects.filter(Q(carer_id__in=carer_ids) | Q(talk_id__in=talk_ids))),
        ("talk_focus_entries", TalkFocusEntry.objects.filter(talk_id__in=talk_ids)),
        ("talks", Talk.objects.filter(pk__in=talk_ids)),
        ("respite_grants", RespiteGrant.objects.filter(carer_id__in=carer_ids)),
        ("consents", Consent.objects.filter(carer_id__in=carer_ids)),
        ("support_plan_items", SupportPlanItem.objects.filter(carer_id__in=carer_ids)),
        ("carers", Carer.objects.filter(pk__in=carer_ids)),
    ]
    counts: dict[str, int] = {}
    # What the records contribute to the follow-up counts, taken away when they go.
    followup = {} if dry_run else rollups.carers_counts_now(carer_ids)
    for key, queryset in steps:
        counts[key] = queryset.count()
        if dry_run or not counts[key]:
            continue
        if key == "journal_notes":
            _delete_journal_notes(queryset)
        else:
            queryset.delete()
    rollups.carers_culled(followup)
    return counts


def _delete_journal_notes(notes: QuerySet[JournalNote]) -> None:
    """Delete notes that correct other notes before the notes they correct.

    ``JournalNote.corrects`` is PROTECT, so a corrected note cannot go while its
    correction exists; corrections of corrections form short chains.
    """
    remaining = set(notes.values_list("pk", flat=True))
    while remaining:
        still_corrected = set(
            JournalNote.objects.filter(pk__in=remaining, corrects_id__isnull=False).values_list(
                "corrects_id", flat=True
            )
        )
        deletable = remaining - still_corrected
        if not deletable:  # a cycle cannot be built through the services; refuse rather than loop
            raise ProtectedError("Journal notes correct each other in a cycle", set())
        JournalNote.objects.filter(pk__in=deletable).delete()
        remaining -= deletable
