"""Issue 12: loggkontroll says what happened in words without names ("Anhörig A-00001
öppnad", "Samtal 2025-… ändrat"), tells "opened the record" from "listed on a page", and
samples only openings when asked to, so a sample is useful for spotting snooping."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import Action, access_log
from groups.models import Booking
from tests.conftest import CARER_A, TALK_A
from tests.groups.conftest import activity_booking, make_session, session_soon  # noqa: F401  (fixtures)


def descriptions(response: Any) -> list[str]:
    """The "What" cell of every row of the log table."""
    page = response.content.decode()
    return [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td>([^<]*)</td>\s*<td>\s*<code>", page)]


def test_opening_a_record_and_seeing_it_in_a_list_are_logged_apart(login_as: Any, casework: Any) -> None:
    consultant = login_as("consultant_a")
    AccessLog.objects.bulk_create([])
    before = AccessLog.objects.count()

    assert consultant.get("/anhoriga/").status_code == 200
    assert consultant.get(f"/anhoriga/{CARER_A}/").status_code == 200

    rows = list(AccessLog.objects.order_by("pk")[before:].values_list("record_code", "action", "listed", "via"))
    assert (CARER_A, "view", True, "contacts:carer_list") in rows
    assert (CARER_A, "view", False, "contacts:carer_detail") in rows


def test_the_review_describes_records_in_words_without_names(
    login_as: Any, casework: Any, consultant_a: Any, org: Any
) -> None:
    consultant = login_as("consultant_a")
    consultant.get("/anhoriga/")
    consultant.get(f"/anhoriga/{CARER_A}/")
    access_log(actor=consultant_a, action=Action.UPDATE, record=casework.talk_a, subject_code=CARER_A)
    talk_day = timezone.localdate(casework.talk_a.started_at).isoformat()

    page = login_as("manager_a").get("/loggkontroll/")

    shown = descriptions(page)
    assert "Anhörig A-00001 öppnad" in shown
    assert "Anhörig A-00001 listad på en sida" in shown
    assert f"Samtal {talk_day} ändrat" in shown
    assert not any("contacts.carer" in text or "contacts.talk" in text for text in shown)
    html = page.content.decode()
    assert casework.carer_a.first_name not in html and casework.carer_a.last_name not in html
    assert TALK_A in html  # the record's code stays, for looking it up


def test_a_booking_is_named_by_its_reference_and_unknown_records_by_their_kind(
    login_as: Any,
    consultant_a: Any,
    org: Any,
    session_soon: Any,  # noqa: F811
) -> None:
    booking = Booking.objects.create(
        session=session_soon, status=Booking.Status.CONFIRMED, name="Sigrid Svensson", person_key="tel:0701"
    )
    access_log(actor=consultant_a, action=Action.CREATE, record=booking, unit=org.unit_a)
    access_log(actor=consultant_a, action=Action.VIEW, record=org.unit_a, unit=org.unit_a)

    shown = descriptions(login_as("manager_a").get("/loggkontroll/"))

    assert f"Bokning {booking.reference} skapad" in shown
    assert f"Enhet {org.unit_a.code[:8]} öppnad" in shown


def test_the_reviewer_filters_and_samples_only_record_openings(login_as: Any, casework: Any) -> None:
    consultant = login_as("consultant_a")
    for _ in range(3):
        consultant.get("/anhoriga/")  # listed, many times
    consultant.get(f"/anhoriga/{CARER_A}/")  # opened, once
    manager = login_as("manager_a")

    opened = descriptions(manager.get("/loggkontroll/", {"reach": "opened"}))
    listed = descriptions(manager.get("/loggkontroll/", {"reach": "listed"}))
    sample = descriptions(manager.get("/loggkontroll/stickprov/", {"reach": "opened", "n": 50, "seed": 7}))

    assert opened == ["Anhörig A-00001 öppnad"]
    assert listed and all(text.endswith("listad på en sida") for text in listed)
    assert sample == opened
    # The sample form keeps the filter, so "draw a sample" samples openings.
    page = manager.get("/loggkontroll/", {"reach": "opened"}).content.decode()
    assert '<input type="hidden" name="reach" value="opened">' in page
