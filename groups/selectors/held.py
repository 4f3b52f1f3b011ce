"""What the follow-up needs from the groups app, per Socialstyrelsen's areas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from anhorigstod.lib.dates import local_range
from groups.models import Activity, Booking, Session

# A session is held unless it was cancelled: the one rule, for the raw rows and the rollups.
HELD_STATUS = Session.Status.SCHEDULED


def held_sessions(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[Session]:
    """The sessions the follow-up counts as held in [start, end] (local dates): scheduled,
    not cancelled, of the units' activities. The one definition for every figure."""
    begins, ends = local_range(start, end)
    return Session.objects.filter(
        activity__unit_id__in=list(unit_ids),
        starts_at__gte=begins,
        starts_at__lt=ends,
        status=HELD_STATUS,
    )


def session_counts_by_area(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[str, dict[str, Any]]:
    """Held sessions in [start, end] per follow-up area: sessions, participants, no-shows, respite.

    Participants are the head count of a drop-in session, else its bookings marked as
    attended. Group talk sessions count under stödsamtal because their kind of support
    does (support_group → support_talks). One query, whatever the number of sessions.
    """
    held = held_sessions(unit_ids=unit_ids, start=start, end=end)
    # Two queries: sums over sessions must not be multiplied by a join with the bookings.
    per_session = held.values("activity__support_kind__area").annotate(
        held_sessions=Count("id"), head_counts=Sum("head_count"), respite_total=Sum("respite_arranged")
    )
    per_booking = {
        row["session__activity__support_kind__area"]: row
        for row in Booking.objects.filter(session__in=held)
        .values("session__activity__support_kind__area")
        .annotate(
            n_attended=Count("id", filter=Q(attended=True)),
            n_no_shows=Count("id", filter=Q(attended=False, status=Booking.Status.CONFIRMED)),
            n_respite=Count("id", filter=Q(needs_respite=True) & ~Q(status=Booking.Status.CANCELLED)),
        )
    }
    result: dict[str, dict[str, Any]] = {}
    for row in per_session:
        area = row["activity__support_kind__area"]
        bookings: dict[str, Any] = dict(per_booking.get(area) or {})
        result[area] = {
            "sessions": row["held_sessions"],
            "participants": (row["head_counts"] or 0) + bookings.get("n_attended", 0),
            "no_shows": bookings.get("n_no_shows", 0),
            "respite_requested": bookings.get("n_respite", 0),
            "respite_arranged": row["respite_total"] or 0,
        }
    return result


def co_organised_activities(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The units' activities held with co-organisers in [start, end]: title, the
    co-organisers (partner organisations) and the sessions held. Two queries."""
    held = held_sessions(unit_ids=unit_ids, start=start, end=end).filter(activity__co_organisers__isnull=False)
    counts = dict(held.values_list("activity_id").annotate(n=Count("id", distinct=True)).order_by())
    activities = Activity.objects.filter(pk__in=counts).prefetch_related("co_organisers").order_by("title", "pk")
    return [
        {
            "title": activity.title,
            "co_organisers": sorted(partner.name for partner in activity.co_organisers.all()),
            "sessions": counts[activity.pk],
        }
        for activity in activities
    ]
