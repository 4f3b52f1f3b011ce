"""The public calendar at scale (issue 17): a bounded read whose query count does not grow
with the sessions. Pages are read in English, as in test_public_pages.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.models import Activity, Session
from groups.selectors.calendar import COUNT_BOUND
from groups.services.booking import booking_create
from tests.groups.test_public_pages import other_activity


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def calendar(client: Client, query: str = "") -> str:
    response = client.get("/kalender/" + query)
    assert response.status_code == 200
    return response.content.decode()


def badges(content: str) -> list[str]:
    """The availability labels of the listed sessions, in order."""
    return re.findall(r'<span class="badge badge--\w+">([^<]*)</span>', content)


def main(content: str) -> str:
    """The page below the header (the header holds the visitor's CSRF token)."""
    return content[content.index("<main") : content.index("</main>")]


def queries_of(client: Client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as captured:
        calendar(client, query)
    return len(captured)


# --------------------------------------------------------------------------
# A bounded read
# --------------------------------------------------------------------------


def test_query_count_is_the_same_for_5_and_50_sessions(
    client: Client, activity_booking: Activity, activity_drop_in: Activity, make_session: Callable[..., Session]
) -> None:
    added = 0

    def add_sessions(count: int) -> None:
        nonlocal added
        for n in range(added, added + count):
            activity = other_activity(activity_booking if n % 2 else activity_drop_in, title=f"Aktivitet {n}")
            session = make_session(activity, starts_in=dt.timedelta(days=1, hours=n))
            if n % 2:
                booking_create(session=session, name="Anna", email=f"anna{n}@example.se", verified=True)
        added += count

    def fresh_queries(query: str = "") -> int:
        cache.clear()  # the page rendered afresh, not served from the cache
        return queries_of(client, query)

    add_sessions(5)
    with_five = fresh_queries()
    add_sessions(30)
    with_35, with_35_page_2 = fresh_queries(), fresh_queries("?sida=2")
    add_sessions(15)
    with_fifty, with_fifty_page_2 = fresh_queries(), fresh_queries("?sida=2")

    assert with_fifty == with_35 == with_five
    # Past the first page, one more: when the first of all the sessions starts.
    assert with_fifty_page_2 == with_35_page_2 == with_five + 1
    cache.clear()
    content = calendar(client)
    assert "50 upcoming sessions" in content
    assert len(badges(content)) == 30
    # Each bookable session's own booking is counted, none of another's.
    assert set(badges(content)) == {"4 places left", "Drop-in, no registration"}


def test_the_count_stops_at_its_bound(
    client: Client, activity_booking: Activity, make_session: Callable[..., Session]
) -> None:
    first = make_session(activity_booking, starts_in=dt.timedelta(days=1))
    Session.objects.bulk_create(
        Session(
            activity=activity_booking,
            starts_at=first.starts_at + dt.timedelta(minutes=n),
            ends_at=first.ends_at + dt.timedelta(minutes=n),
        )
        for n in range(1, COUNT_BOUND + 1)
    )

    content = calendar(client)

    assert f"More than {COUNT_BOUND} upcoming sessions" in content
    assert "Page 1 of more than 33" in content


def test_the_calendar_looks_a_year_ahead_unless_a_to_date_says_further(
    client: Client, activity_booking: Activity, session_soon: Session, make_session: Callable[..., Session]
) -> None:
    far = make_session(activity_booking, starts_in=dt.timedelta(days=400))
    far_day = timezone.localtime(far.starts_at).date()

    content = calendar(client)
    assert "1 upcoming session" in content
    assert "The calendar shows the coming year." in content

    content = calendar(client, f"?date_to={far_day.isoformat()}")
    assert "2 upcoming sessions" in content
    assert "The calendar shows the coming year." not in content

    # From a later first day, the year is counted from that day.
    assert "1 upcoming session" in calendar(client, f"?date_from={far_day.isoformat()}")


@pytest.mark.parametrize("query", ["?date_from=0001-01-01", "?date_to=9999-12-31", "?date_from=9999-12-31"])
def test_days_at_the_ends_of_the_calendar_are_refused_not_an_error(
    client: Client, session_soon: Session, query: str
) -> None:
    content = calendar(client, query)

    assert 'class="error"' in content
    assert "Föreläsning om demens" in content, "the invalid day is left out"
