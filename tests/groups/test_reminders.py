"""The reminder the day before (PRODUCT §6): confirmed bookings with an e-mail address on
tomorrow's scheduled sessions get one, once, without a name in the subject."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import pytest

from django.core import mail
from django.db import connection
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.outbox.models import OutboxMessage
from contacts.models import SupportKind
from contacts.policy import DEFAULT_SUPPORT_KINDS
from groups import tasks
from groups.models import Activity, Session
from groups.services.booking import booking_cancel, booking_create, session_cancel
from groups.tasks import reminders_send, send_reminders
from tests.conftest import Org


@dataclass
class Calendar:
    now: dt.datetime
    tomorrow: Session
    later: Session
    cancelled: Session


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _calendar(org: Org, user: User) -> Calendar:
    for code, name, tier, area, for_talks in DEFAULT_SUPPORT_KINDS:
        SupportKind.objects.get_or_create(
            municipality=org.unit_a.municipality,
            code=code,
            defaults={"name": name, "tier": tier, "area": area, "for_talks": for_talks},
        )
    activity = Activity.objects.create(
        unit=org.unit_a,
        title="Att vara anhörig – om demenssjukdomar",
        description="Föreläsning.",
        kind="lecture",
        support_kind=SupportKind.objects.get(municipality=org.unit_a.municipality, code="lecture"),
        purpose="knowledge",
        prevention_level="selective",
        place="Ängsviks bibliotek, hörsalen",
        registration_mode="booking",
        capacity=2,
        created_by=user,
    )
    # Nine in the morning, local time: a run an hour later is still the same day, whenever
    # the suite runs (it failed between 23:00 and midnight when "now" was the clock's).
    today = timezone.localdate()
    now = _at(today, 9)

    def session(day: dt.date, hour: int) -> Session:
        return Session.objects.create(
            activity=activity, starts_at=_at(day, hour), ends_at=_at(day, hour) + dt.timedelta(hours=2)
        )

    return Calendar(
        now=now,
        tomorrow=session(today + dt.timedelta(days=1), 10),
        later=session(today + dt.timedelta(days=2), 10),
        cancelled=session(today + dt.timedelta(days=1), 18),
    )


def _book(session: Session, name: str, email: str = "", **kwargs: Any) -> Any:
    return booking_create(session=session, name=name, email=email, **kwargs)


@pytest.fixture
def calendar(org: Org, consultant_a: User) -> Calendar:
    calendar = _calendar(org, consultant_a)
    # Tomorrow: two seats (one booked by staff by phone, one by e-mail), a waitlist, a
    # cancellation, and a booking never confirmed by its link.
    _book(calendar.tomorrow, "Anna Svensson", "anna@example.se", verified=True)
    _book(calendar.tomorrow, "Per Holm", phone="070-174 06 10", booked_by_staff=consultant_a, verified=True)
    _book(calendar.tomorrow, "Eva Nyberg", "eva@example.se", verified=True)  # waitlisted
    _book(calendar.tomorrow, "Ulla Ek", "ulla@example.se")  # unverified
    cancelled = _book(calendar.later, "Gun Berg", "gun@example.se", verified=True)
    booking_cancel(booking=cancelled)
    _book(calendar.later, "Bo Lind", "bo@example.se", verified=True)
    _book(calendar.cancelled, "Siv Ek", "siv@example.se", verified=True)
    session_cancel(session=calendar.cancelled, reason="Föreläsaren är sjuk.")
    # Eva is promoted when Per cancels: she is confirmed and gets the reminder too.
    per = calendar.tomorrow.bookings.get(person_key="tel:0701740610")
    booking_cancel(booking=per, by_staff=consultant_a)
    mail.outbox.clear()
    return calendar


def test_tomorrows_confirmed_bookings_with_email_get_one_reminder(
    calendar: Calendar, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=calendar.now) == 2

    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.se", "eva@example.se"]
    for message in mail.outbox:
        assert "Anna" not in message.subject and "Eva" not in message.subject
        assert "morgon" in message.subject.lower() or "tomorrow" in message.subject.lower()
        assert "Att vara anhörig – om demenssjukdomar" in message.body
        assert "Ängsviks bibliotek, hörsalen" in message.body
        assert "/boka/avboka/" in message.body
    anna = next(message for message in mail.outbox if message.to == ["anna@example.se"])
    assert "Anna Svensson" in anna.body
    calendar.tomorrow.refresh_from_db()
    assert calendar.tomorrow.reminders_sent_at == calendar.now
    # The day after tomorrow and the cancelled session are not reminded (yet, or ever).
    assert Session.objects.filter(reminders_sent_at__isnull=False).count() == 1


def test_a_second_run_sends_nothing(calendar: Calendar, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=calendar.now) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=calendar.now + dt.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(template="booking_reminder").count() == 2


def test_the_next_day_reminds_the_next_sessions(calendar: Calendar, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=calendar.now)
        # A day later "tomorrow" is the later session: Bo, not Gun who cancelled.
        assert reminders_send(now=calendar.now + dt.timedelta(days=1)) == 1
    assert mail.outbox[-1].to == ["bo@example.se"]


def test_the_beat_task_runs_the_reminders(calendar: Calendar, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 2
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_once(org: Org, consultant_a: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both beats list the session before either has marked it; the row lock makes the
    second wait, and under the lock it finds the session marked and skips it."""
    calendar = _calendar(org, consultant_a)
    for number in range(2):
        _book(calendar.tomorrow, f"Deltagare {number}", f"deltagare{number}@example.se", verified=True)
    mail.outbox.clear()
    queued_before = OutboxMessage.objects.filter(template="booking_reminder").count()

    notify = tasks._notify
    start = threading.Barrier(2)

    def slow_notify(booking: Any, template: str) -> None:
        # Hold the lock long enough for the other beat to reach it.
        threading.Event().wait(0.3)
        notify(booking, template)

    monkeypatch.setattr(tasks, "_notify", slow_notify)
    results: list[int] = []

    def beat() -> None:
        try:
            start.wait()
            results.append(reminders_send(now=calendar.now))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0, 2]
    assert OutboxMessage.objects.filter(template="booking_reminder").count() - queued_before == 2
