""" "Mina sidor" (PRODUCT §6): a signed-in carer sees their own bookings — made while
signed in, or for one of their verified e-mail addresses — coming and earlier, with
their place on a waitlist, cancels them (the freed seat goes to the next in line, by
the booking rules), and sees their applications. Nothing about anyone else.

Pages are read in English (the language switch's cookie) so the assertions do not
depend on the Swedish catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anhorigstod.accounts.models import User
from anhorigstod.outbox.models import OutboxMessage
from groups.models import Activity, Application, Booking, Session
from groups.services.applications import application_create
from groups.services.booking import booking_create

CONFIRMED, WAITLISTED, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITLISTED, Booking.Status.CANCELLED
MY_PAGES = "/mina-sidor/"


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def html(response: Any) -> str:
    return response.content.decode()


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", html(response)))


def cancel_url(booking: Booking) -> str:
    return f"/mina-sidor/bokningar/{booking.code}/avboka/"


def book(session: Session, n: int, **fields: Any) -> Booking:
    values: dict[str, Any] = {"name": f"Person {n} Testsson", "email": f"person{n}@example.se"}
    values.update(fields)
    return booking_create(session=session, verified=True, **values)


def book_signed_in(session: Session, user: User) -> Booking:
    """As the public one-click booking does for a signed-in user."""
    return booking_create(session=session, name=user.full_name, email=user.email, user=user, verified=True)


@pytest.fixture
def signed_in(client: Client, carer: User) -> Client:
    client.force_login(carer)
    return client


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(MY_PAGES)

    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/mina-sidor/"


def test_the_page_lists_only_the_users_own_bookings(
    signed_in: Client,
    carer: User,
    activity_booking: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
) -> None:
    later = make_session(activity_booking, starts_in=dt.timedelta(days=10))
    third = make_session(activity_booking, starts_in=dt.timedelta(days=20))
    mine_signed_in = book_signed_in(session_soon, carer)
    # Booked by staff on the phone with her verified address, in another case.
    mine_by_address = book(later, 0, name="Cecilia A.", email="Cecilia@Example.se")
    # An address she added but never verified is not hers yet.
    EmailAddress.objects.create(user=carer, email="cecilia.jobb@example.se", verified=False, primary=False)
    book(third, 0, name="Cecilia på jobbet", email="cecilia.jobb@example.se")
    # Someone else on the same session.
    book(session_soon, 1, name="Olle Annan", email="olle@example.se")

    page = signed_in.get(MY_PAGES)

    assert page.status_code == 200 and h1_count(page) == 1
    assert [b.pk for b in page.context["upcoming"]] == [mine_signed_in.pk, mine_by_address.pk]
    assert page.context["past"] == []
    body = html(page)
    assert "Olle" not in body and "olle@example.se" not in body and "Cecilia på jobbet" not in body
    assert body.count("Föreläsning om demens") == 2
    assert cancel_url(mine_signed_in) in body and cancel_url(mine_by_address) in body


def test_a_staff_member_sees_their_own_bookings(login_as: Any, consultant_a: User, session_soon: Session) -> None:
    own = book_signed_in(session_soon, consultant_a)
    book(session_soon, 1)

    page = login_as("consultant_a").get(MY_PAGES)

    assert page.status_code == 200 and h1_count(page) == 1
    assert [b.pk for b in page.context["upcoming"]] == [own.pk]


def test_a_waitlisted_booking_shows_its_place_in_line(signed_in: Client, carer: User, session_soon: Session) -> None:
    for n in range(1, 7):  # five seats, then the first on the waitlist
        book(session_soon, n)
    mine = book_signed_in(session_soon, carer)
    assert mine.status == WAITLISTED

    page = signed_in.get(MY_PAGES)

    from groups.services.booking import waitlist_position as _waitlist_position

    assert page.context["upcoming"][0].waitlist_position == _waitlist_position(mine) == 2
    assert "Number 2 on the waitlist" in html(page)
    assert "Leave the waitlist" in html(page)


def test_earlier_bookings_are_listed_apart_without_a_cancel_button(
    signed_in: Client, carer: User, session_soon: Session
) -> None:
    booking = book_signed_in(session_soon, carer)
    starts_at = session_soon.starts_at - dt.timedelta(days=10)
    Session.objects.filter(pk=session_soon.pk).update(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))

    page = signed_in.get(MY_PAGES)

    assert page.context["upcoming"] == [] and [b.pk for b in page.context["past"]] == [booking.pk]
    assert cancel_url(booking) not in html(page)
    assert "You have no coming bookings." in html(page)


def test_cancelling_frees_the_seat_for_the_next_on_the_waitlist(
    signed_in: Client, carer: User, session_soon: Session
) -> None:
    mine = book_signed_in(session_soon, carer)
    others = [book(session_soon, n) for n in range(1, 7)]  # four seats, then two waiting
    assert [b.status for b in others] == [CONFIRMED] * 4 + [WAITLISTED] * 2

    response = signed_in.post(cancel_url(mine))

    assert response.status_code == 302 and response["Location"] == MY_PAGES
    assert Booking.objects.get(pk=mine.pk).status == CANCELLED
    assert [Booking.objects.get(pk=b.pk).status for b in others] == [CONFIRMED] * 5 + [WAITLISTED]
    promoted = OutboxMessage.objects.filter(template="booking_promoted").get()
    assert promoted.to == ["person5@example.se"]
    page = signed_in.get(MY_PAGES)
    assert "The booking is cancelled." in html(page)
    assert cancel_url(mine) not in html(page)


def test_cancelling_someone_elses_booking_is_a_404(
    signed_in: Client, session_soon: Session, consultant_a: User
) -> None:
    theirs = book(session_soon, 1)
    staff_booked = book(session_soon, 2, booked_by_staff=consultant_a)

    assert signed_in.post(cancel_url(theirs)).status_code == 404
    assert signed_in.post(cancel_url(staff_booked)).status_code == 404
    assert signed_in.post("/mina-sidor/bokningar/0c0c0c0c-0000-4000-8000-00000000000c/avboka/").status_code == 404
    assert set(Booking.objects.values_list("status", flat=True)) == {CONFIRMED}


def test_cancelling_needs_a_post(signed_in: Client, carer: User, session_soon: Session) -> None:
    mine = book_signed_in(session_soon, carer)

    assert signed_in.get(cancel_url(mine)).status_code == 405
    assert Booking.objects.get(pk=mine.pk).status == CONFIRMED


def test_an_anonymous_visitor_cannot_cancel(client: Client, session_soon: Session) -> None:
    booking = book(session_soon, 1)

    response = client.post(cancel_url(booking))

    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    assert Booking.objects.get(pk=booking.pk).status == CONFIRMED


def test_a_session_that_has_started_is_not_cancelled_here(
    signed_in: Client, carer: User, session_soon: Session
) -> None:
    mine = book_signed_in(session_soon, carer)
    Session.objects.filter(pk=session_soon.pk).update(starts_at=session_soon.starts_at - dt.timedelta(days=3, hours=1))

    signed_in.post(cancel_url(mine))

    assert Booking.objects.get(pk=mine.pk).status == CONFIRMED
    assert "can no longer be cancelled" in html(signed_in.get(MY_PAGES))


def test_the_users_applications_are_listed_with_their_status(signed_in: Client, activity_application: Activity) -> None:
    application_create(activity=activity_application, name="Cecilia Anhörig", email="CECILIA@example.se")
    application_create(activity=activity_application, name="Olle Annan", email="olle@example.se")
    Application.objects.filter(email="olle@example.se").update(status=Application.Status.ADMITTED)

    page = signed_in.get(MY_PAGES)

    assert [(a.name, a.status) for a in page.context["applications"]] == [
        ("Cecilia Anhörig", Application.Status.INTERESTED)
    ]
    body = html(page)
    assert "Stödgrupp för anhöriga till personer med demens" in body and "Interested" in body
    assert "Olle" not in body


def test_the_query_count_does_not_grow_with_the_bookings(
    signed_in: Client,
    carer: User,
    activity_booking: Activity,
    activity_application: Activity,
    make_session: Callable[..., Session],
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(MY_PAGES).status_code == 200
        return len(captured)

    def add(days: int) -> None:
        session = make_session(activity_booking, starts_in=dt.timedelta(days=days))
        for n in range(1, 6):
            book(session, n)
        book_signed_in(session, carer)  # waitlisted, so the waitlist position is computed
        past = make_session(activity_booking, starts_in=dt.timedelta(days=days))
        book_signed_in(past, carer)
        Session.objects.filter(pk=past.pk).update(
            starts_at=past.starts_at - dt.timedelta(days=60), ends_at=past.ends_at - dt.timedelta(days=60)
        )

    add(3)
    application_create(activity=activity_application, name="Cecilia Anhörig", email="cecilia@example.se")
    few = queries()
    for days in range(4, 12):
        add(days)

    page = signed_in.get(MY_PAGES)
    assert len(page.context["upcoming"]) == 9 and len(page.context["past"]) == 9
    assert all(b.waitlist_position == 1 for b in page.context["upcoming"])
    assert queries() == few
