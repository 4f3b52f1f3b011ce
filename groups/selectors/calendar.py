"""The public calendar's reads (PRODUCT §6): a page of upcoming sessions, their seats left,
and the choices of its filters, each a fixed number of queries whatever the number of
sessions.

A page reads its 30 sessions in start order through ``groups_session_calendar_idx``,
counts the rest only up to a bound (anhorigstod.lib.pagination), and counts the
confirmed bookings of those 30 sessions alone; before, every upcoming session's bookings
were grouped and counted to show one page (70 ms of SQL at 10,000 upcoming sessions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, QuerySet

from anhorigstod.accounts.models import Unit
from anhorigstod.lib.dates import local_range
from anhorigstod.lib.pagination import BoundedPaginator
from groups.models import Activity, Booking, RegistrationMode, Session

PAGE_SIZE = 30
# "More than 990 upcoming sessions" past this many: a bound that is a whole number of pages.
COUNT_BOUND = 33 * PAGE_SIZE
# How far ahead the calendar looks from its first day, unless a "To" date says otherwise.
HORIZON = dt.timedelta(days=365)


def calendar_horizon(*, now: dt.datetime, date_from: dt.date | None, date_to: dt.date | None) -> dt.datetime | None:
    """Where the calendar stops: a year from its first day, or None when a "To" date
    bounds it instead (the filter itself applies that date)."""
    if date_to is not None:
        return None
    first = max(now, local_range(date_from, date_from)[0]) if date_from is not None else now
    return first + HORIZON


def upcoming_sessions(*, now: dt.datetime, until: dt.datetime | None = None) -> QuerySet[Session]:
    """Scheduled sessions of published activities that start after ``now`` (and before
    ``until``), in the calendar's order, with what a row shows."""
    sessions = Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now, activity__published=True)
    if until is not None:
        sessions = sessions.filter(starts_at__lt=until)
    return sessions.select_related("activity__unit__municipality").order_by("starts_at", "pk")


@dataclass(frozen=True)
class CalendarPage:
    page: Page[Session]
    # When the first of all the listed sessions starts: the page is out of date from then.
    first_start: dt.datetime | None


def calendar_page(sessions: QuerySet[Session], *, number: object) -> CalendarPage:
    """One page of ``sessions`` (from :func:`upcoming_sessions`, filtered), each row with
    its ``confirmed_count`` for the seats left. Three or four queries, whatever the number
    of sessions: the bounded count, the page, the page's confirmed bookings and, past the
    first page, the first start."""
    page = BoundedPaginator(sessions, PAGE_SIZE, bound=COUNT_BOUND).get_page(number)
    rows = list(page.object_list)
    page.object_list = rows
    counted = [row.pk for row in rows if row.activity.registration_mode == RegistrationMode.BOOKING]
    taken: dict[int, int] = {}
    if counted:
        taken = dict(
            Booking.objects.filter(session_id__in=counted, status=Booking.Status.CONFIRMED)
            .order_by()
            .values_list("session_id")
            .annotate(n=Count("pk"))
            .values_list("session_id", "n")
        )
    for row in rows:
        row.confirmed_count = taken.get(row.pk, 0)
    if not rows:
        first_start = None
    elif page.number == 1:
        first_start = rows[0].starts_at
    else:
        first_start = sessions.values_list("starts_at", flat=True).first()
    return CalendarPage(page=page, first_start=first_start)


@dataclass(frozen=True)
class FilterChoices:
    """The choices of the calendar's language and unit filters: only what it can show."""

    languages: list[tuple[str, str]]
    units: list[tuple[str, str]]


def calendar_filter_choices() -> FilterChoices:
    """Languages and units that have published activities. Two queries."""
    published = Activity.objects.filter(published=True)
    languages = published.order_by("language").values_list("language", flat=True).distinct()
    units = (
        Unit.objects.filter(Exists(published.filter(unit=OuterRef("pk"))))
        .order_by("municipality__name", "name")
        .values_list("code", "name", "municipality__name")
    )
    return FilterChoices(
        languages=[(language, language.capitalize()) for language in languages],
        # Units of different municipalities may share a name ("Anhörigstöd"), so say whose.
        units=[(code, f"{name} ({municipality})") for code, name, municipality in units],
    )
