"""Dates as the municipality counts them: a period of local calendar days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] as local dates, as a half-open range of aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )
