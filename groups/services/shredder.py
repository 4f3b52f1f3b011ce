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

It is a rule of the register of personal data (groups.personal_data), run by the one
retention job per municipality; like the carers' gallring (contacts.retention) it can be
dry-run, and running it twice in a row shreds nothing the second time. What a run
shredded is written as counts only. Bookings and applications of the documented tiers
(advice, insats) are kept whole for the municipality's retention time after the session,
then kept as counts the same way (:func:`cull_documented_bookings`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from anhorigstod.accounts.models import Municipality
from anhorigstod.privacy.job import cull_everything
from contacts.models import DocumentationTier
from groups.models import SHREDDED_PREFIX, Application, Booking, PriorityChange, Session
from groups.rollups import person_hash

logger = logging.getLogger(__name__)

SHREDDED_TIERS = (DocumentationTier.INFORMATION, DocumentationTier.OPEN_ACTIVITY)
# The time after a session's end before its bookings are shredded (attendance is marked
# meanwhile) is the register's shredder period: ANHORIGSTOD_SHREDDER_DAYS, one day.
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


# The register's rule (groups.personal_data); its count keys are these, prefixed.
SHREDDER = "booking_shredder"
RULE_PREFIX = "shredded_"


def shred_booking_data(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Remove the personal data of the bookings (and applications) of information and open
    activities that are over; return what was shredded (or, in a dry run, would be).

    A view of the register's job (anhorigstod.privacy.job) restricted to this rule, summed
    over the municipalities.
    """
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for run in cull_everything(now=now, dry_run=dry_run, rules=[SHREDDER]):
        for key in COUNT_KEYS:
            counts[key] += run.counts.get(RULE_PREFIX + key, 0)
    return counts


def shred_municipality(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """The register's rule for one municipality: sessions that ended before ``cutoff``
    (the shredder's days after the end, so staff can still mark attendance)."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    due = Session.objects.filter(
        activity__unit__municipality=municipality,
        shredded_at__isnull=True,
        ends_at__lt=cutoff,
        activity__support_kind__tier__in=SHREDDED_TIERS,
    )
    # Lock the sessions, as every booking change does (groups.services.booking), so a
    # late cancellation or a staff member marking attendance waits instead of interleaving.
    session_ids = list(due.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    for batch in _batches(session_ids, BATCH_SIZE):
        _shred_sessions(batch, now=now, dry_run=dry_run, counts=counts)
    counts["applications"] = _shred_applications(
        Application.objects.filter(
            activity__unit__municipality=municipality, activity__support_kind__tier__in=SHREDDED_TIERS
        ),
        cutoff=cutoff,
        now=now,
        dry_run=dry_run,
    )
    logger.info(
        "Booking data shredder for municipality %s (dry run: %s): %s",
        municipality.kommunkod if municipality else "-",
        dry_run,
        ", ".join(f"{key}={number}" for key, number in counts.items()),
    )
    return {RULE_PREFIX + key: number for key, number in counts.items()}


def cull_documented_bookings(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """The register's rule for bookings of advice and insats activities: kept as counts
    (status, attendance) once the municipality's retention time has passed since the
    session's end; who it was goes."""
    bookings = Booking.objects.filter(
        session__activity__unit__municipality=municipality, session__ends_at__lt=cutoff
    ).exclude(session__activity__support_kind__tier__in=SHREDDED_TIERS)
    due = bookings.exclude(person_key__startswith=SHREDDED_PREFIX)
    booking_ids = list(due.order_by("pk").values_list("pk", flat=True))
    if not dry_run:
        for batch in _batches(booking_ids, BATCH_SIZE):
            _blank_bookings(Booking.objects.filter(pk__in=batch), now)
    return {"documented_bookings": len(booking_ids)}


def cull_documented_applications(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """The register's rule for applications to advice and insats activities: kept as counts
    once the municipality's retention time has passed since the activity's last session
    (or, for an activity that never had one, since the application)."""
    applications = Application.objects.filter(activity__unit__municipality=municipality).exclude(
        activity__support_kind__tier__in=SHREDDED_TIERS
    )
    count = _shred_applications(applications, cutoff=cutoff, now=now, dry_run=dry_run, without_sessions=True)
    return {"documented_applications": count}


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
    bookings.update(**_blank_booking(now))
    Session.objects.filter(pk__in=session_ids).update(shredded_at=now, updated_at=now)


def _blank_booking(now: dt.datetime) -> dict[str, Any]:
    """The update that leaves a booking as a count: status and attendance, not who."""
    return {
        "name": "",
        "email": "",
        "phone": "",
        "user": None,
        "carer": None,
        "person_key": Concat(Value(SHREDDED_PREFIX), Cast("pk", output_field=CharField())),
        "updated_at": now,
    }


def _blank_bookings(bookings: QuerySet[Booking], now: dt.datetime) -> None:
    """Leave documented bookings (talk groups among them) as counts: status and attendance,
    not who. The person key becomes the keyed hash the follow-up counts a talk group's
    distinct people by (groups.rollups.person_hash), so a past period's number of people
    stays what it was; the hash alone names no one."""
    keys = list(bookings.values_list("pk", "person_key"))
    bookings.update(name="", email="", phone="", user=None, carer=None, updated_at=now)
    Booking.objects.bulk_update(
        [Booking(pk=pk, person_key=SHREDDED_PREFIX + person_hash(key)) for pk, key in keys],
        ["person_key"],
        batch_size=BATCH_SIZE,
    )


def _shred_applications(
    applications: QuerySet[Application],
    *,
    cutoff: dt.datetime,
    now: dt.datetime,
    dry_run: bool,
    without_sessions: bool = False,
) -> int:
    """Applications among ``applications`` whose activity's last session ended before
    ``cutoff``; ``without_sessions``: also those of an activity without sessions that
    were made before ``cutoff``. The reasons given for their priority changes may name
    the person, so they go too."""
    last_end = Q(last_end__lt=cutoff)
    if without_sessions:
        last_end |= Q(last_end__isnull=True, created_at__lt=cutoff)
    due = (
        applications.exclude(person_key__startswith=SHREDDED_PREFIX)
        .annotate(last_end=Max("activity__sessions__ends_at"))
        .filter(last_end)
    )
    application_ids = list(due.values_list("pk", flat=True))
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
        PriorityChange.objects.filter(application_id__in=batch).exclude(reason="").update(reason="")
    return len(application_ids)
