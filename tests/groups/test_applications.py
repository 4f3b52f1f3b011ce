"""Application mode (PRODUCT §6), through the client with literal URLs: a carer
registers interest in a closed group, the same person cannot register twice, the
consultant changes priorities (never without a reason, always logged), admits people —
booked on every coming session, waitlisted where a session is full — and tells the rest
"not this time". Another municipality's consultant never sees the list.

Pages are read in English (the language switch's cookie) so the assertions do not
depend on the Swedish catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from django.core.exceptions import ValidationError
from django.test import Client

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from groups.models import Activity, Application, Booking, PriorityChange, Session
from groups.services.applications import application_create, application_set_priority

INTERESTED, ADMITTED = Application.Status.INTERESTED, Application.Status.ADMITTED
NOT_ADMITTED = Application.Status.NOT_ADMITTED
CONFIRMED, WAITLISTED = Booking.Status.CONFIRMED, Booking.Status.WAITLISTED
VISITOR = {
    "name": "Vera  Besökare",
    "email": "Vera.Besokare@example.se",
    "phone": "070-123 45 67",
    "message": "Jag kan inte komma på måndagar.",
}


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def html(response: Any) -> str:
    return response.content.decode()


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", html(response)))


def apply(activity: Activity, n: int, **fields: Any) -> Application:
    values: dict[str, Any] = {"name": f"Person {n} Testsson", "email": f"person{n}@example.se"}
    values.update(fields)
    return application_create(activity=activity, **values)


def applications_url(activity: Activity) -> str:
    return f"/aktiviteter/{activity.code}/ansokningar/"


# --- Registering interest ------------------------------------------------------------------------


def test_a_visitor_registers_interest_and_is_thanked_without_a_name_in_the_url(
    client: Client, activity_application: Activity, make_session: Callable[..., Session]
) -> None:
    make_session(activity_application, starts_in=dt.timedelta(days=10))
    url = f"/kalender/{activity_application.code}/intresse/"
    page = client.get(url)
    assert page.status_code == 200 and h1_count(page) == 1
    assert "Stödgrupp för anhöriga till personer med demens" in html(page)

    response = client.post(url, VISITOR)

    assert response.status_code == 302
    assert response["Location"] == f"/kalender/{activity_application.code}/intresse/tack/"
    application = Application.objects.get()
    assert (application.activity, application.status) == (activity_application, INTERESTED)
    assert (application.name, application.email, application.phone) == (
        "Vera Besökare",
        "Vera.Besokare@example.se",
        "070-123 45 67",
    )
    assert application.person_key == "vera.besokare@example.se"
    assert application.message == "Jag kan inte komma på måndagar."
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and h1_count(thanks) == 1
    assert "Thank you for your interest" in html(thanks)
    assert "Vera" not in html(thanks)


@pytest.mark.parametrize("other", ["activity_booking", "activity_drop_in"])
def test_only_an_activity_in_application_mode_takes_interest(
    client: Client, other: str, request: pytest.FixtureRequest
) -> None:
    activity: Activity = request.getfixturevalue(other)

    assert client.get(f"/kalender/{activity.code}/intresse/").status_code == 404
    assert client.post(f"/kalender/{activity.code}/intresse/", VISITOR).status_code == 404
    assert client.get(f"/kalender/{activity.code}/intresse/tack/").status_code == 404
    assert not Application.objects.exists()


def test_an_unpublished_group_takes_no_interest(client: Client, activity_application: Activity) -> None:
    Activity.objects.filter(pk=activity_application.pk).update(published=False)

    assert client.get(f"/kalender/{activity_application.code}/intresse/").status_code == 404


def test_a_phone_number_is_enough_and_a_name_with_neither_is_refused(
    client: Client, activity_application: Activity
) -> None:
    url = f"/kalender/{activity_application.code}/intresse/"

    refused = client.post(url, {"name": "Bo Lind", "email": "", "phone": ""})
    assert refused.status_code == 200
    assert "Give an e-mail address or a phone number" in html(refused)
    assert not Application.objects.exists()

    accepted = client.post(url, {"name": "Bo Lind", "email": "", "phone": "+46 70 111 22 33"})
    assert accepted.status_code == 302
    assert Application.objects.get().person_key == "tel:0701112233"


@pytest.mark.parametrize(
    "again",
    [
        {"email": "VERA.BESOKARE@example.se", "phone": ""},
        {"email": "", "phone": "+46701234567", "first": {"email": "", "phone": "070-123 45 67"}},
    ],
    ids=["same-email-other-case", "same-phone-other-format"],
)
def test_the_same_person_cannot_register_twice_and_keeps_what_they_typed(
    client: Client, activity_application: Activity, again: dict[str, Any]
) -> None:
    url = f"/kalender/{activity_application.code}/intresse/"
    first = {**VISITOR, **again.pop("first", {})}
    assert client.post(url, first).status_code == 302
    typed = {**VISITOR, "name": "Vera B.", "message": "Andra gången jag skriver.", **again}

    response = client.post(url, typed)

    assert response.status_code == 200
    assert "You have already registered your interest in this group." in html(response)
    assert Application.objects.count() == 1
    form = response.context["form"]
    assert form.data["name"] == "Vera B." and form.data["message"] == "Andra gången jag skriver."
    assert 'value="Vera B."' in html(response) and "Andra gången jag skriver." in html(response)


def test_a_person_not_admitted_last_time_may_register_again(activity_application: Activity) -> None:
    earlier = apply(activity_application, 1)
    Application.objects.filter(pk=earlier.pk).update(status=NOT_ADMITTED)

    again = apply(activity_application, 1)

    assert again.pk != earlier.pk and again.status == INTERESTED


def test_a_signed_in_user_finds_the_form_filled_in(client: Client, activity_application: Activity, carer: User) -> None:
    client.force_login(carer)

    page = client.get(f"/kalender/{activity_application.code}/intresse/")

    assert page.context["form"].initial == {"name": "Cecilia Anhörig", "email": "cecilia@example.se"}
    assert 'value="Cecilia Anhörig"' in html(page) and 'value="cecilia@example.se"' in html(page)


# --- The consultant's list -----------------------------------------------------------------------


@pytest.fixture
def three(activity_application: Activity) -> list[Application]:
    return [apply(activity_application, n) for n in (1, 2, 3)]


def test_the_list_is_in_priority_order_and_every_application_shown_is_logged(
    activity_application: Activity, three: list[Application], consultant_a: User, login_as: Any
) -> None:
    Application.objects.filter(pk=three[2].pk).update(priority=5)

    page = login_as("consultant_a").get(applications_url(activity_application))

    assert page.status_code == 200 and h1_count(page) == 1
    assert [a.name for a in page.context["applications"]] == [
        "Person 3 Testsson",
        "Person 1 Testsson",
        "Person 2 Testsson",
    ]
    body = html(page)
    assert body.index("Person 3 Testsson") < body.index("Person 1 Testsson") < body.index("Person 2 Testsson")
    logged = AccessLog.objects.filter(actor=consultant_a, action="view", record_type="groups.application")
    assert sorted(logged.values_list("record_code", flat=True)) == sorted(str(a.code) for a in three)
    assert {row.unit_id for row in logged} == {activity_application.unit_id}


@pytest.mark.parametrize(
    ("persona", "status"), [("consultant_b", 404), ("admin_a", 403), ("carer", 403), ("manager_a", 200)]
)
def test_who_sees_the_list(
    activity_application: Activity, three: list[Application], login_as: Any, persona: str, status: int
) -> None:
    assert login_as(persona).get(applications_url(activity_application)).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, activity_application: Activity) -> None:
    response = client.get(applications_url(activity_application))

    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_another_municipalitys_consultant_can_change_nothing(
    activity_application: Activity,
    three: list[Application],
    make_session: Callable[..., Session],
    login_as: Any,
) -> None:
    make_session(activity_application)
    client = login_as("consultant_b")
    url = applications_url(activity_application)
    code = str(three[0].code)

    posts = [
        {"action": "priority", "application": code, "priority": "1", "reason": "Förtur."},
        {"application": code, "decision": "admit"},
        {"application": code, "decision": "decline"},
    ]

    assert [client.post(url, data).status_code for data in posts] == [404, 404, 404]
    assert set(Application.objects.values_list("status", "priority")) == {(INTERESTED, 100)}
    assert not Booking.objects.exists() and not PriorityChange.objects.exists()


# --- Priorities ---------------------------------------------------------------------------------


def test_a_priority_change_needs_a_reason(
    activity_application: Activity, three: list[Application], login_as: Any
) -> None:
    client = login_as("consultant_a")

    response = client.post(
        applications_url(activity_application),
        {"action": "priority", "application": str(three[2].code), "priority": "1", "reason": "   "},
    )

    assert response.status_code == 200 and h1_count(response) == 1
    assert "reason" in response.context["priority_form"].errors
    assert Application.objects.get(pk=three[2].pk).priority == 100
    assert not PriorityChange.objects.exists()


def test_the_service_refuses_a_change_without_a_reason_too(
    activity_application: Activity, three: list[Application], consultant_a: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        application_set_priority(application=three[0], priority=1, reason="", by=consultant_a)

    assert "reason" in refused.value.message_dict
    assert not PriorityChange.objects.exists()


def test_a_priority_change_is_kept_with_who_when_and_why_and_logged(
    activity_application: Activity, three: list[Application], consultant_a: User, login_as: Any
) -> None:
    client = login_as("consultant_a")
    url = applications_url(activity_application)

    response = client.post(
        url,
        {
            "action": "priority",
            "application": str(three[2].code),
            "priority": "1",
            "reason": "Stod på väntelistan till förra gruppen.",
        },
    )

    assert response.status_code == 302 and response["Location"] == url
    change = PriorityChange.objects.get()
    assert (change.application_id, change.old_priority, change.new_priority) == (three[2].pk, 100, 1)
    assert (change.reason, change.changed_by) == ("Stod på väntelistan till förra gruppen.", consultant_a)
    assert change.changed_at is not None
    assert AccessLog.objects.filter(
        actor=consultant_a, action="update", record_type="groups.application", record_code=str(three[2].code)
    ).exists()
    page = client.get(url)
    assert page.context["applications"][0].pk == three[2].pk
    history = list(page.context["history"])
    assert history == [change]
    assert "Stod på väntelistan till förra gruppen." in html(page)


# --- Admitting ----------------------------------------------------------------------------------


def test_admitting_books_the_person_on_every_coming_session(
    activity_application: Activity,
    three: list[Application],
    consultant_a: User,
    make_session: Callable[..., Session],
    login_as: Any,
) -> None:
    coming = [make_session(activity_application, starts_in=dt.timedelta(days=7 * week)) for week in (1, 2, 3)]
    past = make_session(activity_application, starts_in=-dt.timedelta(days=7))
    cancelled = make_session(
        activity_application, starts_in=dt.timedelta(days=28), status=Session.Status.CANCELLED, cancel_reason="Sjuk"
    )
    client = login_as("consultant_a")

    response = client.post(
        applications_url(activity_application), {"application": str(three[1].code), "decision": "admit"}
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=three[1].pk).status == ADMITTED
    bookings = Booking.objects.filter(person_key="person2@example.se")
    assert sorted(b.session_id for b in bookings) == sorted(s.pk for s in coming)
    assert {(b.status, b.name, b.booked_by_staff_id) for b in bookings} == {
        (CONFIRMED, "Person 2 Testsson", consultant_a.pk)
    }
    assert not Booking.objects.filter(session__in=[past, cancelled]).exists()
    assert AccessLog.objects.filter(actor=consultant_a, action="create", record_type="groups.booking").count() == 3
    page = client.get(applications_url(activity_application))
    assert "booked on 3 coming sessions" in html(page)


def test_admitting_waitlists_the_person_where_a_session_is_full(
    activity_application: Activity,
    three: list[Application],
    make_session: Callable[..., Session],
    login_as: Any,
) -> None:
    Activity.objects.filter(pk=activity_application.pk).update(capacity=2)
    first, second = (make_session(activity_application, starts_in=dt.timedelta(days=d)) for d in (7, 14))
    client = login_as("consultant_a")
    url = applications_url(activity_application)
    for application in three[:2]:
        assert client.post(url, {"application": str(application.code), "decision": "admit"}).status_code == 302
    # Someone leaves the second session, so it has a seat again.
    from groups.services.booking import booking_cancel

    booking_cancel(booking=Booking.objects.get(session=second, person_key="person1@example.se"))

    client.post(url, {"application": str(three[2].code), "decision": "admit"})

    third = {b.session_id: b.status for b in Booking.objects.filter(person_key="person3@example.se")}
    assert third == {first.pk: WAITLISTED, second.pk: CONFIRMED}
    assert Booking.objects.filter(session=first, status=CONFIRMED).count() == 2  # never over capacity
    assert "1 of them is full" in html(client.get(url))


def test_admitting_someone_already_booked_on_a_session_books_the_rest(
    activity_application: Activity,
    three: list[Application],
    consultant_a: User,
    make_session: Callable[..., Session],
) -> None:
    from groups.services.applications import application_admit
    from groups.services.booking import booking_create

    sessions = [make_session(activity_application, starts_in=dt.timedelta(days=d)) for d in (7, 14)]
    booking_create(
        session=sessions[0], name="Person 1", email="PERSON1@example.se", booked_by_staff=consultant_a, verified=True
    )

    admission = application_admit(application=three[0], by=consultant_a)

    assert (len(admission.bookings), admission.already_booked) == (1, 1)
    assert Booking.objects.filter(person_key="person1@example.se").count() == 2


def test_not_admitted_this_time(
    activity_application: Activity,
    three: list[Application],
    consultant_a: User,
    make_session: Callable[..., Session],
    login_as: Any,
) -> None:
    make_session(activity_application)
    client = login_as("consultant_a")

    response = client.post(
        applications_url(activity_application), {"application": str(three[0].code), "decision": "decline"}
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=three[0].pk).status == NOT_ADMITTED
    assert not Booking.objects.exists()
    assert AccessLog.objects.filter(actor=consultant_a, action="update", record_code=str(three[0].code)).exists()
    page = client.get(applications_url(activity_application))
    assert "Not admitted this time" in html(page)
    # Declining twice is refused: only an application waiting for a decision can be declined.
    client.post(applications_url(activity_application), {"application": str(three[0].code), "decision": "decline"})
    assert "Only an application that is waiting for a decision" in html(
        client.get(applications_url(activity_application))
    )


def test_an_admitted_application_is_not_admitted_twice(
    activity_application: Activity,
    three: list[Application],
    make_session: Callable[..., Session],
    login_as: Any,
) -> None:
    make_session(activity_application)
    client = login_as("consultant_a")
    url = applications_url(activity_application)
    data = {"application": str(three[0].code), "decision": "admit"}
    client.post(url, data)

    client.post(url, data)

    assert Booking.objects.count() == 1
    assert "Only an application that is not yet admitted" in html(client.get(url))


def test_the_list_page_reads_a_fixed_number_of_queries(
    activity_application: Activity,
    consultant_a: User,
    login_as: Any,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as("consultant_a")
    url = applications_url(activity_application)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    apply(activity_application, 1)
    application_set_priority(application=Application.objects.get(), priority=3, reason="Förtur.", by=consultant_a)
    few = queries()
    for n in range(2, 12):
        application = apply(activity_application, n)
        application_set_priority(application=application, priority=n + 3, reason="Ordning.", by=consultant_a)

    assert queries() == few


def test_an_activity_not_in_application_mode_has_a_read_only_list(
    activity_booking: Activity, session_soon: Session, login_as: Any
) -> None:
    """An activity switched from applications to booking keeps its list, but nobody is admitted from it."""
    application = Application.objects.create(
        activity=activity_booking, name="Person 1 Testsson", email="person1@example.se", person_key="person1@example.se"
    )
    client = login_as("consultant_a")
    url = applications_url(activity_booking)

    page = client.get(url)
    client.post(url, {"application": str(application.code), "decision": "admit"})

    assert page.status_code == 200 and h1_count(page) == 1
    assert "Person 1 Testsson" in html(page) and 'value="admit"' not in html(page)
    assert Application.objects.get().status == INTERESTED and not Booking.objects.exists()
    assert "This activity does not take applications." in html(client.get(url))
