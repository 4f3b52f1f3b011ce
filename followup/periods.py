"""The periods the follow-up can be asked for: one rule for the dashboard, its exports
and the reports (issue 22: a period to the year 9999 broke the page, one from the year 1
kept a worker busy for minutes)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = dt.date(1900, 1, 1)


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """Refuse a date outside 1900 to the end of next year, or a period longer than
    ``ANHORIGSTOD_FOLLOWUP_MAX_YEARS``, with a message in the user's language."""
    latest = dt.date(timezone.localdate().year + 1, 12, 31)
    errors = []
    for value in (start, end):
        if value is not None and not EARLIEST <= value <= latest:
            errors.append(
                ValidationError(
                    _("Choose dates from %(earliest)s to %(latest)s."),
                    code="date_out_of_range",
                    params={"earliest": EARLIEST.isoformat(), "latest": latest.isoformat()},
                )
            )
            break
    years = settings.ANHORIGSTOD_FOLLOWUP_MAX_YEARS
    if not errors and start is not None and end is not None:
        first, last = min(start, end), max(start, end)
        if (last - first).days > years * 366:
            errors.append(
                ValidationError(
                    _("A period can be at most %(years)s years long."), code="period_too_long", params={"years": years}
                )
            )
    if errors:
        raise ValidationError(errors)
