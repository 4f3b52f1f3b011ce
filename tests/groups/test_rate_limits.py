"""Public forms cannot be abused (issue 10): booking, "Bli kontaktad" and evaluations are
limited per client address and per e-mail address, with a clear Swedish message, nothing
typed lost and no e-mail sent for a refused attempt. And "already booked" looks like a
new booking to someone who did not make it: the e-mail says what happened."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from django.core import mail
from django.test import Client

from anhorigstod.outbox.models import OutboxMessage
from groups.models import Activity, Booking, ContactRequest, EvaluationResponse, Session
from groups.services.booking import booking_create
from tests.conftest import Org

SWEDISH_MESSAGE = "Du har skickat formuläret många gånger på kort tid"


@pytest.fixture(autouse=True)
def one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt of a test falls in the same counting window: the test makes its
    attempts "within a minute" whatever the wall clock does meanwhile."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core.time, "time", lambda: 1_800_000_000.0)


def html(response: Any) -> str:
    return response.content.decode()


def book(client: Client, session: Session, capture: Any, *, address: str = "203.0.113.7", **data: str) -> Any:
    values = {"name": "Vera Besökare", "email": "vera@example.se", "phone": "070-123 45 67", **data}
    with capture(execute=True):
        return client.post(f"/kalender/tillfalle/{session.code}/boka/", values, REMOTE_ADDR=address)


def test_thirty_bookings_from_one_address_in_a_minute_the_excess_is_refused_in_swedish(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    per_address = int(settings.ANHORIGSTOD_RATE_LIMITS["booking"][0].split("/")[0])
    statuses = []
    for n in range(30):
        response = book(client, session_soon, django_capture_on_commit_callbacks, email=f"person{n}@example.se")
        statuses.append(response.status_code)
        if response.status_code == 429:
            content = html(response)
            assert SWEDISH_MESSAGE in content
            # Nothing typed is lost.
            assert f'value="person{n}@example.se"' in content
            assert 'value="Vera Besökare"' in content
            assert 'value="070-123 45 67"' in content

    assert statuses == [302] * per_address + [429] * (30 - per_address)
    assert Booking.objects.filter(session=session_soon).count() == per_address
    # One confirmation e-mail per accepted booking, none for the refused ones.
    assert len(mail.outbox) == per_address == OutboxMessage.objects.count()
    assert {message.to[0] for message in mail.outbox} == {f"person{n}@example.se" for n in range(per_address)}


def test_one_e_mail_address_from_many_addresses_is_limited_too(
    client: Client, session_soon: Session, make_session: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    per_email = int(settings.ANHORIGSTOD_RATE_LIMITS["booking"][1].split("/")[0])
    sessions = [make_session(session_soon.activity, starts_in=dt.timedelta(days=n + 2)) for n in range(per_email + 1)]
    responses = [
        book(client, session, django_capture_on_commit_callbacks, address=f"198.51.100.{n}", email="Target@Example.se")
        for n, session in enumerate(sessions)
    ]
    assert [r.status_code for r in responses] == [302] * per_email + [429]
    assert len(mail.outbox) == per_email


def test_a_cache_that_is_away_lets_the_booking_through(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anhorigstod.lib.ratelimit

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("redis away")

    monkeypatch.setattr(anhorigstod.lib.ratelimit, "get_usage", broken)
    assert book(client, session_soon, django_capture_on_commit_callbacks).status_code == 302
    assert Booking.objects.filter(session=session_soon).count() == 1


def test_already_booked_looks_like_a_new_booking_and_the_e_mail_says_what_happened(
    session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    # Vera booked earlier, from her own browser.
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session=session_soon, name="Vera", email="vera@example.se", verified=True)
    mail.outbox.clear()

    # Somebody else types her address: a fresh browser, no sign-in.
    stranger, newcomer = Client(), Client()
    again = book(stranger, session_soon, django_capture_on_commit_callbacks, email="VERA@example.se")
    new = book(newcomer, session_soon, django_capture_on_commit_callbacks, email="nils@example.se")

    assert again.status_code == new.status_code == 302
    assert re.fullmatch(r"/kalender/bokning/[0-9a-f-]{36}/", again["Location"])
    shown_again, shown_new = stranger.get(again["Location"]), newcomer.get(new["Location"])
    assert shown_again.status_code == shown_new.status_code == 200

    def page(response: Any) -> str:
        content = html(response)
        main = content[content.index("<main") : content.index("</main>")]
        # Only each page's own code and CSRF token may differ.
        main = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "CODE", main)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", main)

    assert page(shown_again) == page(shown_new), "the two pages say the same"
    assert Booking.objects.filter(session=session_soon).count() == 2
    # To the booking's own address, written as it was when booked.
    already = next(message for message in mail.outbox if message.to == ["vera@example.se"])
    assert "redan bokad" in already.subject
    assert "Du är bokad." in already.body
    assert f"/boka/avboka/{Booking.objects.get(email='vera@example.se').token}/" in already.body


def test_contact_requests_are_limited_and_keep_what_was_typed(
    client: Client, org: Org, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    per_address = int(settings.ANHORIGSTOD_RATE_LIMITS["contact_request"][0].split("/")[0])
    person = {
        "name": "Gunilla Ringer",
        "phone": "070-987 65 43",
        "email": "",
        "preferred_channel": "phone",
        "message": "Min man har fått en demensdiagnos.",
    }
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(per_address + 1):
            responses.append(client.post("/kontakt/norra/", person, REMOTE_ADDR="203.0.113.8"))
    assert [r.status_code for r in responses] == [302] * per_address + [429]
    refused = html(responses[-1])
    assert SWEDISH_MESSAGE in refused
    assert "Min man har fått en demensdiagnos." in refused and 'value="Gunilla Ringer"' in refused
    assert ContactRequest.objects.count() == per_address


def test_evaluations_are_limited_per_address(client: Client, activity_booking: Activity, settings: Any) -> None:
    per_address = int(settings.ANHORIGSTOD_RATE_LIMITS["evaluation"][0].split("/")[0])
    answer = {"useful": "4", "welcomed": "5", "understand_better": "3", "would_recommend": "yes"}
    statuses = []
    for _ in range(per_address + 1):
        browser = Client()  # a fresh session each time: the cookie limit alone would not hold
        statuses.append(
            browser.post(f"/utvardering/{activity_booking.evaluation_token}/", answer, REMOTE_ADDR="203.0.113.9")
        )
    assert [r.status_code for r in statuses] == [302] * per_address + [429]
    assert SWEDISH_MESSAGE in html(statuses[-1])
    assert EvaluationResponse.objects.count() == per_address


def test_the_confirmation_can_be_sent_again_a_few_times_then_the_limit_says_so(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    per_email = int(settings.ANHORIGSTOD_RATE_LIMITS["booking_resend"][1].split("/")[0])
    result = book(client, session_soon, django_capture_on_commit_callbacks)["Location"]
    assert "Skicka e-postmeddelandet igen" in html(client.get(result))
    mail.outbox.clear()

    pages = []
    for _ in range(per_email + 1):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{result}skicka-igen/", REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302 and response["Location"] == result
        pages.append(html(client.get(result)))

    assert len(mail.outbox) == per_email
    token = Booking.objects.get(session=session_soon).token
    assert all(f"/boka/bekrafta/{token}/" in message.body for message in mail.outbox)
    assert "Vi har skickat e-postmeddelandet igen." in pages[0]
    assert SWEDISH_MESSAGE in pages[-1]


def test_sending_again_from_the_already_booked_page_looks_the_same_and_tells_the_booker(
    session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session=session_soon, name="Vera", email="vera@example.se", verified=True)
    stranger = Client()
    result = book(stranger, session_soon, django_capture_on_commit_callbacks)["Location"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = stranger.post(f"{result}skicka-igen/")

    assert response.status_code == 302 and response["Location"] == result
    assert "Vi har skickat e-postmeddelandet igen." in html(stranger.get(result))
    assert [message.to for message in mail.outbox] == [["vera@example.se"]]
    assert "redan bokad" in mail.outbox[0].subject


def test_sending_again_needs_the_browser_that_booked(client: Client) -> None:
    assert client.post("/kalender/bokning/0c0c0c0c-0000-4000-8000-00000000000c/skicka-igen/").status_code == 404
