"""Never overbooked (PRODUCT §6): real threads, each with its own PostgreSQL connection,
released together by a barrier, book and cancel the same session at the same moment.

The negative control switches the session lock off (``GROUPS_BOOKING_LOCK = False``)
and widens the gap between counting the seats and inserting the booking: the same run
then overbooks, which shows these tests can catch the race. Its positive twin keeps the
lock with the same gap and must hold.

E-mails are only written to the outbox here (the task that sends them is stubbed out),
so each message still holds what the person was told, such as their waitlist place.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from django.db import connection

from anhorigstod.outbox.models import OutboxMessage
from groups.models import Booking, Session
from groups.services import booking as booking_rules
from groups.services.booking import AlreadyBooked, booking_cancel, booking_create, waitlist

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50
CAPACITY = 5


@pytest.fixture(autouse=True)
def _outbox_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("anhorigstod.outbox.tasks.outbox_send.delay", lambda *args, **kwargs: None)


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(0) … work(count - 1)`` in as many threads, released at the same moment;
    each result is what ``work`` returned or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so the requests start together
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - handed to the test to assert on
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def book_everyone(session: Session, threads: int = THREADS) -> list[Any]:
    return run_together(
        threads,
        lambda i: booking_create(session=session, name=f"Person {i}", email=f"person{i}@example.se", verified=True),
    )


def counts(session: Session) -> dict[str, int]:
    bookings = Booking.objects.filter(session=session)
    return {status: bookings.filter(status=status).count() for status in Booking.Status.values}


@pytest.fixture
def slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the gap between counting the seats and inserting the booking."""
    seats_taken = booking_rules.seats_taken

    def slowly(session: Session) -> int:
        taken = seats_taken(session)
        time.sleep(0.05)
        return taken

    monkeypatch.setattr(booking_rules, "seats_taken", slowly)


def test_fifty_simultaneous_bookings_fill_exactly_the_capacity(session_soon: Session) -> None:
    assert session_soon.activity.capacity == CAPACITY

    results = book_everyone(session_soon)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert counts(session_soon) == {"confirmed": 5, "waitlisted": 45, "unverified": 0, "cancelled": 0}
    bookings = list(Booking.objects.filter(session=session_soon))
    assert len({b.person_key for b in bookings}) == THREADS

    # The queue is in commit order. A booking's id is drawn from the sequence inside the
    # locked section, so id order is the order in which the transactions committed.
    queue = waitlist(session_soon)
    confirmed = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
    assert [b.pk for b in queue] == sorted(b.pk for b in queue)
    assert max(b.pk for b in confirmed) < min(b.pk for b in queue)  # the first five to commit got the seats
    joined = [b.confirmed_at for b in queue if b.confirmed_at is not None]
    assert len(joined) == 45
    assert joined == sorted(joined) and len(set(joined)) == len(joined)  # no ties

    # Each person was told their own place: 1 … 45, no gaps, no ties.
    told = {
        m.to[0]: m.context["waitlist_position"] for m in OutboxMessage.objects.filter(template="booking_waitlisted")
    }
    assert [told[b.email] for b in queue] == list(range(1, 46))
    assert OutboxMessage.objects.filter(template="booking_confirmed").count() == 5


def test_twenty_simultaneous_bookings_by_the_same_person_make_one(session_soon: Session) -> None:
    results = run_together(
        20,
        lambda i: booking_create(
            session=session_soon,
            name="Sigrid Svensson",
            email="Sigrid@Example.se" if i % 2 else "sigrid@example.se",
            verified=True,
        ),
    )

    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, AlreadyBooked)]
    assert (len(booked), len(refused)) == (1, 19), results
    assert Booking.objects.filter(session=session_soon, status__in=Booking.ACTIVE).count() == 1
    assert Booking.objects.filter(session=session_soon).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_five_simultaneous_cancellations_promote_the_first_five_waiting(session_soon: Session) -> None:
    for i in range(15):
        booking_create(session=session_soon, name=f"Person {i}", email=f"person{i}@example.se", verified=True)
    seated = list(Booking.objects.filter(session=session_soon, status=Booking.Status.CONFIRMED))
    queue = waitlist(session_soon)
    assert (len(seated), len(queue)) == (5, 10)

    results = run_together(5, lambda i: booking_cancel(booking=seated[i]))

    assert [r for r in results if isinstance(r, Exception)] == []
    now_seated = Booking.objects.filter(session=session_soon, status=Booking.Status.CONFIRMED)
    assert {b.pk for b in now_seated} == {b.pk for b in queue[:5]}
    assert waitlist(session_soon) == queue[5:]
    promoted = OutboxMessage.objects.filter(template="booking_promoted")
    assert sorted(m.to[0] for m in promoted) == sorted(b.email for b in queue[:5])


def test_with_the_lock_and_a_slow_count_capacity_still_holds(session_soon: Session, slow_count: None) -> None:
    """The positive twin of the negative control below: the gap alone does not overbook.
    (20 threads: with the lock the slow counts run one after another.)"""
    results = book_everyone(session_soon, threads=20)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert counts(session_soon)["confirmed"] == CAPACITY


def test_negative_control_without_the_lock_it_overbooks(session_soon: Session, slow_count: None, settings: Any) -> None:
    settings.GROUPS_BOOKING_LOCK = False

    results = book_everyone(session_soon)

    assert [r for r in results if isinstance(r, Exception)] == []
    confirmed = counts(session_soon)["confirmed"]
    assert confirmed > CAPACITY, "the race did not happen: the concurrency tests could not catch it"
