"""Group participation on a carer's timeline (contacts.selectors.carer_timeline).

Only insats-tier groups, and only where the documentation policy allowed identity on
the session's date: participation in an anonymous or open activity is never tied to
a carer's record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from contacts.policy import Requirement, documentation_rule
from contacts.selectors import TimelineEntry
from groups.models import Booking


def carer_group_entries(*, carer: Any) -> list[TimelineEntry]:
    bookings = (
        Booking.objects.filter(carer=carer, session__activity__support_kind__tier="insats")
        .exclude(status=Booking.Status.UNVERIFIED)
        .select_related("session__activity__support_kind")
        .order_by("-session__starts_at")
    )
    allowed: dict[tuple[int, dt.date], bool] = {}
    entries = []
    for booking in bookings:
        kind = booking.session.activity.support_kind
        day = timezone.localdate(booking.session.starts_at)
        if (kind.pk, day) not in allowed:
            allowed[(kind.pk, day)] = documentation_rule(kind=kind, on=day).identity is not Requirement.FORBIDDEN
        if allowed[(kind.pk, day)]:
            entries.append(TimelineEntry(booking.session.starts_at, "group", booking))
    return entries
