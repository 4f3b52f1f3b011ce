"""Issue 12: one phone-number normalisation (E.164, Swedish by default), bookings by
phone only on the public form, and the e-mail after staff cancel a booking."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from anhorigstod.accounts.models import User
from anhorigstod.lib.phone import phone_display, phone_normalise, phone_written
from groups.models import Activity, Booking, Session
from groups.services.activities import staff_booking_create
from groups.services.booking import booking_create

SAME_NUMBER = ["070-123 45 67", "+46 70 123 45 67", "0046701234567", "070 1234567", "+46 (0)70-123 45 67"]


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def html(response: Any) -> str:
    return response.content.decode()


# --- The one normalisation --------------------------------------------------------------


@pytest.mark.parametrize("written", SAME_NUMBER)
def test_every_way_of_writing_a_swedish_number_gives_one_e164_form(written: str) -> None:
    assert phone_normalise(written) == "+46701234567"


def test_foreign_numbers_keep_their_country_and_empty_stays_empty() -> None:
    assert phone_written("+47 912 34 567") == "+4791234567"
    assert phone_written("0046 8 123 456 78") == "08-1234 56 78"
    assert phone_normalise("+47 912 34 567") == "+4791234567"
    assert phone_normalise("0047 912 34 567") == "+4791234567"
    assert phone_normalise("  ") == ""
    assert phone_display("+46701234567") == "070-123 45 67"


@pytest.mark.parametrize("written", ["ring mig", "701234567", "070", "+46 70 123 45 67 89 01 23"])
def test_what_is_not_a_phone_number_is_refused_in_swedish(written: str) -> None:
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        phone_normalise(written)
    assert error.value.messages == ["Ange numret med riktnummer, till exempel 070-123 45 67."]


# --- The same person counts once ------------------------------------------------------------


def test_ten_staff_bookings_of_one_number_in_different_formats_give_one_row(
    session_soon: Session, consultant_a: User
) -> None:
    formats = [*SAME_NUMBER, "0701234567", "070-12 34 567", "+46701234567", "0046 70 123 45 67", "070.123.45.67"]
    refused = 0
    for n, written in enumerate(formats):
        try:
            staff_booking_create(session=session_soon, booked_by=consultant_a, name=f"Sven {n}", phone=written)
        except ValidationError:
            refused += 1

    assert len(formats) == 10 and refused == 9
    assert list(Booking.objects.filter(session=session_soon).values_list("phone", "person_key")) == [
        ("070-123 45 67", "tel:0701234567")
    ]


def test_the_data_migration_normalises_rows_written_before(session_soon: Session, make_session: Any) -> None:
    other = make_session(session_soon.activity)
    raw = [
        (session_soon, "0046 70 111 22 33", "tel:0046701112233"),
        (session_soon, "070-111 22 33", "tel:0701112233"),  # the same person: keeps its key
        (other, "+46 70 999 88 77", "tel:0709998877"),
        (other, "okänt", ""),
    ]
    for n, (session, phone, key) in enumerate(raw):
        Booking.objects.create(
            session=session, status=Booking.Status.CONFIRMED, name=f"P{n}", phone=phone, person_key=key or f"x{n}"
        )
    migration = importlib.import_module("groups.migrations.0002_normalise_booking_phone_numbers")

    migration.normalise(apps, None)

    rows = list(Booking.objects.order_by("pk").values_list("phone", "person_key"))
    assert rows == [
        # Its new key would make it a second active booking of the same person: it keeps the old.
        ("070-111 22 33", "tel:0046701112233"),
        ("070-111 22 33", "tel:0701112233"),
        ("070-999 88 77", "tel:0709998877"),
        ("okänt", "x3"),
    ]


# --- Booking by phone only on the public form ------------------------------------------------


def test_a_visitor_books_with_a_phone_number_only_and_sees_the_reference(
    client: Client, session_soon: Session, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kalender/tillfalle/{session_soon.code}/boka/", {"name": "Tage Telefon", "phone": "0046 70 555 44 33"}
        )

    booking = Booking.objects.get(session=session_soon)
    assert response["Location"] == f"/kalender/bokning/{booking.code}/"
    assert (booking.status, booking.email, booking.phone) == (Booking.Status.CONFIRMED, "", "070-555 44 33")
    page = html(client.get(response["Location"]))
    assert "You are booked." in page
    assert f"<strong>{booking.reference}</strong>" in page
    assert "To cancel, call us and give the reference" in page
    assert "Tage" not in page and "555" not in page
    assert mail.outbox == []


def test_a_bad_phone_number_is_refused_and_nothing_typed_is_lost(client: Client, session_soon: Session) -> None:
    response = client.post(
        f"/kalender/tillfalle/{session_soon.code}/boka/", {"name": "Tage Telefon", "phone": "ring efter 5"}
    )

    assert response.status_code == 200
    assert not Booking.objects.exists()
    assert 'id="id_phone_error"' in html(response)
    assert "Give the phone number with its area code, for example 070-123 45 67." in html(response)
    assert 'value="ring efter 5"' in html(response) and 'value="Tage Telefon"' in html(response)


def test_the_form_speaks_swedish_when_neither_is_given(session_soon: Session) -> None:
    response = Client().post(f"/kalender/tillfalle/{session_soon.code}/boka/", {"name": "Tage"})

    assert "Ange en e-postadress eller ett telefonnummer" in html(response)
    assert not Booking.objects.exists()


def test_the_same_phone_from_another_browser_looks_like_a_new_booking(client: Client, session_soon: Session) -> None:
    booking_create(session=session_soon, name="Tage", phone="070-555 44 33", verified=True)

    response = client.post(
        f"/kalender/tillfalle/{session_soon.code}/boka/", {"name": "Någon Annan", "phone": "+46705554433"}
    )

    assert Booking.objects.count() == 1
    page = html(client.get(response["Location"]))
    assert "You are booked." in page and "Booking reference" in page
    assert Booking.objects.get().reference not in page  # nothing about the real booking


# --- The e-mail after a cancellation ---------------------------------------------------------


def test_staff_cancelling_a_booking_tells_the_person_by_email_without_a_name_in_the_subject(
    activity_booking: Activity, session_soon: Session, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    booking = booking_create(session=session_soon, name="Vera Besökare", email="vera@example.se", verified=True)
    by_phone = booking_create(session=session_soon, name="Tage", phone="0705554433", verified=True)
    mail.outbox.clear()
    client = login_as("consultant_a")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bokningar/{booking.code}/avboka/")
        client.post(f"/bokningar/{by_phone.code}/avboka/")

    assert set(Booking.objects.values_list("status", flat=True)) == {Booking.Status.CANCELLED}
    (message,) = mail.outbox  # the phone booking has no address to tell
    assert message.to == ["vera@example.se"]
    assert message.subject == "Din bokning är avbokad"
    assert "Vera" in message.body and activity_booking.title in message.body
