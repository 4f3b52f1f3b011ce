"""One rule for a place on the waitlist (groups.services.booking.with_waitlist_position): the
e-mail, the result page and "Mina sidor" read it from there, in the order of waitlist()."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from groups.models import Activity, Booking, Session
from groups.services.booking import booking_create, waitlist, waitlist_position, with_waitlist_position


def test_the_position_follows_the_waitlist_order_ties_broken_by_id(session_soon: Session) -> None:
    Activity.objects.filter(pk=session_soon.activity_id).update(capacity=1)
    seated = booking_create(session=session_soon, name="Anna", email="anna@example.se", verified=True)
    queued = [
        booking_create(session=session_soon, name=f"Person {n}", email=f"p{n}@example.se", verified=True)
        for n in range(4)
    ]
    # Two joined the queue at the same moment: the lower id goes first.
    same_moment = timezone.now()
    Booking.objects.filter(pk__in=[queued[2].pk, queued[3].pk]).update(confirmed_at=same_moment)
    Booking.objects.filter(pk=queued[0].pk).update(confirmed_at=same_moment + timezone.timedelta(seconds=1))

    order = [booking.pk for booking in waitlist(session_soon)]
    assert order == [queued[1].pk, queued[2].pk, queued[3].pk, queued[0].pk]
    positions: dict[int, Any] = dict(
        with_waitlist_position(session_soon.bookings.all()).values_list("pk", "waitlist_position")
    )
    assert positions == {seated.pk: None, **{pk: n for n, pk in enumerate(order, start=1)}}
    for booking in Booking.objects.filter(session=session_soon):
        assert waitlist_position(booking) == positions[booking.pk]
