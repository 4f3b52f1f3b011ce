"""The staff pages of activities and sessions (PRODUCT §6), through the client with
literal URLs: creating activities with every attribute, sessions and weekly series,
booking on someone's behalf, attendance and no-shows, head counts, cancelling a
session (everyone told), scoping to the user's units, and query budgets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from contacts.models import Carer, Partner, SupportKind
from groups.models import Activity, ActivityTargetGroup, Booking, Session
from groups.services.booking import booking_create
from tests.conftest import CARER_A, Casework, Org

CONFIRMED, WAITLISTED, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITLISTED, Booking.Status.CANCELLED


def book(session: Session, n: int, **fields: Any) -> Booking:
    values: dict[str, Any] = {"name": f"Person {n} Testsson", "email": f"person{n}@example.se"}
    values.update(fields)
    return booking_create(session=session, verified=True, **values)


def sv(message: str) -> str:
    """The Swedish the user sees for an English source string (the English until translated)."""
    with translation.override("sv"):
        return gettext(message)


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return dict(response.context[form].errors)


def activity_data(kind: SupportKind, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Stödgrupp vid demens",
        "description": "Åtta träffar för dig som är anhörig.",
        "kind": "support_group",
        "support_kind": kind.pk,
        "purpose": "emotional",
        "target_groups": ["dementia", "elderly"],
        "kasam_dimension": "manageability",
        "prevention_level": "selective",
        "language": "svenska",
        "hearing_loop": "on",
        "easy_read": "on",
        "place": "Träffpunkten, Storgatan 1",
        "digital_link": "",
        "registration_mode": "booking",
        "capacity": "8",
        "published": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_past(session: Session, *, hours_ago: float = 2) -> None:
    """Move a session into the past (after booking it, which only a coming session allows)."""
    starts_at = timezone.now() - dt.timedelta(hours=hours_ago)
    Session.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1))
    session.refresh_from_db()


@pytest.fixture
def course_booking(org: Org, casework: Casework, consultant_a: User) -> Activity:
    """A booked course whose kind of support (tier insats) lets a booking name the carer's record."""
    return Activity.objects.create(
        unit=org.unit_a,
        title="Kurs i att vara anhörig",
        description="Fyra kvällar.",
        kind="course",
        support_kind=casework.kinds["course"],
        purpose="knowledge",
        prevention_level="selective",
        place="Biblioteket",
        registration_mode="booking",
        capacity=2,
        created_by=consultant_a,
    )


# --- Activities ----------------------------------------------------------------------------------


def test_a_consultant_creates_an_activity_with_target_groups_and_co_organisers(
    org: Org, casework: Casework, login_as: Any
) -> None:
    partner = Partner.objects.create(unit=org.unit_a, name="Demensföreningen", organisation_type="association")
    client = login_as("consultant_a")
    form_page = client.get("/aktiviteter/ny/")
    offered = {kind.code for kind in form_page.context["form"].fields["support_kind"].queryset}
    assert "support_group" in offered and "individual_talk" not in offered  # talk kinds are not for groups

    response = client.post(
        "/aktiviteter/ny/", activity_data(casework.kinds["support_group"], co_organisers=[partner.pk])
    )

    activity = Activity.objects.get(title="Stödgrupp vid demens")
    assert response.status_code == 302
    assert response["Location"] == f"/aktiviteter/{activity.code}/tillfallen/ny/"
    assert activity.unit == org.unit_a
    assert activity.created_by.email == "karin@angsvik.example"
    assert activity.capacity == 8 and activity.hearing_loop and activity.easy_read and not activity.sign_language
    assert activity.kasam_dimension == "manageability"
    assert set(activity.target_groups.values_list("target_group", flat=True)) == {"dementia", "elderly"}
    assert list(activity.co_organisers.all()) == [partner]

    detail = client.get(f"/aktiviteter/{activity.code}/").content.decode()
    assert "Demensföreningen" in detail
    assert "Stödgrupp (sluten samtalsgrupp)" in detail


def test_changing_the_target_groups_replaces_the_rows(
    activity_booking: Activity, casework: Casework, login_as: Any
) -> None:
    ActivityTargetGroup.objects.create(activity=activity_booking, target_group="dementia")
    client = login_as("consultant_a")
    edit = client.get(f"/aktiviteter/{activity_booking.code}/andra/")
    assert edit.context["form"].initial["target_groups"] == ["dementia"]

    response = client.post(
        f"/aktiviteter/{activity_booking.code}/andra/",
        activity_data(casework.kinds["lecture"], title="Föreläsning om demens", target_groups=["bereaved", "npf"]),
    )

    assert response.status_code == 302
    rows = ActivityTargetGroup.objects.filter(activity=activity_booking)
    assert sorted(rows.values_list("target_group", flat=True)) == ["bereaved", "npf"]


def test_booking_mode_without_a_capacity_is_refused_next_to_the_field(casework: Casework, login_as: Any) -> None:
    client = login_as("consultant_a")
    response = client.post("/aktiviteter/ny/", activity_data(casework.kinds["course"], capacity=""))

    assert response.status_code == 200
    assert field_errors(response) == {"capacity": [sv("Give the number of places: people book until they are taken.")]}
    # Nothing typed is lost.
    html = response.content.decode()
    assert 'value="Stödgrupp vid demens"' in html
    assert "Åtta träffar för dig som är anhörig." in html
    assert not Activity.objects.exists()


def test_a_drop_in_needs_no_capacity_but_a_place_or_a_link(casework: Casework, login_as: Any) -> None:
    client = login_as("consultant_a")
    data = activity_data(casework.kinds["cafe"], registration_mode="drop_in", capacity="", place="")
    response = client.post("/aktiviteter/ny/", data)
    assert field_errors(response) == {"place": [sv("Give a place, a digital link or both.")]}

    response = client.post("/aktiviteter/ny/", {**data, "digital_link": "https://meet.example.se/cafe"})
    assert response.status_code == 302
    assert Activity.objects.get().capacity is None


def test_another_municipalitys_kind_of_support_and_another_units_partner_are_refused(
    org: Org, casework: Casework, login_as: Any
) -> None:
    foreign_kind = SupportKind.objects.get(municipality=org.unit_b.municipality, code="support_group")
    partner_a2 = Partner.objects.create(unit=org.unit_a2, name="Södras partner", organisation_type="association")
    client = login_as("consultant_a")

    response = client.post("/aktiviteter/ny/", activity_data(foreign_kind, co_organisers=[partner_a2.pk]))

    assert set(field_errors(response)) == {"support_kind", "co_organisers"}
    assert not Activity.objects.exists()


def test_raising_the_capacity_gives_the_new_places_to_the_waitlist(
    activity_booking: Activity,
    session_soon: Session,
    casework: Casework,
    login_as: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bookings = [book(session_soon, n) for n in range(7)]
    assert [b.status for b in bookings].count(WAITLISTED) == 2
    client = login_as("consultant_a")
    before = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/aktiviteter/{activity_booking.code}/andra/",
            activity_data(casework.kinds["lecture"], title="Föreläsning om demens", capacity="6"),
        )

    statuses = [Booking.objects.get(pk=b.pk).status for b in bookings]
    assert statuses == [CONFIRMED] * 6 + [WAITLISTED]
    assert [m.to for m in mail.outbox[before:]] == [["person5@example.se"]]


def test_leaving_booking_mode_is_refused_while_coming_sessions_have_bookings(
    activity_booking: Activity, session_soon: Session, casework: Casework, login_as: Any
) -> None:
    book(session_soon, 1)
    client = login_as("consultant_a")
    response = client.post(
        f"/aktiviteter/{activity_booking.code}/andra/",
        activity_data(casework.kinds["lecture"], registration_mode="drop_in", capacity=""),
    )
    assert "registration_mode" in field_errors(response)
    activity_booking.refresh_from_db()
    assert activity_booking.registration_mode == "booking"


# --- Sessions ------------------------------------------------------------------------------------


def test_a_single_session_and_a_six_week_series(activity_application: Activity, login_as: Any) -> None:
    client = login_as("consultant_a")
    url = f"/aktiviteter/{activity_application.code}/tillfallen/ny/"
    first_day = timezone.localdate() + dt.timedelta(days=10)

    single = client.post(url, {"date": first_day, "starts": "10:00", "ends": "12:00", "weeks": "1"})
    assert single.status_code == 302
    assert single["Location"] == f"/aktiviteter/{activity_application.code}/"
    assert activity_application.sessions.count() == 1

    series_start = first_day + dt.timedelta(days=1)
    client.post(url, {"date": series_start, "starts": "18:00", "ends": "20:00", "weeks": "6", "place": "Rum 2"})

    series = list(activity_application.sessions.filter(place="Rum 2").order_by("starts_at"))
    assert len(series) == 6
    local = [timezone.localtime(session.starts_at) for session in series]
    assert [moment.date() for moment in local] == [series_start + dt.timedelta(weeks=n) for n in range(6)]
    # Same local time every week, whatever summer time does in between.
    assert {(moment.hour, moment.minute) for moment in local} == {(18, 0)}
    assert {timezone.localtime(s.ends_at).hour for s in series} == {20}

    page = client.get(f"/aktiviteter/{activity_application.code}/")
    assert len(page.context["sessions"]) == 7


def test_bad_session_input_is_refused_next_to_the_field(activity_application: Activity, login_as: Any) -> None:
    client = login_as("consultant_a")
    url = f"/aktiviteter/{activity_application.code}/tillfallen/ny/"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {"date": yesterday, "starts": "10:00", "ends": "12:00", "weeks": "1"})
    assert set(field_errors(response)) == {"date"}

    later = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(url, {"date": later, "starts": "12:00", "ends": "11:00", "weeks": "60"})
    assert set(field_errors(response)) == {"ends", "weeks"}
    assert 'value="12:00"' in response.content.decode()  # nothing typed lost
    assert not activity_application.sessions.exists()


# --- Booking on someone's behalf -----------------------------------------------------------------


def test_staff_book_a_registered_carer_by_their_number(
    course_booking: Activity,
    make_session: Callable[..., Session],
    casework: Casework,
    consultant_a: User,
    login_as: Any,
) -> None:
    session = make_session(course_booking)
    client = login_as("consultant_a")

    response = client.post(
        f"/tillfallen/{session.code}/boka/", {"name": "", "phone": "070-123 45 67", "carer_number": "A-00001"}
    )

    assert response.status_code == 302
    booking = Booking.objects.get(session=session)
    assert booking.status == CONFIRMED  # booked by staff: no e-mail link to wait for
    assert booking.carer == casework.carer_a
    assert booking.name == "Gunnel Testsson"  # taken from the record
    assert booking.booked_by_staff == consultant_a
    assert AccessLog.objects.filter(
        action="create", record_code=str(booking.code), subject_code=CARER_A, actor=consultant_a
    ).exists()


def test_staff_book_someone_who_called_and_the_full_session_puts_them_on_the_waitlist(
    course_booking: Activity, make_session: Callable[..., Session], login_as: Any
) -> None:
    session = make_session(course_booking)
    book(session, 1)
    book(session, 2)
    client = login_as("consultant_a")

    client.post(
        f"/tillfallen/{session.code}/boka/", {"name": "Sven Svensson", "phone": "0701234567", "needs_respite": "on"}
    )

    booking = Booking.objects.get(session=session, name="Sven Svensson")
    assert booking.status == WAITLISTED and booking.needs_respite and booking.email == ""
    page = client.get(f"/tillfallen/{session.code}/")
    waiting = page.context["participants"].waitlist
    assert [(b.name, b.position) for b in waiting] == [("Sven Svensson", 1)]
    assert page.context["participants"].needs_respite == 1
    listed = client.get("/aktiviteter/").context["page"]
    assert [(a.title, a.next_booked, a.next_waitlisted, a.upcoming_count) for a in listed] == [
        ("Kurs i att vara anhörig", 2, 1, 1)
    ]


def test_staff_booking_errors_stand_next_to_the_fields_and_keep_what_was_typed(
    course_booking: Activity, make_session: Callable[..., Session], login_as: Any
) -> None:
    session = make_session(course_booking)
    client = login_as("consultant_a")

    response = client.post(f"/tillfallen/{session.code}/boka/", {"name": "Sven Svensson", "carer_number": "A-99999"})

    assert response.status_code == 200
    assert set(field_errors(response, "booking_form")) == {"phone", "carer_number"}
    assert 'value="Sven Svensson"' in response.content.decode()
    assert not Booking.objects.exists()

    book(session, 1, email="", phone="0701234567")
    response = client.post(f"/tillfallen/{session.code}/boka/", {"name": "Sven", "phone": "+46 70 123 45 67"})
    assert response.context["booking_form"].non_field_errors() == [
        sv("This person is already booked on this session (the same e-mail address or phone number).")
    ]


def test_an_open_activity_is_never_linked_to_a_carers_record(session_soon: Session, login_as: Any) -> None:
    # activity_booking's kind is a lecture (tier information): no identity may be recorded.
    client = login_as("consultant_a")
    page = client.get(f"/tillfallen/{session_soon.code}/")
    assert "carer_number" not in page.context["booking_form"].fields

    client.post(f"/tillfallen/{session_soon.code}/boka/", {"name": "Eva", "phone": "0701", "carer_number": "A-00001"})
    assert Booking.objects.get().carer is None


def test_staff_cancel_a_booking_and_the_first_on_the_waitlist_gets_the_seat(
    course_booking: Activity, make_session: Callable[..., Session], login_as: Any
) -> None:
    session = make_session(course_booking)
    first, _second, waiting = book(session, 1), book(session, 2), book(session, 3)
    client = login_as("consultant_a")

    response = client.post(f"/bokningar/{first.code}/avboka/")

    assert response["Location"] == f"/tillfallen/{session.code}/"
    assert Booking.objects.get(pk=first.pk).status == CANCELLED
    assert Booking.objects.get(pk=waiting.pk).status == CONFIRMED


# --- Attendance and head counts ------------------------------------------------------------------


def test_marking_attendance_counts_the_no_shows(session_soon: Session, login_as: Any) -> None:
    came_1, came_2, stayed_away = (book(session_soon, n) for n in range(3))
    client = login_as("consultant_a")
    url = f"/tillfallen/{session_soon.code}/narvaro/"
    shown = [str(b.code) for b in (came_1, came_2, stayed_away)]

    # Not before the day of the session.
    client.post(url, {"shown": shown, "present": shown})
    assert set(Booking.objects.values_list("attended", flat=True)) == {None}

    make_past(session_soon)
    late = book_directly_confirmed(session_soon, 9)  # got a seat after the list was opened
    response = client.post(url, {"shown": shown, "present": [str(came_1.code), str(came_2.code)]})

    assert response.status_code == 302
    attended = dict(Booking.objects.values_list("pk", "attended"))
    assert attended == {came_1.pk: True, came_2.pk: True, stayed_away.pk: False, late.pk: None}
    page = client.get(f"/tillfallen/{session_soon.code}/")
    assert page.context["participants"].no_shows == 1
    assert page.context["participants"].attended == 2
    activity_page = client.get(f"/aktiviteter/{session_soon.activity.code}/")
    assert [(s.attended, s.no_shows) for s in activity_page.context["sessions"]] == [(2, 1)]


def book_directly_confirmed(session: Session, n: int) -> Booking:
    return Booking.objects.create(
        session=session, status=CONFIRMED, name=f"Sen {n}", email=f"sen{n}@example.se", person_key=f"sen{n}@example.se"
    )


def test_a_drop_in_session_records_its_head_count_and_respite(
    activity_drop_in: Activity, make_session: Callable[..., Session], login_as: Any
) -> None:
    today = make_session(activity_drop_in, starts_in=-dt.timedelta(hours=1), hours=2)
    client = login_as("consultant_a")
    url = f"/tillfallen/{today.code}/antal/"

    response = client.post(url, {"head_count": "-3", "respite_arranged": "1"})
    assert response.status_code == 200
    assert set(field_errors(response, "counts_form")) == {"head_count"}
    assert 'value="-3"' in response.content.decode()

    response = client.post(url, {"head_count": "14", "respite_arranged": "2"})
    assert response.status_code == 302
    today.refresh_from_db()
    assert (today.head_count, today.respite_arranged) == (14, 2)
    assert "14" in client.get(f"/aktiviteter/{activity_drop_in.code}/").content.decode()


def test_a_head_count_waits_for_the_day_of_the_session(
    activity_drop_in: Activity, make_session: Callable[..., Session], login_as: Any
) -> None:
    coming = make_session(activity_drop_in, starts_in=dt.timedelta(days=3))
    client = login_as("consultant_a")
    client.post(f"/tillfallen/{coming.code}/antal/", {"head_count": "14", "respite_arranged": "0"})
    coming.refresh_from_db()
    assert coming.head_count is None


# --- Cancelling a session ------------------------------------------------------------------------


def test_cancelling_a_session_cancels_every_booking_and_tells_everyone(
    session_soon: Session, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Activity.objects.filter(pk=session_soon.activity_id).update(capacity=2)
    bookings = [book(session_soon, n) for n in range(3)]
    assert bookings[2].status == WAITLISTED
    client = login_as("consultant_a")
    url = f"/tillfallen/{session_soon.code}/stall-in/"

    page = client.get(url)
    assert page.status_code == 200 and page.context["told"] == 3
    refused = client.post(url, {"cancel_reason": "  "})
    assert set(field_errors(refused)) == {"cancel_reason"}

    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"cancel_reason": "Föreläsaren är sjuk."})

    assert response["Location"] == f"/tillfallen/{session_soon.code}/"
    session_soon.refresh_from_db()
    assert session_soon.status == Session.Status.CANCELLED
    assert set(Booking.objects.values_list("status", flat=True)) == {CANCELLED}
    sent = mail.outbox[before:]
    assert sorted(address for message in sent for address in message.to) == [
        "person0@example.se",
        "person1@example.se",
        "person2@example.se",
    ]
    assert all("Föreläsaren är sjuk." in message.body for message in sent)


# --- Scoping -------------------------------------------------------------------------------------


def test_another_municipalitys_consultant_gets_404_on_unit_a(
    session_soon: Session, activity_booking: Activity, login_as: Any
) -> None:
    booking = book(session_soon, 1)
    client = login_as("consultant_b")
    gets = [
        f"/aktiviteter/{activity_booking.code}/",
        f"/aktiviteter/{activity_booking.code}/andra/",
        f"/aktiviteter/{activity_booking.code}/tillfallen/ny/",
        f"/tillfallen/{session_soon.code}/",
        f"/tillfallen/{session_soon.code}/stall-in/",
    ]
    posts = [
        f"/tillfallen/{session_soon.code}/boka/",
        f"/tillfallen/{session_soon.code}/narvaro/",
        f"/tillfallen/{session_soon.code}/antal/",
        f"/tillfallen/{session_soon.code}/stall-in/",
        f"/bokningar/{booking.code}/avboka/",
    ]
    assert {url: client.get(url).status_code for url in gets} == dict.fromkeys(gets, 404)
    data = {"name": "X", "phone": "1", "cancel_reason": "x", "head_count": "1", "respite_arranged": "1"}
    assert {url: client.post(url, data).status_code for url in posts} == dict.fromkeys(posts, 404)
    assert Booking.objects.get().status == CONFIRMED
    assert client.get("/aktiviteter/").context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("carer", 403), ("admin_a", 403), ("manager_a", 200), ("consultant_a", 200)],
)
def test_who_reaches_the_pages(session_soon: Session, persona: str, expected: int, login_as: Any) -> None:
    client = login_as(persona)
    for url in ("/aktiviteter/", f"/aktiviteter/{session_soon.activity.code}/", f"/tillfallen/{session_soon.code}/"):
        assert client.get(url).status_code == expected, url


# --- Logging, queries and markup -----------------------------------------------------------------


def test_viewing_the_participants_logs_one_row_per_booking_shown(
    session_soon: Session, consultant_a: User, login_as: Any
) -> None:
    bookings = [book(session_soon, n) for n in range(3)]
    client = login_as("consultant_a")
    client.get(f"/tillfallen/{session_soon.code}/")
    logged = AccessLog.objects.filter(action="view", record_type="groups.booking", actor=consultant_a)
    assert sorted(logged.values_list("record_code", flat=True)) == sorted(str(b.code) for b in bookings)
    assert set(logged.values_list("unit", flat=True)) == {session_soon.activity.unit_id}


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_rows(
    org: Org,
    casework: Casework,
    activity_booking: Activity,
    session_soon: Session,
    make_session: Callable[..., Session],
    login_as: Any,
) -> None:
    client = login_as("consultant_a")
    book(session_soon, 0)
    _queries(client, "/aktiviteter/")  # warm caches (sessions, content types)
    small = {
        "list": _queries(client, "/aktiviteter/"),
        "activity": _queries(client, f"/aktiviteter/{activity_booking.code}/"),
        "session": _queries(client, f"/tillfallen/{session_soon.code}/"),
    }

    for n in range(5):
        other = Activity.objects.create(
            unit=org.unit_a,
            title=f"Aktivitet {n}",
            description="-",
            kind="lecture",
            support_kind=casework.kinds["lecture"],
            purpose="knowledge",
            prevention_level="universal",
            place="Här",
            registration_mode="booking",
            capacity=3,
            created_by=activity_booking.created_by,
        )
        book(make_session(other), 100 + n)
        make_session(activity_booking, starts_in=dt.timedelta(days=4 + n))
    for n in range(1, 9):
        # Linked records and staff bookers too: each would be a query per row if not joined.
        carer = Carer.objects.create(
            unit=org.unit_a, number=100 + n, first_name=f"Anhörig {n}", last_entry_at=timezone.now()
        )
        book(session_soon, n, carer=carer, booked_by_staff=activity_booking.created_by, needs_respite=n % 2 == 0)

    large = {
        "list": _queries(client, "/aktiviteter/"),
        "activity": _queries(client, f"/aktiviteter/{activity_booking.code}/"),
        "session": _queries(client, f"/tillfallen/{session_soon.code}/"),
    }
    assert large == small


def test_every_page_has_exactly_one_h1(
    session_soon: Session, activity_drop_in: Activity, make_session: Callable[..., Session], login_as: Any
) -> None:
    book(session_soon, 1)
    drop_in = make_session(activity_drop_in, starts_in=-dt.timedelta(hours=1))
    client = login_as("consultant_a")
    code = session_soon.activity.code
    urls = [
        "/aktiviteter/",
        "/aktiviteter/ny/",
        f"/aktiviteter/{code}/",
        f"/aktiviteter/{code}/andra/",
        f"/aktiviteter/{code}/tillfallen/ny/",
        f"/tillfallen/{session_soon.code}/",
        f"/tillfallen/{session_soon.code}/stall-in/",
        f"/tillfallen/{drop_in.code}/",
    ]
    counts = {url: h1_count(client.get(url)) for url in urls}
    assert counts == dict.fromkeys(urls, 1)
