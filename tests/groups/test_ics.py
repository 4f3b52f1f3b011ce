"""Calendar files (PRODUCT §6): the .ics attached to a confirmation and a unit's iCal
feed, read back with icalendar as a calendar app would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from icalendar import Calendar

from django.utils import timezone

from groups.ics import session_ics, unit_feed_ics
from groups.models import Activity, Session
from groups.services.booking import session_cancel


def events(ics: str | bytes) -> list:
    return Calendar.from_ical(ics).walk("VEVENT")


def test_a_session_becomes_one_event_at_the_right_instant(session_soon: Session) -> None:
    (event,) = events(session_ics(session_soon))

    assert str(event["summary"]) == "Föreläsning om demens"
    assert str(event["location"]) == "Träffpunkten, Storgatan 1"
    assert str(event["status"]) == "CONFIRMED"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    # Timezone-aware (not floating local time), and the same instants as the session.
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start == session_soon.starts_at
    assert end == session_soon.starts_at + dt.timedelta(hours=2)
    assert end == session_soon.ends_at


def test_a_session_at_a_known_swedish_time(activity_booking: Activity) -> None:
    """18:00 in Stockholm on a winter day is 17:00 UTC, in summer 16:00 UTC."""
    stockholm = timezone.get_default_timezone()
    winter = Session.objects.create(
        activity=activity_booking,
        starts_at=dt.datetime(2030, 1, 15, 18, 0, tzinfo=stockholm),
        ends_at=dt.datetime(2030, 1, 15, 20, 0, tzinfo=stockholm),
    )
    summer = Session.objects.create(
        activity=activity_booking,
        starts_at=dt.datetime(2030, 7, 15, 18, 0, tzinfo=stockholm),
        ends_at=dt.datetime(2030, 7, 15, 20, 0, tzinfo=stockholm),
    )

    (winter_event,) = events(session_ics(winter))
    (summer_event,) = events(session_ics(summer))

    assert winter_event.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2030, 1, 15, 17, 0, tzinfo=dt.UTC)
    assert summer_event.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2030, 7, 15, 16, 0, tzinfo=dt.UTC)
    assert summer_event.decoded("dtend").astimezone(dt.UTC) == dt.datetime(2030, 7, 15, 18, 0, tzinfo=dt.UTC)


def test_the_uid_is_stable_per_session(session_soon: Session, make_session: Callable[..., Session]) -> None:
    (first,) = events(session_ics(session_soon))
    session_soon.place = "Biblioteket, sal 2"
    session_soon.starts_at += dt.timedelta(hours=1)
    session_soon.ends_at += dt.timedelta(hours=1)
    session_soon.save()
    (moved,) = events(session_ics(Session.objects.get(pk=session_soon.pk)))
    (other,) = events(session_ics(make_session(session_soon.activity, starts_in=dt.timedelta(days=10))))

    # A calendar app updates the event it has instead of adding a second one ...
    assert str(moved["uid"]) == str(first["uid"]) == f"{session_soon.code}@anhorigstod"
    assert str(moved["location"]) == "Biblioteket, sal 2"
    assert moved.decoded("dtstart") == first.decoded("dtstart") + dt.timedelta(hours=1)
    # ... and another session is another event.
    assert str(other["uid"]) != str(first["uid"])


def test_a_cancelled_session_is_a_cancelled_event(session_soon: Session) -> None:
    (before,) = events(session_ics(session_soon))

    session_cancel(session=session_soon, reason="Föreläsaren är sjuk")

    (after,) = events(session_ics(Session.objects.get(pk=session_soon.pk)))
    assert str(after["status"]) == "CANCELLED"
    assert str(after["uid"]) == str(before["uid"])


def test_a_unit_feed_holds_one_event_per_session(
    session_soon: Session, activity_drop_in: Activity, make_session: Callable[..., Session]
) -> None:
    cafe = make_session(activity_drop_in, starts_in=dt.timedelta(days=7))
    later = make_session(session_soon.activity, starts_in=dt.timedelta(days=14))
    session_cancel(session=later, reason="Lokalen är inte tillgänglig")
    later.refresh_from_db()

    feed = unit_feed_ics(name="Anhörigstöd Norra", sessions=[session_soon, cafe, later])

    calendar = Calendar.from_ical(feed)
    assert str(calendar["x-wr-calname"]) == "Anhörigstöd Norra"
    by_uid = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert set(by_uid) == {f"{s.code}@anhorigstod" for s in (session_soon, cafe, later)}
    assert str(by_uid[f"{cafe.code}@anhorigstod"]["summary"]) == "Anhörigcafé"
    assert by_uid[f"{cafe.code}@anhorigstod"].decoded("dtstart") == cafe.starts_at
    assert [str(by_uid[f"{s.code}@anhorigstod"]["status"]) for s in (session_soon, cafe, later)] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]


def test_an_empty_feed_is_still_a_calendar() -> None:
    calendar = Calendar.from_ical(unit_feed_ics(name="Anhörigstöd Norra", sessions=[]))

    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"
