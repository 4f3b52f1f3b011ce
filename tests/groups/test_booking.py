"""The booking rules of PRODUCT §6, through the services in groups/services/booking.py:
first come, first served up to the capacity, then a waitlist in arrival order that
promotes one person per freed seat; an e-mailed link before an unverified booking takes
a place; no duplicate booking per person; and the e-mail each event sends.

Runs on SQLite by default and on PostgreSQL with ``DATABASE_URL`` set: run it both
ways. The real-thread races are in test_concurrency.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from icalendar import Calendar

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from anhorigstod.accounts.models import User
from anhorigstod.lib.email import render_email
from anhorigstod.outbox.models import OutboxMessage
from groups.models import Activity, Booking, Session
from groups.services.booking import (
    AlreadyBooked,
    booking_cancel,
    booking_create,
    booking_verify,
    session_cancel,
    waitlist,
)

CONFIRMED, WAITLISTED = Booking.Status.CONFIRMED, Booking.Status.WAITLISTED
UNVERIFIED, CANCELLED = Booking.Status.UNVERIFIED, Booking.Status.CANCELLED


def book(session: Session, n: int, *, verified: bool = True, **fields: Any) -> Booking:
    values: dict[str, Any] = {"name": f"Person {n} Testsson", "email": f"person{n}@example.se"}
    values.update(fields)
    return booking_create(session=session, verified=verified, **values)


def statuses(bookings: list[Booking]) -> list[str]:
    return [Booking.objects.get(pk=booking.pk).status for booking in bookings]


def confirmed_count(session: Session) -> int:
    return Booking.objects.filter(session=session, status=CONFIRMED).count()


def subject_of(template: str) -> str:
    """The subject the template gives in Swedish (subjects take no context)."""
    with translation.override("sv"):
        return render_email(template, {})[0]


def outbox_templates() -> list[str]:
    return list(OutboxMessage.objects.order_by("id").values_list("template", flat=True))


# --- Capacity and the waitlist -------------------------------------------------------


def test_verified_bookings_fill_the_seats_then_queue_in_arrival_order(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 9)]

    assert statuses(bookings) == [CONFIRMED] * 5 + [WAITLISTED] * 3
    assert waitlist(session_soon) == bookings[5:]
    # What each person is told: a confirmation, or their place in the queue.
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.template for m in messages] == ["booking_confirmed"] * 5 + ["booking_waitlisted"] * 3
    assert [m.context["waitlist_position"] for m in messages] == [None] * 5 + [1, 2, 3]
    assert [m.to for m in messages] == [[f"person{n}@example.se"] for n in range(1, 9)]


def test_an_unverified_booking_holds_no_seat_until_its_link_is_opened(session_soon: Session) -> None:
    early = book(session_soon, 0, verified=False)
    assert early.status == UNVERIFIED and early.confirmed_at is None

    others = [book(session_soon, n) for n in range(1, 6)]
    assert statuses(others) == [CONFIRMED] * 5  # the early, unconfirmed request took no seat

    verified = booking_verify(token=early.token)
    assert verified.status == WAITLISTED
    assert Booking.objects.get(pk=early.pk).status == WAITLISTED
    assert confirmed_count(session_soon) == 5
    assert outbox_templates()[0] == "booking_verify"
    assert outbox_templates()[-1] == "booking_waitlisted"


def test_verifying_takes_a_free_seat(session_soon: Session) -> None:
    booking = book(session_soon, 1, verified=False)

    booking_verify(token=booking.token)

    booking.refresh_from_db()
    assert booking.status == CONFIRMED
    assert booking.confirmed_at is not None
    assert outbox_templates() == ["booking_verify", "booking_confirmed"]


def test_verifying_twice_changes_nothing(session_soon: Session) -> None:
    booking = book(session_soon, 1, verified=False)
    booking_verify(token=booking.token)
    booking.refresh_from_db()
    first = (booking.status, booking.confirmed_at)

    again = booking_verify(token=booking.token)

    booking.refresh_from_db()
    assert again.status == CONFIRMED
    assert (booking.status, booking.confirmed_at) == first
    assert confirmed_count(session_soon) == 1
    assert outbox_templates() == ["booking_verify", "booking_confirmed"]  # no second e-mail


def test_an_unknown_link_is_refused(session_soon: Session) -> None:
    with pytest.raises(ValidationError):
        booking_verify(token=uuid.uuid4())


def test_the_link_no_longer_confirms_once_the_session_has_started(session_soon: Session) -> None:
    booking = book(session_soon, 1, verified=False)
    Session.objects.filter(pk=session_soon.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5), ends_at=timezone.now() + dt.timedelta(hours=1)
    )

    with pytest.raises(ValidationError):
        booking_verify(token=booking.token)

    assert Booking.objects.get(pk=booking.pk).status == UNVERIFIED


# --- One active booking per person -------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"email": "Sigrid.Svensson@Example.se"}, {"email": " sigrid.svensson@example.SE "}),
        ({"phone": "070-123 45 67"}, {"phone": "+46 70 123 45 67"}),
        ({"phone": "0701234567"}, {"phone": "070 - 12 34 567"}),
    ],
    ids=["email-case", "phone-international", "phone-spacing"],
)
def test_the_same_person_cannot_book_the_same_session_twice(
    session_soon: Session, first: dict[str, Any], second: dict[str, Any]
) -> None:
    booking_create(session=session_soon, name="Sigrid Svensson", verified=True, **first)

    with pytest.raises(AlreadyBooked):
        booking_create(session=session_soon, name="Sigrid S", verified=True, **second)

    assert Booking.objects.filter(session=session_soon).count() == 1


def test_an_unverified_booking_also_counts_as_already_booked(session_soon: Session) -> None:
    book(session_soon, 1, verified=False)

    with pytest.raises(AlreadyBooked):
        book(session_soon, 1, verified=False, email="PERSON1@example.se")

    assert Booking.objects.filter(session=session_soon).count() == 1


def test_after_cancelling_the_same_person_may_book_again(session_soon: Session) -> None:
    booking_cancel(booking=book(session_soon, 1))

    again = book(session_soon, 1)

    assert again.status == CONFIRMED
    assert statuses(list(Booking.objects.filter(session=session_soon).order_by("id"))) == [CANCELLED, CONFIRMED]


def test_a_name_and_a_way_to_reach_the_person_are_required(session_soon: Session) -> None:
    with pytest.raises(ValidationError):
        booking_create(session=session_soon, name="", email="a@example.se", verified=True)
    with pytest.raises(ValidationError):
        booking_create(session=session_soon, name="Sigrid", verified=True)
    with pytest.raises(ValidationError):  # a phone booking is made by staff, not through the link
        booking_create(session=session_soon, name="Sigrid", phone="0701234567", verified=False)
    assert not Booking.objects.exists()


# --- What cannot be booked ---------------------------------------------------------


@pytest.fixture
def unbookable(request: pytest.FixtureRequest, make_session: Callable[..., Session]) -> Session:
    activity_booking: Activity = request.getfixturevalue("activity_booking")
    match request.param:
        case "cancelled":
            return make_session(activity_booking, status=Session.Status.CANCELLED, cancel_reason="Sjukdom")
        case "started":
            return make_session(activity_booking, starts_in=-dt.timedelta(minutes=10))
        case "past":
            return make_session(activity_booking, starts_in=-dt.timedelta(days=2))
        case "drop_in":
            return make_session(request.getfixturevalue("activity_drop_in"))
        case "application":
            return make_session(request.getfixturevalue("activity_application"))
    raise AssertionError(request.param)


@pytest.mark.parametrize("unbookable", ["cancelled", "started", "past", "drop_in", "application"], indirect=True)
@pytest.mark.parametrize("verified", [True, False], ids=["verified", "by-link"])
def test_a_session_that_is_not_open_for_booking_is_refused(unbookable: Session, verified: bool) -> None:
    with pytest.raises(ValidationError) as refused:
        book(unbookable, 1, verified=verified)

    assert not isinstance(refused.value, AlreadyBooked)
    assert not Booking.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_control_session_is_bookable(session_soon: Session) -> None:
    """The neighbour of the refusals above: same activity, scheduled, in the future."""
    assert book(session_soon, 1).status == CONFIRMED


# --- Cancelling and promotion -------------------------------------------------------


def test_cancelling_a_confirmed_booking_promotes_the_first_on_the_waitlist_only(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 9)]

    booking_cancel(booking=bookings[2])

    assert statuses(bookings) == [CONFIRMED, CONFIRMED, CANCELLED, CONFIRMED, CONFIRMED, CONFIRMED] + [WAITLISTED] * 2
    assert waitlist(session_soon) == bookings[6:]
    assert confirmed_count(session_soon) == 5
    cancelled = Booking.objects.get(pk=bookings[2].pk)
    assert cancelled.cancelled_at is not None
    assert outbox_templates()[-1] == "booking_promoted"
    assert OutboxMessage.objects.filter(template="booking_promoted").get().to == ["person6@example.se"]


def test_cancelling_a_waitlisted_booking_promotes_nobody(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 9)]

    booking_cancel(booking=bookings[5])

    assert statuses(bookings) == [CONFIRMED] * 5 + [CANCELLED, WAITLISTED, WAITLISTED]
    assert waitlist(session_soon) == bookings[6:]
    assert not OutboxMessage.objects.filter(template="booking_promoted").exists()


def test_cancelling_an_unverified_booking_promotes_nobody(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 7)]
    pending = book(session_soon, 7, verified=False)

    booking_cancel(booking=pending)

    assert statuses([*bookings, pending]) == [CONFIRMED] * 5 + [WAITLISTED, CANCELLED]


def test_cancelling_twice_promotes_once(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 9)]

    booking_cancel(booking=bookings[0])
    booking_cancel(booking=bookings[0])

    assert statuses(bookings) == [CANCELLED] + [CONFIRMED] * 5 + [WAITLISTED] * 2
    assert OutboxMessage.objects.filter(template="booking_promoted").count() == 1


# --- Cancelling a session -----------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_a_session_requires_a_reason(session_soon: Session, reason: str) -> None:
    booking = book(session_soon, 1)

    with pytest.raises(ValidationError) as refused:
        session_cancel(session=session_soon, reason=reason)

    assert "cancel_reason" in refused.value.message_dict
    assert Session.objects.get(pk=session_soon.pk).status == Session.Status.SCHEDULED
    assert Booking.objects.get(pk=booking.pk).status == CONFIRMED


def test_cancelling_a_session_cancels_every_active_booking(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 8)]
    pending = book(session_soon, 8, verified=False)
    already = book(session_soon, 9, verified=False)
    booking_cancel(booking=already)
    OutboxMessage.objects.all().delete()

    session_cancel(session=session_soon, reason=" Föreläsaren är sjuk. ")

    session_soon.refresh_from_db()
    assert session_soon.status == Session.Status.CANCELLED
    assert session_soon.cancel_reason == "Föreläsaren är sjuk."
    assert statuses([*bookings, pending]) == [CANCELLED] * 8
    assert not Booking.objects.filter(session=session_soon, status__in=Booking.ACTIVE).exists()
    assert Booking.objects.filter(session=session_soon, cancelled_at__isnull=True).count() == 0
    # Those who had a seat or a waitlist place are told; nobody is promoted.
    assert outbox_templates() == ["session_cancelled"] * 7
    assert {m.to[0] for m in OutboxMessage.objects.all()} == {f"person{n}@example.se" for n in range(1, 8)}


def test_a_cancelled_sessions_freed_seats_are_not_given_away(session_soon: Session) -> None:
    bookings = [book(session_soon, n) for n in range(1, 7)]
    session_cancel(session=session_soon, reason="Lokalen är inte tillgänglig")

    booking_cancel(booking=bookings[0])

    assert statuses(bookings) == [CANCELLED] * 6
    assert not OutboxMessage.objects.filter(template="booking_promoted").exists()


# --- The e-mails --------------------------------------------------------------------


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any) -> Callable[..., list[mail.EmailMessage]]:
    """``sent(fn, *args, **kwargs)`` runs the service, lets its transaction's callbacks
    run (Celery is eager in the tests) and returns the e-mails it sent."""

    def _sent(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[mail.EmailMessage]:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            fn(*args, **kwargs)
        return list(mail.outbox[before:])

    return _sent


def ics_of(message: mail.EmailMessage) -> Calendar:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    return Calendar.from_ical(content)


def test_each_event_sends_its_email(session_soon: Session, sent: Callable[..., list[mail.EmailMessage]]) -> None:
    uid = f"{session_soon.code}@anhorigstod"

    # An unverified booking: the link, nothing attached, no place held yet.
    (verify,) = sent(booking_create, session=session_soon, name="Sigrid Svensson", email="sigrid@example.se")
    sigrid = Booking.objects.get(email="sigrid@example.se")
    assert verify.to == ["sigrid@example.se"]
    assert verify.subject == subject_of("booking_verify")
    assert f"/boka/bekrafta/{sigrid.token}/" in verify.body
    assert verify.attachments == []

    # Opening it: the confirmation with the calendar file.
    (confirmed,) = sent(booking_verify, token=sigrid.token)
    assert confirmed.to == ["sigrid@example.se"]
    assert confirmed.subject == subject_of("booking_confirmed")
    assert f"/boka/avboka/{sigrid.token}/" in confirmed.body
    assert "Föreläsning om demens" in confirmed.body
    assert "Träffpunkten, Storgatan 1" in confirmed.body
    assert [str(event["uid"]) for event in ics_of(confirmed).walk("VEVENT")] == [uid]

    for n in range(2, 6):
        sent(book, session_soon, n)
    # The sixth is told the session is full and her place in the queue.
    (waitlisted,) = sent(book, session_soon, 6)
    assert waitlisted.to == ["person6@example.se"]
    assert waitlisted.subject == subject_of("booking_waitlisted")
    assert waitlisted.attachments == []

    # Sigrid cancels: the first on the waitlist gets the seat and the calendar file.
    (promoted,) = sent(booking_cancel, booking=sigrid)
    assert promoted.to == ["person6@example.se"]
    assert promoted.subject == subject_of("booking_promoted")
    assert f"/boka/avboka/{Booking.objects.get(email='person6@example.se').token}/" in promoted.body
    assert [str(event["uid"]) for event in ics_of(promoted).walk("VEVENT")] == [uid]

    # The session is cancelled: everyone still booked is told.
    cancelled = sent(session_cancel, session=session_soon, reason="Föreläsaren är sjuk")
    assert sorted(m.to[0] for m in cancelled) == [f"person{n}@example.se" for n in range(2, 7)]
    assert {m.subject for m in cancelled} == {subject_of("session_cancelled")}
    assert all("Föreläsaren är sjuk" in m.body for m in cancelled)

    assert outbox_templates() == [
        "booking_verify",
        "booking_confirmed",
        *["booking_confirmed"] * 4,
        "booking_waitlisted",
        "booking_promoted",
        *["session_cancelled"] * 5,
    ]
    assert len({m.subject for m in mail.outbox}) == 5  # five events, five different subjects
    # A subject is read on a lock screen: it never names the person.
    for message in mail.outbox:
        for name in ("Sigrid", "Svensson", "Testsson"):
            assert name not in message.subject


def test_a_waitlisted_person_is_told_their_place(
    session_soon: Session, sent: Callable[..., list[mail.EmailMessage]]
) -> None:
    for n in range(1, 6):
        book(session_soon, n)
    book(session_soon, 6)

    (message,) = sent(book, session_soon, 7)

    assert OutboxMessage.objects.order_by("id").last().template == "booking_waitlisted"  # type: ignore[union-attr]
    assert " 2 " in message.body  # second in the queue


def test_a_booking_by_phone_sends_nothing(
    session_soon: Session, consultant_a: User, sent: Callable[..., list[mail.EmailMessage]]
) -> None:
    def by_phone(n: int) -> Booking:
        return booking_create(
            session=session_soon,
            name=f"Person {n}",
            phone=f"070-000 00 0{n}",
            booked_by_staff=consultant_a,
            verified=True,
        )

    emails = sent(lambda: [by_phone(n) for n in range(1, 7)])
    first, sixth = Booking.objects.get(phone="070-000 00 01"), Booking.objects.get(phone="070-000 00 06")
    assert sixth.status == WAITLISTED
    emails += sent(booking_cancel, booking=first, by_staff=consultant_a)
    assert Booking.objects.get(pk=sixth.pk).status == CONFIRMED  # promoted, silently
    emails += sent(session_cancel, session=session_soon, reason="Sjukdom")

    assert emails == []
    assert not OutboxMessage.objects.exists()
    assert Booking.objects.filter(session=session_soon, status=CANCELLED).count() == 6
