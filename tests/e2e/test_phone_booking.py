"""Browser test of issue 12: a carer without e-mail books with a phone number only, at
phone size; the form first says (in Swedish) that one of the two is needed and keeps the
name, then the result page shows the booking reference. Every page is checked with axe."""

from __future__ import annotations

from typing import Any

import pytest

from django.core import mail

from groups.models import Booking
from tests.e2e.test_booking import _axe, _h1, _path_is, _watch_urls, sv
from tests.groups.conftest import activity_booking, make_session  # noqa: F401 - fixtures used below

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_booking_with_a_phone_number_only(live_server: Any, phone_page: Any, request: pytest.FixtureRequest) -> None:
    session = request.getfixturevalue("make_session")(request.getfixturevalue("activity_booking"))
    page, problems, seen_urls = phone_page, [], []
    _watch_urls(page, seen_urls)

    page.goto(f"{live_server.url}/kalender/tillfalle/{session.code}/boka/")
    page.get_by_label(sv("Your name"), exact=True).fill("Tage Telefonsson")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Book"), exact=True).click()
    assert page.get_by_text(sv("Give an e-mail address or a phone number, so that we can reach you.")).is_visible()
    assert page.get_by_label(sv("Your name"), exact=True).input_value() == "Tage Telefonsson"
    _axe(page, "phone-booking-form-error", problems)

    page.get_by_label(sv("Phone"), exact=True).fill("070-555 44 33")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Book"), exact=True).click()
    page.wait_for_url(_path_is(r"/kalender/bokning/[0-9a-f-]{36}/"))

    booking = Booking.objects.get(session=session)
    assert (booking.status, booking.phone, booking.email) == (Booking.Status.CONFIRMED, "070-555 44 33", "")
    assert _h1(page) == sv("You are booked")
    assert page.get_by_text(booking.reference, exact=True).is_visible()
    _axe(page, "phone-booking-result", problems)
    assert mail.outbox == []
    assert not any("Tage" in url or "555" in url for url in seen_urls)
    assert not problems, "\n".join(problems)
