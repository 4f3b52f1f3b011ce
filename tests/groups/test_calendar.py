"""The public calendar at scale (issue 17): a bounded read whose query count does not grow
with the sessions, and a cached page that every change it shows drops at once.

The writes run inside ``django_capture_on_commit_callbacks(execute=True)``: the cache
is dropped when a write commits (groups.services.calendar), and a test's transaction
never commits on its own. Pages are read in English, as in test_public_pages.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anhorigstod.accounts.models import User
from groups.models import Activity, Booking, Session
from groups.selectors.calendar import COUNT_BOUND
from groups.services.activities import activity_update, session_series_create
from groups.services.booking import booking_cancel, booking_create, session_cancel
from tests.conftest import Org
from tests.groups.test_public_pages import VISITOR, other_activity


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


# --------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------


def test_a_second_anonymous_get_is_served_from_the_cache(
    client: Client, activity_booking: Activity, session_soon: Session
) -> None:
    first = calendar(client)

    with CaptureQueriesContext(connection) as captured:
        second = calendar(client)

    assert len(captured) <= 1, [query["sql"] for query in captured]
    assert main(second) == main(first)
    assert "5 places left" in second


def test_the_cache_is_kept_per_language_and_filter(
    client: Client, activity_booking: Activity, activity_drop_in: Activity, make_session: Callable[..., Session]
) -> None:
    make_session(activity_booking)
    make_session(activity_drop_in, starts_in=dt.timedelta(days=4))

    assert badges(calendar(client)) == ["5 places left", "Drop-in, no registration"]
    assert badges(calendar(client, "?kind=cafe")) == ["Drop-in, no registration"]
    assert "Föreläsning om demens" not in calendar(client, "?kind=cafe")

    swedish = Client()
    swedish.cookies["django_language"] = "sv"
    content = calendar(swedish)
    assert "5 places left" not in content
    assert badges(content) == ["5 platser kvar", "Drop-in, ingen anmälan"]


def test_other_parameters_share_the_page_and_invalid_filters_are_not_stored(
    client: Client, activity_booking: Activity, session_soon: Session
) -> None:
    calendar(client)

    # A parameter the calendar does not know neither filters nor makes another page.
    assert queries_of(client, "?utm_source=nyhetsbrev") == 0

    # An invalid filter or page is answered, and rendered afresh every time.
    for query in ("?date_from=igår", "?kind=nothing", "?sida=7", "?sida=x"):
        content = calendar(client, query)
        assert "Föreläsning om demens" in content, query
        assert queries_of(client, query) > 0, query


def test_a_signed_in_visitor_shares_the_list_but_not_the_header(
    client: Client, carer: User, activity_booking: Activity, session_soon: Session
) -> None:
    signed_in = Client()
    signed_in.cookies["django_language"] = "en"
    signed_in.force_login(carer)
    theirs = calendar(signed_in)
    assert "Sign out" in theirs
    assert "5 places left" in theirs

    with CaptureQueriesContext(connection) as captured:
        anonymous = calendar(client)

    assert len(captured) <= 1, "served from the list the signed-in visit cached"
    assert "Sign out" not in anonymous
    assert "Sign in" in anonymous
    assert carer.email not in anonymous
    # Each visitor's own CSRF token in the language switch, none from the cache.
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', anonymous)
    assert tokens
    assert not set(tokens) & set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', theirs))


# --------------------------------------------------------------------------
# Every change it shows drops it
# --------------------------------------------------------------------------


def test_a_booking_and_its_confirmation_show_on_the_next_get(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    assert badges(calendar(client)) == ["5 places left"]

    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(f"/kalender/tillfalle/{session_soon.code}/boka/", VISITOR)
    booking = Booking.objects.get(session=session_soon)
    assert badges(calendar(client)) == ["5 places left"], "waiting for the e-mailed link holds no seat"

    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(f"/boka/bekrafta/{booking.token}/")

    assert badges(calendar(client)) == ["4 places left"]


def test_a_cancellation_shows_on_the_next_get(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(session=session_soon, name="Anna", email="anna@example.se", verified=True)
    assert badges(calendar(client)) == ["4 places left"]

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/boka/avboka/{booking.token}/")

    assert badges(calendar(client)) == ["5 places left"]


def test_full_shows_at_once_and_a_cancellation_that_promotes_keeps_it_full(
    client: Client, activity_booking: Activity, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seated = [
            booking_create(session=session_soon, name=f"Person {n}", email=f"p{n}@example.se", verified=True)
            for n in range(4)
        ]
    assert badges(calendar(client)) == ["1 place left"]

    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session=session_soon, name="Person 4", email="p4@example.se", verified=True)
    assert badges(calendar(client)) == ["Full – waitlist"]

    with django_capture_on_commit_callbacks(execute=True):
        waiting = booking_create(session=session_soon, name="Person 5", email="p5@example.se", verified=True)
        booking_cancel(booking=seated[0])
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    assert badges(calendar(client)) == ["Full – waitlist"]

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=seated[1])
    assert badges(calendar(client)) == ["1 place left"]


def test_a_new_and_a_cancelled_session_show_on_the_next_get(
    client: Client,
    consultant_a: User,
    activity_booking: Activity,
    session_soon: Session,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert "1 upcoming session" in calendar(client)

    day = timezone.localdate() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        session_series_create(
            activity=activity_booking, created_by=consultant_a, date=day, starts=dt.time(18), ends=dt.time(20), weeks=2
        )
    assert "3 upcoming sessions" in calendar(client)

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session_soon, reason="Föreläsaren är sjuk")
    content = calendar(client)
    assert "2 upcoming sessions" in content
    assert timezone.localtime(session_soon.starts_at).strftime("%-d %B") not in content


def test_a_changed_activity_shows_on_the_next_get(
    client: Client,
    consultant_a: User,
    activity_booking: Activity,
    session_soon: Session,
    django_capture_on_commit_callbacks: Any,
) -> None:
    content = calendar(client)
    assert "Föreläsning om demens" in content
    assert "5 places left" in content

    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            updated_by=consultant_a,
            activity=activity_booking,
            data={"title": "Föreläsning om demens och minne", "capacity": 8, "language": "arabiska"},
        )
    content = calendar(client)
    assert "Föreläsning om demens och minne" in content
    assert "8 places left" in content
    assert '<option value="arabiska">Arabiska</option>' in content, "the language filter offers it"

    with django_capture_on_commit_callbacks(execute=True):
        activity_update(updated_by=consultant_a, activity=activity_booking, data={"published": False})
    content = calendar(client)
    assert "Föreläsning om demens" not in content
    assert "There are no upcoming sessions right now." in content


def test_a_renamed_unit_shows_on_the_next_get(
    client: Client, org: Org, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    assert "Anhörigstöd Norra, Ängsviks kommun" in calendar(client)

    with django_capture_on_commit_callbacks(execute=True):
        org.unit_a.name = "Anhörigcentrum Norra"
        org.unit_a.save()
        municipality = org.unit_a.municipality
        municipality.name = "Ängsviks stad"
        municipality.save()

    content = calendar(client)
    assert "Anhörigcentrum Norra, Ängsviks stad" in content
    assert '<option value="norra">Anhörigcentrum Norra (Ängsviks stad)</option>' in content


def test_a_cached_page_expires_when_its_first_session_starts(
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    activity_booking: Activity,
    make_session: Callable[..., Session],
) -> None:
    # The local-memory cache, whose clock the test moves (CI's is Redis, whose is not).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    make_session(activity_booking, starts_in=dt.timedelta(minutes=2))
    make_session(activity_booking, starts_in=dt.timedelta(days=2))
    assert "2 upcoming sessions" in calendar(client)

    # Three minutes later, for the cache's clock and the calendar's.
    import django.core.cache.backends.locmem as locmem

    class Later:
        @staticmethod
        def time() -> float:
            return real_time() + 180

    real_time, real_now = locmem.time.time, timezone.now
    monkeypatch.setattr(locmem, "time", Later)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(minutes=3))

    assert "1 upcoming session" in calendar(client)


@pytest.mark.parametrize("query", ["?date_from=0001-01-01", "?date_to=9999-12-31", "?date_from=9999-12-31"])
def test_days_at_the_ends_of_the_calendar_are_refused_not_an_error(
    client: Client, session_soon: Session, query: str
) -> None:
    content = calendar(client, query)

    assert 'class="error"' in content
    assert "Föreläsning om demens" in content, "the invalid day is left out"
