"""Gallring: personal records are culled a number of years after the carer's last entry
(PRODUCT §2; the years come from the municipality's dokumenthanteringsplan).

This module knows what "everything hanging off a carer" is in the contacts app. A new
contacts model that points at a carer or at an identified talk must be added to
:func:`_cull_batch`, or the carer's delete below stops on its PROTECT foreign key and the
run rolls back. Apps above contacts declare their own rules in the register of personal
data (anhorigstod.privacy), which runs them in the same job and transaction: a booking or
an application keeps its own clock there, its carer link is ``SET_NULL``.

What a run culled is written as counts only (:class:`~anhorigstod.privacy.models.CullRun`):
never a name, a personnummer or a record's code, because the point is that these are gone.
Anonymous talks are statistics, not personal records, and are kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence

from django.db.models import ProtectedError, Q, QuerySet

from anhorigstod.accounts.models import Municipality
from anhorigstod.privacy.job import CullError, cull_everything, cull_municipality
from anhorigstod.privacy.models import CullRun
from anhorigstod.privacy.registry import retention_cutoff
from contacts import rollups
from contacts.models import (
    Carer,
    Consent,
    JournalNote,
    Measurement,
    MeasurementAnswer,
    Referral,
    RespiteGrant,
    SupportPlanItem,
    Talk,
    TalkDraft,
    TalkFocusEntry,
)

__all__ = ["CullError", "cull_all", "cull_personal_records", "retention_cutoff"]

logger = logging.getLogger(__name__)

# The keys of the carers' counts in CullRun.counts, in the order the rows are deleted
# (children before parents).
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

# The register's rule for a carer's record (contacts.personal_data).
CARER_RECORDS = "carer_records"


def cull_personal_records(
    *, municipality: Municipality, now: dt.datetime | None = None, dry_run: bool = False
) -> CullRun:
    """Delete the personal records of the municipality's carers whose last entry is older
    than its retention time, and record what was culled (or, in a dry run, what would be).

    A view of the register's job (anhorigstod.privacy.job) restricted to the carers'
    records. All or nothing: one transaction, so a failure leaves every record as it was.
    Running it again straight after culls nothing (all counts zero).
    """
    return cull_municipality(municipality=municipality, now=now, dry_run=dry_run, rules=[CARER_RECORDS])


def cull_all(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[CullRun]:
    """Run :func:`cull_personal_records` for every municipality.

    One municipality that fails (its transaction rolled back) does not stop the others:
    each has its own legal duty to cull. The failure is raised once all have run.
    """
    return cull_everything(now=now, dry_run=dry_run, rules=[CARER_RECORDS])


def cull_carer_records(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """The register's rule: everything of the carers whose last entry is before ``cutoff``."""
    if municipality is None:
        raise ValueError("The carers' records are culled per municipality")
    counts = dict.fromkeys(COUNT_KEYS, 0)
    # Lock the carers due for culling, so a consultant logging a talk for one of them
    # right now waits for this transaction instead of seeing half of a record vanish.
    due = Carer.objects.filter(unit__municipality=municipality, last_entry_at__lt=cutoff)
    carer_ids = list(due.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    for batch in _batches(carer_ids, BATCH_SIZE):
        for key, number in _cull_batch(batch, dry_run=dry_run).items():
            counts[key] += number
    logger.info(
        "Retention cull for municipality %s (dry run: %s, cutoff %s): %s",
        municipality.kommunkod,
        dry_run,
        cutoff.date().isoformat(),
        ", ".join(f"{key}={number}" for key, number in counts.items()),
    )
    return counts


def cull_talk_drafts(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """The register's rule: talk drafts untouched since ``cutoff`` (platform-wide: a draft
    belongs to a user, not to a unit)."""
    due = TalkDraft.objects.filter(updated_at__lt=cutoff)
    number = due.count()
    if number and not dry_run:
        due.delete()
    return {"talk_drafts": number}


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
