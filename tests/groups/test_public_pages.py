"""The carers' public pages (PRODUCT §6): the calendar and its filters, an activity,
booking as a visitor (confirmed by the e-mailed link) or signed in (one click), the
waitlist, the cancellation link that promotes the next in line, and a unit's iCal feed.

Pages are read in English (the language switch's cookie) so the assertions do not
depend on the Swedish catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from icalendar import Calendar

from django.core import mail
from django.test import Client
from django.utils import timezone

from anhorigstod.accounts.models import User
from contacts.models import Partner, SupportKind
from groups.models import Activity, ActivityTargetGroup, Booking, Session
from groups.services.booking import booking_create
from tests.conftest import Org

VISITOR = {"name": "Vera Besökare", "email": "vera.besokare@example.se", "phone": "070-123 45 67"}


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def html(response: Any) -> str:
    return response.content.decode()


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", html(response)))


def calendar_codes(response: Any) -> set[str]:
    return {str(session.code) for session in response.context["page"].object_list}


def book_as_visitor(client: Client, session: Session, capture: Any, **data: str) -> Any:
    with capture(execute=True):
        return client.post(f"/kalender/tillfalle/{session.code}/boka/", {**VISITOR, **data})


def other_activity(activity: Activity, **fields: Any) -> Activity:
    """A copy of ``activity`` with some fields changed (a fresh code)."""
    values = {
        field.name: getattr(activity, field.name)
        for field in Activity._meta.concrete_fields
        if field.name not in ("id", "code", "evaluation_token", "created_at", "updated_at")
    }
    values.update(fields)
    return Activity.objects.create(**values)


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


def test_calendar_lists_upcoming_sessions_only(
    client: Client, activity_booking: Activity, session_soon: Session, make_session: Callable[..., Session]
) -> None:
    later = make_session(activity_booking, starts_in=dt.timedelta(days=10))
    past = make_session(activity_booking, starts_in=dt.timedelta(days=-2))
    cancelled = make_session(
        activity_booking, starts_in=dt.timedelta(days=5), status=Session.Status.CANCELLED, cancel_reason="Sjuk"
    )
    hidden = make_session(other_activity(activity_booking, title="Utkast", published=False))

    response = client.get("/kalender/")

    assert response.status_code == 200
    assert calendar_codes(response) == {str(session_soon.code), str(later.code)}
    assert [s.code for s in response.context["page"].object_list] == [session_soon.code, later.code]
    content = html(response)
    assert "Föreläsning om demens" in content
    assert f"/kalender/{activity_booking.code}/" in content
    assert "Träffpunkten, Storgatan 1" in content
    assert "5 places left" in content
    for absent in (past, cancelled, hidden):
        assert str(absent.code) not in calendar_codes(response)
    assert "Utkast" not in content


def test_calendar_says_how_to_take_part(
    client: Client,
    activity_booking: Activity,
    activity_drop_in: Activity,
    activity_application: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
) -> None:
    make_session(activity_drop_in, starts_in=dt.timedelta(days=4))
    make_session(activity_application, starts_in=dt.timedelta(days=5))
    digital = other_activity(
        activity_booking, title="Webbinarium", capacity=1, place="", digital_link="https://meet.example/x"
    )
    full = make_session(digital, starts_in=dt.timedelta(days=6))
    booking_create(session=full, name="Anna", email="anna@example.se", verified=True)

    content = html(client.get("/kalender/"))

    assert "5 places left" in content
    assert "Full – waitlist" in content
    assert "Drop-in, no registration" in content
    assert "Register interest" in content
    assert "Digital" in content
    assert "meet.example" not in content  # the meeting link goes to the booked, not the calendar


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=cafe", {"cafe"}),
        ("target_group=dementia", {"lecture"}),
        ("format=digital", {"digital"}),
        ("format=on_site", {"lecture", "cafe", "other_unit"}),
        ("language=arabiska", {"digital"}),
        ("unit=sjohaga", {"other_unit"}),
        ("date_from={in_5}", {"cafe", "digital", "other_unit"}),
        ("date_to={in_5}", {"lecture", "cafe"}),
        ("date_from={in_5}&date_to={in_5}", {"cafe"}),
        ("kind=lecture&unit=norra", {"lecture", "digital"}),
    ],
)
def test_calendar_filters(
    client: Client,
    org: Org,
    activity_booking: Activity,
    activity_drop_in: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
    query: str,
    expected: set[str],
) -> None:
    ActivityTargetGroup.objects.create(activity=activity_booking, target_group="dementia")
    ActivityTargetGroup.objects.create(activity=activity_drop_in, target_group="elderly")
    digital = other_activity(
        activity_booking, title="Webbinarium", place="", digital_link="https://meet.example/x", language="arabiska"
    )
    in_other_unit = other_activity(
        activity_booking,
        unit=org.unit_b,
        support_kind=SupportKind.objects.get(municipality=org.unit_b.municipality, code="lecture"),
        title="Föreläsning i Sjöhaga",
    )
    sessions = {
        "lecture": session_soon,  # in 3 days
        "cafe": make_session(activity_drop_in, starts_in=dt.timedelta(days=5)),
        "digital": make_session(digital, starts_in=dt.timedelta(days=7)),
        "other_unit": make_session(in_other_unit, starts_in=dt.timedelta(days=9)),
    }
    in_5 = timezone.localtime(sessions["cafe"].starts_at).date()

    response = client.get("/kalender/?" + query.format(in_5=in_5.isoformat()))

    assert response.status_code == 200
    assert calendar_codes(response) == {str(sessions[name].code) for name in expected}


def test_calendar_filter_form_is_labelled_and_offers_the_units(
    client: Client, activity_booking: Activity, session_soon: Session
) -> None:
    content = html(client.get("/kalender/"))
    for name in ("kind", "target_group", "date_from", "date_to", "format", "language", "unit"):
        assert f'<label for="id_{name}">' in content
    assert '<option value="norra">Anhörigstöd Norra (Ängsviks kommun)</option>' in content
    assert '<option value="svenska">Svenska</option>' in content


def test_calendar_paginates_by_30(
    client: Client, activity_booking: Activity, make_session: Callable[..., Session]
) -> None:
    for hour in range(31):
        make_session(activity_booking, starts_in=dt.timedelta(days=1, hours=hour))

    first = client.get("/kalender/")
    second = client.get("/kalender/?sida=2")

    assert len(first.context["page"].object_list) == 30
    assert len(second.context["page"].object_list) == 1
    assert "sida=2" in html(first)


# --------------------------------------------------------------------------
# The activity page
# --------------------------------------------------------------------------


def test_activity_page(
    client: Client,
    org: Org,
    activity_booking: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
) -> None:
    activity_booking.hearing_loop = True
    activity_booking.save()
    partner = Partner.objects.create(unit=org.unit_a, name="Demensföreningen", organisation_type="patient_association")
    activity_booking.co_organisers.add(partner)
    ActivityTargetGroup.objects.create(activity=activity_booking, target_group="dementia")
    past = make_session(activity_booking, starts_in=dt.timedelta(days=-3))

    response = client.get(f"/kalender/{activity_booking.code}/")

    assert response.status_code == 200
    content = html(response)
    assert h1_count(response) == 1
    for text in (
        "Föreläsning om demens",
        "Välkommen!",
        "Exchange of knowledge",
        "Dementia / cognitive impairment",
        "Svenska",
        "Hearing loop",
        "Träffpunkten, Storgatan 1",
        "Demensföreningen",
        "5 places left",
    ):
        assert text in content, text
    assert f"/kalender/tillfalle/{session_soon.code}/boka/" in content
    assert f"/kalender/tillfalle/{past.code}/boka/" not in content
    assert "/kalender/enhet/norra.ics" in content


def test_unpublished_activity_is_not_found(client: Client, activity_booking: Activity, session_soon: Session) -> None:
    Activity.objects.filter(pk=activity_booking.pk).update(published=False)

    assert client.get(f"/kalender/{activity_booking.code}/").status_code == 404
    assert client.get(f"/kalender/tillfalle/{session_soon.code}/boka/").status_code == 404


# --------------------------------------------------------------------------
# Booking as a visitor: the e-mailed link confirms
# --------------------------------------------------------------------------


def test_visitor_books_and_confirms_by_the_emailed_link(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    form = client.get(f"/kalender/tillfalle/{session_soon.code}/boka/")
    assert form.status_code == 200
    assert 'name="email"' in html(form)
    assert "I need respite (avlösning)" in html(form)

    response = book_as_visitor(client, session_soon, django_capture_on_commit_callbacks, needs_respite="on")

    booking = Booking.objects.get(session=session_soon)
    assert booking.status == Booking.Status.UNVERIFIED
    assert booking.needs_respite is True
    assert booking.email == VISITOR["email"]
    assert response.status_code == 302
    assert response["Location"] == f"/kalender/bokning/{booking.code}/"
    assert str(booking.token) not in response["Location"]

    result = client.get(response["Location"])
    assert "Check your e-mail" in html(result)
    assert "no place is held for you" in html(result)

    assert len(mail.outbox) == 1
    verify_path = f"/boka/bekrafta/{booking.token}/"
    assert verify_path in mail.outbox[0].body
    assert mail.outbox[0].to == [VISITOR["email"]]

    # A mail scanner that opens the link confirms nothing.
    shown = client.get(verify_path)
    assert shown.status_code == 200
    assert "Confirm my booking" in html(shown)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.UNVERIFIED

    # The person opens the link on another device and presses the button.
    phone = Client()
    phone.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = phone.post(verify_path)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/kalender/bokning/{booking.code}/"
    result = phone.get(confirmed["Location"])
    assert "You are booked." in html(result)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].attachments, "the confirmation carries the .ics file"

    for page in (result, shown, client.get(f"/boka/avboka/{booking.token}/")):
        assert VISITOR["name"] not in html(page)
        assert VISITOR["email"] not in html(page)


def test_visitor_must_give_email_or_phone_and_keeps_what_was_typed(client: Client, session_soon: Session) -> None:
    # Issue 12 replaced "the e-mail is required" (PRODUCT §6: an e-mail address or a phone number).
    session_soon.activity.unit.public_phone = "0240-860 00"
    session_soon.activity.unit.save()

    response = client.post(
        f"/kalender/tillfalle/{session_soon.code}/boka/", {"name": "Vera Besökare", "needs_respite": "on"}
    )

    assert response.status_code == 200
    content = html(response)
    assert not Booking.objects.exists()
    assert 'id="id_email_error"' in content
    assert "Give an e-mail address or a phone number, so that we can reach you." in content
    assert 'value="Vera Besökare"' in content
    assert "Questions? Call us on 0240-860 00" in content


def test_booking_twice_says_already_booked_and_keeps_the_values(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    book_as_visitor(client, session_soon, django_capture_on_commit_callbacks)

    again = book_as_visitor(
        client, session_soon, django_capture_on_commit_callbacks, email="VERA.besokare@example.se", needs_respite="on"
    )

    assert again.status_code == 200
    content = html(again)
    assert "You are already booked on this session." in content
    assert 'value="Vera Besökare"' in content
    assert 'value="VERA.besokare@example.se"' in content
    assert 'value="070-123 45 67"' in content
    assert re.search(r'name="needs_respite"[^>]*checked', content)
    assert Booking.objects.filter(session=session_soon).count() == 1
    assert h1_count(again) == 1


def test_full_session_puts_the_visitor_on_the_waitlist(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    Activity.objects.filter(pk=session_soon.activity_id).update(capacity=1)
    booking_create(session=session_soon, name="Anna", email="anna@example.se", verified=True)
    page = client.get(f"/kalender/tillfalle/{session_soon.code}/boka/")
    assert "Full – waitlist" in html(page)
    assert "Join the waitlist" in html(page)

    response = book_as_visitor(client, session_soon, django_capture_on_commit_callbacks)
    booking = Booking.objects.get(email=VISITOR["email"])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/boka/bekrafta/{booking.token}/")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.WAITLISTED
    assert response["Location"] == confirmed["Location"] == f"/kalender/bokning/{booking.code}/"
    result = html(client.get(confirmed["Location"]))
    assert "The session is full. You are number 1 on the waitlist." in result


# --------------------------------------------------------------------------
# Signed in: one click
# --------------------------------------------------------------------------


def test_signed_in_user_books_in_one_click(
    client: Client, carer: User, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(carer)
    activity_page = html(client.get(f"/kalender/{session_soon.activity.code}/"))
    assert f'action="/kalender/tillfalle/{session_soon.code}/boka/"' in activity_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/kalender/tillfalle/{session_soon.code}/boka/", {})

    booking = Booking.objects.get(session=session_soon)
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.user, booking.name, booking.email) == (carer, "Cecilia Anhörig", "cecilia@example.se")
    assert response["Location"] == f"/kalender/bokning/{booking.code}/"
    assert "You are booked." in html(client.get(response["Location"]))
    assert [message.to for message in mail.outbox] == [["cecilia@example.se"]]
    assert "You are booked on this session." in html(client.get(f"/kalender/{session_soon.activity.code}/"))

    again = client.post(f"/kalender/tillfalle/{session_soon.code}/boka/", {"needs_respite": "on"})
    assert "You are already booked on this session." in html(again)


def test_signed_in_user_on_a_full_session_is_told_the_waitlist_number(client: Client, session_soon: Session) -> None:
    Activity.objects.filter(pk=session_soon.activity_id).update(capacity=1)
    booking_create(session=session_soon, name="Anna", email="anna@example.se", verified=True)
    booking_create(session=session_soon, name="Bo", email="bo@example.se", verified=True)
    client.force_login(User.objects.create_user("dora@example.se", full_name="Dora"))

    response = client.post(f"/kalender/tillfalle/{session_soon.code}/boka/", {}, follow=True)

    assert Booking.objects.get(email="dora@example.se").status == Booking.Status.WAITLISTED
    assert "You are number 2 on the waitlist." in html(response)


# --------------------------------------------------------------------------
# Sessions that cannot be booked
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Session.Status.CANCELLED, "cancel_reason": "Sjuk"}, "This session is cancelled"),
        ({"starts_in": dt.timedelta(hours=-1)}, "This session has already started"),
    ],
)
def test_cancelled_or_past_session_shows_a_message_and_no_form(
    client: Client,
    activity_booking: Activity,
    make_session: Callable[..., Session],
    change: dict[str, Any],
    message: str,
) -> None:
    session = make_session(activity_booking, **change)

    page = client.get(f"/kalender/tillfalle/{session.code}/boka/")
    posted = client.post(f"/kalender/tillfalle/{session.code}/boka/", VISITOR)

    for response in (page, posted):
        assert response.status_code == 200
        assert message in html(response)
        assert 'name="email"' not in html(response)
    assert not Booking.objects.exists()


def test_drop_in_session_is_not_booked(
    client: Client, activity_drop_in: Activity, make_session: Callable[..., Session]
) -> None:
    session = make_session(activity_drop_in)

    response = client.get(f"/kalender/tillfalle/{session.code}/boka/")

    assert "No registration: just come." in html(response)
    assert 'name="email"' not in html(response)


# --------------------------------------------------------------------------
# The e-mailed links
# --------------------------------------------------------------------------


def test_cancel_link_frees_the_seat_for_the_next_on_the_waitlist(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    Activity.objects.filter(pk=session_soon.activity_id).update(capacity=1)
    first = booking_create(session=session_soon, name="Anna", email="anna@example.se", verified=True)
    second = booking_create(session=session_soon, name="Bo", email="bo@example.se", verified=True)
    assert second.status == Booking.Status.WAITLISTED
    cancel_path = f"/boka/avboka/{first.token}/"

    shown = client.get(cancel_path)
    assert "Cancel my booking" in html(shown)
    first.refresh_from_db()
    assert first.status == Booking.Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_path)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Booking.Status.CANCELLED
    assert second.status == Booking.Status.CONFIRMED
    assert response["Location"] == f"/kalender/bokning/{first.code}/"
    assert "The booking is cancelled" in html(client.get(response["Location"]))
    assert [message.to for message in mail.outbox] == [["bo@example.se"]]
    # Told in the language the person booked in (Swedish here), not the canceller's.
    assert mail.outbox[0].subject == "Du har fått en plats"

    again = client.get(cancel_path)
    assert "The booking is already cancelled." in html(again)
    assert "Cancel my booking" not in html(again)


def test_cancel_link_after_the_start_cancels_nothing(
    client: Client, activity_booking: Activity, make_session: Callable[..., Session]
) -> None:
    session = make_session(activity_booking, starts_in=dt.timedelta(days=1))
    booking = booking_create(session=session, name="Anna", email="anna@example.se", verified=True)
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - dt.timedelta(days=2))

    response = client.post(f"/boka/avboka/{booking.token}/")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert "already started" in html(response)


@pytest.mark.parametrize("path", ["/boka/bekrafta/{token}/", "/boka/avboka/{token}/"])
def test_a_wrong_link_says_what_to_do(client: Client, db: None, path: str) -> None:
    url = path.format(token="0c0c0c0c-0000-4000-8000-00000000000c")

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert "Book again from the calendar" in html(response)
        assert h1_count(response) == 1


def test_confirm_link_of_a_session_that_has_started(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    book_as_visitor(client, session_soon, django_capture_on_commit_callbacks)
    booking = Booking.objects.get()
    Session.objects.filter(pk=session_soon.pk).update(starts_at=session_soon.starts_at - dt.timedelta(days=4))

    shown = client.get(f"/boka/bekrafta/{booking.token}/")
    posted = client.post(f"/boka/bekrafta/{booking.token}/")

    for response in (shown, posted):
        assert "already started" in html(response)
        assert "Book again from the calendar" in html(response)
        assert "Confirm my booking" not in html(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.UNVERIFIED


def test_result_page_is_only_for_the_browser_that_booked(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    response = book_as_visitor(client, session_soon, django_capture_on_commit_callbacks)

    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 404


# --------------------------------------------------------------------------
# Every page: one <h1>, no personal data
# --------------------------------------------------------------------------


def test_every_page_has_exactly_one_h1(
    client: Client,
    carer: User,
    activity_drop_in: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = book_as_visitor(client, session_soon, django_capture_on_commit_callbacks)
    booking = Booking.objects.get()
    cancelled = make_session(session_soon.activity, status=Session.Status.CANCELLED, cancel_reason="Sjuk")
    urls = [
        "/kalender/",
        "/kalender/?kind=cafe",
        f"/kalender/{session_soon.activity.code}/",
        f"/kalender/{activity_drop_in.code}/",
        f"/kalender/tillfalle/{session_soon.code}/boka/",
        f"/kalender/tillfalle/{cancelled.code}/boka/",
        response["Location"],
        f"/boka/bekrafta/{booking.token}/",
        f"/boka/avboka/{booking.token}/",
    ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert h1_count(page) == 1, url
        assert VISITOR["email"] not in html(page), url
    client.force_login(carer)
    for url in urls[:5]:
        assert h1_count(client.get(url)) == 1, url


# --------------------------------------------------------------------------
# iCal
# --------------------------------------------------------------------------


def test_unit_ical_feed(
    client: Client,
    org: Org,
    activity_booking: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
) -> None:
    past = make_session(activity_booking, starts_in=dt.timedelta(days=-5))
    cancelled = make_session(
        activity_booking, starts_in=dt.timedelta(days=6), status=Session.Status.CANCELLED, cancel_reason="Sjuk"
    )
    hidden = make_session(other_activity(activity_booking, title="Utkast", published=False))

    response = client.get("/kalender/enhet/norra.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"{session_soon.code}@anhorigstod", f"{cancelled.code}@anhorigstod"}
    assert str(events[f"{session_soon.code}@anhorigstod"]["summary"]) == "Föreläsning om demens"
    assert str(events[f"{cancelled.code}@anhorigstod"]["status"]) == "CANCELLED"
    assert f"{past.code}@anhorigstod" not in events
    assert f"{hidden.code}@anhorigstod" not in events

    assert client.get("/kalender/enhet/finns-inte.ics").status_code == 404
    other = Calendar.from_ical(client.get("/kalender/enhet/sjohaga.ics").content)
    assert not other.walk("VEVENT")


def test_booking_and_link_forms_need_the_csrf_token(session_soon: Session) -> None:
    booking = booking_create(session=session_soon, name="Anna", email="anna@example.se")
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(f"/kalender/tillfalle/{session_soon.code}/boka/", VISITOR).status_code == 403
    assert strict.post(f"/boka/bekrafta/{booking.token}/").status_code == 403
    assert strict.post(f"/boka/avboka/{booking.token}/").status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.UNVERIFIED
    assert Booking.objects.count() == 1


def test_token_pages_are_never_cached(session_soon: Session, client: Client) -> None:
    booking = booking_create(session=session_soon, name="Anna", email="anna@example.se")

    for url in (f"/boka/bekrafta/{booking.token}/", f"/boka/avboka/{booking.token}/"):
        assert "no-store" in client.get(url)["Cache-Control"]
