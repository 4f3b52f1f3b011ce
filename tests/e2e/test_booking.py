"""Browser test of booking the last seat, the waitlist and its promotion, at phone size.

Anna books the last seat of a lecture from the public calendar and confirms it through
the e-mailed link; Bertil, in a browser of his own, joins the waitlist the same way.
When Anna cancels through the link in her confirmation e-mail, the seat goes to Bertil,
who is told by e-mail with the session as an .ics file.

Every page visited is checked with axe-core (WCAG 2.1 A/AA), and no address the
browsers ask for may carry a name or an e-mail address. Texts are looked up in the
Swedish catalogue at run time, so the test works before and after the translators.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote_plus

import pytest

from django.core import mail
from django.utils import translation

from groups.models import Booking
from groups.services.booking import booking_create
from tests.e2e.conftest import PHONE, _new_page, assert_accessible
from tests.groups.conftest import activity_booking, make_session  # noqa: F401 - fixtures used below

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANNA = ("Anna Andersson", "anna.andersson@example.se")
BERTIL = ("Bertil Berg", "bertil.berg@example.se")
CONFIRM_LINK = re.compile(r"/boka/bekrafta/[0-9a-f-]{36}/")
CANCEL_LINK = re.compile(r"/boka/avboka/[0-9a-f-]{36}/")

phone_context = contextmanager(_new_page)


def sv(text: str) -> str:
    """What the Swedish page shows for the msgid ``text``."""
    with translation.override("sv"):
        return translation.gettext(text)


def sv_n(singular: str, plural: str, count: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(singular, plural, count) % {"count": count}


def _path_is(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{pattern}(\?.*)?$")


def _axe(page: Any, name: str, problems: list[str]) -> None:
    """Run axe but carry on: one run reports the violations of every page in the flow."""
    try:
        assert_accessible(page, name)
    except AssertionError as error:
        problems.append(str(error))
    if page.console_errors:
        problems.append(f"JavaScript errors on {name}: {page.console_errors}")
        page.console_errors.clear()


def _h1(page: Any) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def _watch_urls(page: Any, seen: list[str]) -> None:
    page.context.on("request", lambda request: seen.append(request.url))


def _mail(to: str, subject: str) -> Any:
    found = [m for m in mail.outbox if m.to == [to] and m.subject == subject]
    assert len(found) == 1, f"expected one {subject!r} to {to}, got {[(m.to, m.subject) for m in mail.outbox]}"
    return found[0]


def _link(message: Any, pattern: re.Pattern[str]) -> str:
    links = set(pattern.findall(message.body))
    assert len(links) == 1, f"expected one link in {message.subject!r}: {message.body}"
    return links.pop()


def _book_from_calendar(
    page: Any, base_url: str, who: tuple[str, str], *, badge: str, link: str, button: str, tag: str, problems: list[str]
) -> None:
    """Calendar → activity → booking form → "check your e-mail"."""
    name, email = who
    page.goto(base_url + "/kalender/")
    assert _h1(page) == sv("Calendar for carers")
    card = page.locator("ol.session-list > li", has_text="Föreläsning om demens")
    assert card.count() == 1
    assert card.locator(".badge").inner_text().strip() == badge
    _axe(page, f"booking-{tag}-calendar", problems)

    card.get_by_role("link", name="Föreläsning om demens", exact=True).click()
    page.wait_for_url(_path_is(r"/kalender/[0-9a-f-]{36}/"))
    assert _h1(page) == "Föreläsning om demens"
    _axe(page, f"booking-{tag}-activity", problems)

    page.get_by_role("main").get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(_path_is(r"/kalender/tillfalle/[0-9a-f-]{36}/boka/"))
    assert _h1(page) == sv("Book: %(title)s") % {"title": "Föreläsning om demens"}
    _axe(page, f"booking-{tag}-form", problems)

    page.get_by_label(sv("Your name"), exact=True).fill(name)
    page.get_by_label(sv("E-mail"), exact=True).fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(_path_is(r"/kalender/bokning/[0-9a-f-]{36}/"))
    assert _h1(page) == sv("Check your e-mail")
    assert page.get_by_role("status").get_by_text(sv("Your booking is not confirmed yet.")).is_visible()
    _axe(page, f"booking-{tag}-check-email", problems)


def _confirm(page: Any, base_url: str, link: str, *, tag: str, problems: list[str]) -> None:
    """The e-mailed link: GET shows a button (mail scanners open links), POST confirms."""
    page.goto(base_url + link)
    assert _h1(page) == sv("Confirm your booking")
    _axe(page, f"booking-{tag}-confirm", problems)
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Confirm my booking"), exact=True).click()
    page.wait_for_url(_path_is(r"/kalender/bokning/[0-9a-f-]{36}/"))


def test_last_seat_waitlist_and_promotion_at_phone_size(
    live_server: Any, browser: Any, phone_page: Any, request: pytest.FixtureRequest
) -> None:
    # The lecture of tests/groups/conftest.py: capacity 5, booked first come, first served.
    session = request.getfixturevalue("make_session")(request.getfixturevalue("activity_booking"))
    # Four of the five seats are taken by people booked by phone (no e-mail, so no mail).
    for number in range(1, 5):
        booking_create(session=session, name=f"Deltagare {number}", phone=f"070-000 00 0{number}", verified=True)
    mail.outbox.clear()
    base = live_server.url
    problems: list[str] = []
    seen_urls: list[str] = []
    anna = phone_page
    _watch_urls(anna, seen_urls)

    # --- 1. Anna books the last seat and confirms it ------------------------------------
    _book_from_calendar(
        anna,
        base,
        ANNA,
        badge=sv_n("%(count)s place left", "%(count)s places left", 1),
        link=sv("Book a place"),
        button=sv("Book"),
        tag="anna",
        problems=problems,
    )
    anna_booking = Booking.objects.get(email=ANNA[1])
    assert anna_booking.status == Booking.Status.UNVERIFIED
    verify = _mail(ANNA[1], sv("Confirm your booking"))
    _confirm(anna, base, _link(verify, CONFIRM_LINK), tag="anna", problems=problems)
    assert _h1(anna) == sv("You are booked")
    assert anna.get_by_role("status").get_by_text(sv("You are booked.")).is_visible()
    _axe(anna, "booking-anna-booked", problems)
    anna_booking.refresh_from_db()
    assert anna_booking.status == Booking.Status.CONFIRMED
    assert session.bookings.filter(status=Booking.Status.CONFIRMED).count() == 5

    # --- 2. Bertil, in a browser of his own, joins the waitlist -------------------------
    with phone_context(browser, viewport=PHONE, is_mobile=True) as bertil:
        _watch_urls(bertil, seen_urls)
        _book_from_calendar(
            bertil,
            base,
            BERTIL,
            badge=sv("Full – waitlist"),
            link=sv("Join the waitlist"),
            button=sv("Join the waitlist"),
            tag="bertil",
            problems=problems,
        )
        verify = _mail(BERTIL[1], sv("Confirm your booking"))
        _confirm(bertil, base, _link(verify, CONFIRM_LINK), tag="bertil", problems=problems)
        assert _h1(bertil) == sv("You are on the waitlist")
        position = sv("The session is full. You are number %(number)s on the waitlist.") % {"number": 1}
        assert bertil.get_by_role("status").get_by_text(position).is_visible()
        _axe(bertil, "booking-bertil-waitlisted", problems)
    bertil_booking = Booking.objects.get(email=BERTIL[1])
    assert bertil_booking.status == Booking.Status.WAITLISTED
    assert _mail(BERTIL[1], sv("You are on the waitlist"))

    # --- 3. Anna cancels through her confirmation e-mail: the seat goes to Bertil --------
    confirmation = _mail(ANNA[1], sv("Your booking is confirmed"))
    anna.goto(base + _link(confirmation, CANCEL_LINK))
    assert _h1(anna) == sv("Cancel your booking")
    _axe(anna, "booking-anna-cancel", problems)
    with anna.expect_navigation():
        anna.get_by_role("button", name=sv("Cancel my booking"), exact=True).click()
    anna.wait_for_url(_path_is(r"/kalender/bokning/[0-9a-f-]{36}/"))
    assert _h1(anna) == sv("The booking is cancelled")
    _axe(anna, "booking-anna-cancelled", problems)

    anna_booking.refresh_from_db()
    bertil_booking.refresh_from_db()
    assert anna_booking.status == Booking.Status.CANCELLED
    assert bertil_booking.status == Booking.Status.CONFIRMED
    promoted = _mail(BERTIL[1], sv("You have got a place"))
    assert f"/boka/avboka/{bertil_booking.token}/" in promoted.body
    calendars = [(name, mimetype) for name, _content, mimetype in promoted.attachments]
    assert [name for name, _mimetype in calendars if name.endswith(".ics")], calendars
    assert all(mimetype.startswith("text/calendar") for name, mimetype in calendars if name.endswith(".ics"))

    # --- No address the browsers asked for carries a name or an e-mail address ----------
    secrets = [part.lower() for name, email in (ANNA, BERTIL) for part in (*name.split(), email, email.split("@")[0])]
    leaks = [url for url in seen_urls if any(secret in unquote_plus(url).lower() for secret in secrets)]
    assert not leaks, f"names or e-mail addresses in URLs: {leaks}"

    assert not problems, "\n\n".join(problems)
