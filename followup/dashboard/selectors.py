"""Reads of the dashboard pages besides the declared figures: a consultant's own work per week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractIsoYear, ExtractWeek

from anhorigstod.accounts.models import User
from anhorigstod.lib.dates import local_range
from contacts.models import Talk
from followup.figures import iso_weeks
from groups.models import Session


def own_work_per_week(*, user: User, start: dt.date, end: dt.date) -> list[dict[str, int]]:
    """The consultant's own talks and the sessions of the activities they run, per ISO
    week of [start, end], the latest week first (two queries)."""
    begins, ends = local_range(start, end)
    weeks = iso_weeks(start, end)

    def per_week(queryset: Any, field: str) -> dict[tuple[int, int], int]:
        rows = (
            queryset.annotate(iso_year=ExtractIsoYear(field), iso_week=ExtractWeek(field))
            .values_list("iso_year", "iso_week")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(year, week): n for year, week, n in rows}

    talks = per_week(Talk.objects.filter(consultant=user, started_at__gte=begins, started_at__lt=ends), "started_at")
    sessions = per_week(
        # The sessions of the activities the consultant runs (co-organisers are partners).
        Session.objects.filter(
            activity__created_by=user,
            starts_at__gte=begins,
            starts_at__lt=ends,
            status=Session.Status.SCHEDULED,
        ),
        "starts_at",
    )
    return [
        {"year": year, "week": week, "talks": talks.get((year, week), 0), "sessions": sessions.get((year, week), 0)}
        for year, week in reversed(weeks)
    ]
