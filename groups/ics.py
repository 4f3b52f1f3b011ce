"""Calendar files: one session (e-mail attachment) or a unit's feed (public iCal URL)."""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event

from django.conf import settings
from django.urls import reverse

from groups.models import Session


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Anhörigstöd//anhorigstod//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: Session, *, with_link: bool = True) -> Event:
    activity = session.activity
    event = Event()
    # Stable per session, so calendar apps update the event instead of adding another.
    event.add("uid", f"{session.code}@anhorigstod")
    event.add("summary", activity.title)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", session.updated_at)
    # A meeting link is for the people booked; the public feed shows it only for drop-in.
    link = activity.digital_link if with_link else ""
    event.add("location", session.place or activity.place or link)
    event.add("description", activity.description)
    event.add("url", settings.SITE_URL + reverse("groups:public_activity_detail", kwargs={"code": activity.code}))
    event.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
    return event


def session_ics(session: Session) -> str:
    calendar = _calendar(session.activity.title)
    calendar.add_component(_event(session))
    return calendar.to_ical().decode()


def unit_feed_ics(*, name: str, sessions: Iterable[Session]) -> bytes:
    calendar = _calendar(name)
    for session in sessions:
        calendar.add_component(_event(session, with_link=session.activity.registration_mode == "drop_in"))
    return calendar.to_ical()
