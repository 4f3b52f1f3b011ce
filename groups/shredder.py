"""The data shredder: booking data of information and open activities is deleted after
the activity, keeping the counts (PRODUCT §6; tiers in PRODUCT §2).

For an activity whose kind of support is of tier ``information`` or ``open_activity``
the municipality records that it took place and how many came, never who. Once a session
has ended (plus a day's grace, so staff can still mark attendance the morning after) its
bookings lose everything that points at a person: name, e-mail, phone, account and
carer record, and the person key (the lower-cased e-mail or phone digits) becomes a
placeholder. The rows themselves stay with their status and attendance, so confirmed,
waitlisted, attended and no-show numbers can still be counted; ``Session.shredded_at``
marks the session done.

Applications to such an activity are shredded the same way once its last session is.

The tier is the kind's tier now: a kind moved to a documented tier stops being shredded
from that day. The outbox is left alone: a sent message keeps no address or context,
and one still waiting is sent (or dropped by the drain) on its own.

Like the retention cull (contacts.retention) it can be dry-run, and running it twice in a
row shreds nothing the second time. What a run shredded is logged as counts only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence

from django.db import transaction
from django.db.models import CharField, Count, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from contacts.models import DocumentationTier
from groups.models import Application, Booking, Session

logger = logging.getLogger(__name__)

SHREDDED_TIERS = (DocumentationTier.INFORMATION, DocumentationTier.OPEN_ACTIVITY)
# Time after a session's end before its bookings are shredded (attendance is marked meanwhile).
GRACE = dt.timedelta(days=1)
# The person key of a shredded row: unique per row, so the "one active booking per person
# and session" constraint keeps holding, and it says nothing about who it was.
SHREDDED_PREFIX = "shredded:"
COUNT_KEYS = (
    "sessions",
    "bookings",
    "confirmed",
    "attended",
    "no_shows",
    "waitlisted",
    "unverified",
    "cancelled",
    "applications",
)
# Sessions handled per round of queries: keeps IN (...) lists well under SQLite's limit.
BATCH_SIZE = 500


def shred_booking_data(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Remove the personal data of the bookings (and applications) of information and open
    activities that are over; return what was shredded (or, in a dry run, would be)."""
    now = now or timezone.now()
    cutoff = now - GRACE
    counts = dict.fromkeys(COUNT_KEYS, 0)
    with transaction.atomic():
        due = Session.objects.filter(
            shredded_at__isnull=True, ends_at__lt=cutoff, activity__support_kind__tier__in=SHREDDED_TIERS
        )
        # Lock the sessions, as every booking change does (groups.booking), so a late
        # cancellation or a staff member marking attendance waits instead of interleaving.
        session_ids = list(due.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
        for batch in _batches(session_ids, BATCH_SIZE):
            _shred_sessions(batch, now=now, dry_run=dry_run, counts=counts)
        counts["applications"] = _shred_applications(cutoff=cutoff, now=now, dry_run=dry_run)
    logger.info(
        "Booking data shredder (dry run: %s): %s",
        dry_run,
        ", ".join(f"{key}={number}" for key, number in counts.items()),
    )
    return counts


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _shred_sessions(session_ids: Sequence[int], *, now: dt.datetime, dry_run: bool, counts: dict[str, int]) -> None:
    bookings = Booking.objects.filter(session_id__in=session_ids)
    # Prefixed names: an aggregate may not share its name with a field (``attended``).
    numbers = bookings.aggregate(
        n_bookings=Count("pk"),
        n_confirmed=Count("pk", filter=Q(status=Booking.Status.CONFIRMED)),
        n_attended=Count("pk", filter=Q(attended=True)),
        n_no_shows=Count("pk", filter=Q(attended=False)),
        n_waitlisted=Count("pk", filter=Q(status=Booking.Status.WAITLISTED)),
        n_unverified=Count("pk", filter=Q(status=Booking.Status.UNVERIFIED)),
        n_cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
    )
    counts["sessions"] += len(session_ids)
    for key, number in numbers.items():
        counts[key.removeprefix("n_")] += number or 0
    if dry_run:
        return
    bookings.update(
        name="",
        email="",
        phone="",
        user=None,
        carer=None,
        person_key=Concat(Value(SHREDDED_PREFIX), Cast("pk", output_field=CharField())),
        updated_at=now,
    )
    Session.objects.filter(pk__in=session_ids).update(shredded_at=now, updated_at=now)


def _shred_applications(*, cutoff: dt.datetime, now: dt.datetime, dry_run: bool) -> int:
    """Applications to information and open activities whose last session is over."""
    applications = (
        Application.objects.filter(activity__support_kind__tier__in=SHREDDED_TIERS)
        .exclude(person_key__startswith=SHREDDED_PREFIX)
        .annotate(last_end=Max("activity__sessions__ends_at"))
        .filter(last_end__lt=cutoff)
    )
    application_ids = list(applications.values_list("pk", flat=True))
    if dry_run or not application_ids:
        return len(application_ids)
    for batch in _batches(application_ids, BATCH_SIZE):
        Application.objects.filter(pk__in=batch).update(
            name="",
            email="",
            phone="",
            carer=None,
            message="",
            person_key=Concat(Value(f"{SHREDDED_PREFIX}application:"), Cast("pk", output_field=CharField())),
            updated_at=now,
        )
    return len(application_ids)
