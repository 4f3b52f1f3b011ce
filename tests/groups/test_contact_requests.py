"""Contact requests, "Bli kontaktad" (PRODUCT §6, §9): a carer leaves a contact request for
a unit, the unit is told by an e-mail that carries no personal details, and the unit's
staff read and handle the request in their inbox, every read and write logged.

Pages are read in English (the language switch's cookie) so the assertions do not
depend on the Swedish catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from anhorigstod.audit.models import AccessLog
from groups.models import ContactRequest
from tests.conftest import Org

PERSON = {
    "name": "Gunilla Ringer",
    "phone": "070-987 65 43",
    "email": "gunilla.ringer@example.se",
    "preferred_channel": "phone",
    "message": "Min man har fått en demensdiagnos och jag orkar inte längre.",
}
UNKNOWN = "0c0c0c0c-0000-4000-8000-00000000000c"


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def staff(login_as: Any) -> Any:
    def _staff(persona: str) -> Client:
        client = login_as(persona)
        client.cookies["django_language"] = "en"
        return client

    return _staff


def html(response: Any) -> str:
    return response.content.decode()


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", html(response)))


def make_request(unit: Any, **fields: Any) -> ContactRequest:
    values = {"name": "Olle Okänd", "phone": "070-111 22 33", "preferred_channel": "phone", **fields}
    return ContactRequest.objects.create(unit=unit, **values)


def log_rows(contact_request: ContactRequest) -> list[tuple[str, str]]:
    return [
        (row.action, row.actor.email if row.actor else "")
        for row in AccessLog.objects.filter(subject_code=str(contact_request.code)).order_by("id")
    ]


# --------------------------------------------------------------------------
# The public form
# --------------------------------------------------------------------------


def test_form_saves_the_request_and_thanks(client: Client, org: Org, django_capture_on_commit_callbacks: Any) -> None:
    response = client.get("/kontakt/norra/")
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert "Be contacted by Anhörigstöd Norra" in html(response)

    org.unit_a.public_email = "norra@angsvik.example"
    org.unit_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kontakt/norra/", PERSON)

    assert response.status_code == 302
    assert response["Location"] == "/kontakt/norra/tack/"
    saved = ContactRequest.objects.get()
    assert saved.unit == org.unit_a
    assert (saved.name, saved.phone, saved.email, saved.preferred_channel) == (
        PERSON["name"],
        PERSON["phone"],
        PERSON["email"],
        "phone",
    )
    assert saved.message == PERSON["message"]
    assert saved.handled_at is None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert h1_count(thanks) == 1
    # Nothing typed is repeated back on the thank-you page.
    assert PERSON["name"] not in html(thanks)


def test_email_to_the_unit_carries_no_personal_details(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    org.unit_a.public_email = "norra@angsvik.example"
    org.unit_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kontakt/norra/", PERSON)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["norra@angsvik.example"]
    html_body = message.alternatives[0][0]
    for part in (message.subject, message.body, html_body):
        for value in (PERSON["name"], "Gunilla", "Ringer", PERSON["phone"], "987", PERSON["email"], "demens"):
            assert value not in part
    assert f"{settings.SITE_URL}/inkorg/" in message.body
    assert f'href="{settings.SITE_URL}/inkorg/"' in html_body


def test_email_falls_back_to_the_municipality_address(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    municipality = org.unit_a.municipality
    municipality.public_email = "anhorigstod@angsvik.example"
    municipality.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kontakt/norra/", PERSON)

    assert [message.to for message in mail.outbox] == [["anhorigstod@angsvik.example"]]


def test_no_address_no_email_but_the_request_is_saved(
    client: Client, org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kontakt/norra/", PERSON)

    assert response.status_code == 302
    assert ContactRequest.objects.count() == 1
    assert mail.outbox == []


def test_phone_or_email_is_required_and_nothing_typed_is_lost(client: Client, org: Org) -> None:
    typed = {"name": "Gunilla Ringer", "preferred_channel": "email", "message": "Ring mig <gärna> efter 17."}

    response = client.post("/kontakt/norra/", typed)

    assert response.status_code == 200
    assert h1_count(response) == 1
    page = html(response)
    assert "Give a phone number or an e-mail address, so that we can reach you." in page
    assert 'value="Gunilla Ringer"' in page
    assert re.search(r'value="email"[^>]*checked', page)
    # The message comes back, escaped.
    assert "Ring mig &lt;gärna&gt; efter 17.</textarea>" in page
    assert not ContactRequest.objects.exists()


def test_chosen_channel_must_be_given(client: Client, org: Org) -> None:
    response = client.post("/kontakt/norra/", {**PERSON, "phone": "", "preferred_channel": "phone"})

    assert "You asked us to call you: give a phone number." in html(response)
    assert f'value="{PERSON["email"]}"' in html(response)
    assert not ContactRequest.objects.exists()


def test_unknown_unit_is_404(client: Client, org: Org) -> None:
    assert client.get("/kontakt/finns-inte/").status_code == 404
    assert client.post("/kontakt/finns-inte/", PERSON).status_code == 404


# --------------------------------------------------------------------------
# The inbox
# --------------------------------------------------------------------------


def test_inbox_lists_the_units_requests_open_first(staff: Any, org: Org) -> None:
    handled = make_request(org.unit_a, name="Hanna Hanterad", handled_at=timezone.now())
    older_open = make_request(org.unit_a, name="Äldre Öppen")
    ContactRequest.objects.filter(pk=older_open.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    newer_open = make_request(org.unit_a, name="Nyare Öppen")
    other_unit = make_request(org.unit_a2, name="Sara Södra")
    other_municipality = make_request(org.unit_b, name="Bo Sjöhaga")

    response = staff("consultant_a").get("/inkorg/")

    assert response.status_code == 200
    assert h1_count(response) == 1
    shown = [request.code for request in response.context["page"]]
    assert shown == [newer_open.code, older_open.code, handled.code]
    page = html(response)
    assert "Sara Södra" not in page
    assert "Bo Sjöhaga" not in page

    # The manager of the administration reaches both of its units, and no other municipality.
    manager_codes = {request.code for request in staff("manager_a").get("/inkorg/").context["page"]}
    assert manager_codes == {handled.code, older_open.code, newer_open.code, other_unit.code}
    bertil_codes = [request.code for request in staff("consultant_b").get("/inkorg/").context["page"]]
    assert bertil_codes == [other_municipality.code]


def test_inbox_logs_every_request_shown(staff: Any, org: Org, consultant_a: Any) -> None:
    shown = make_request(org.unit_a)
    not_shown = make_request(org.unit_b)

    staff("consultant_a").get("/inkorg/")

    assert log_rows(shown) == [("view", consultant_a.email)]
    row = AccessLog.objects.get(subject_code=str(shown.code))
    assert (row.record_type, row.record_code, row.unit_id) == ("groups.contactrequest", str(shown.code), org.unit_a.pk)
    assert row.via == "groups:inbox_list"
    assert log_rows(not_shown) == []


def test_detail_shows_the_request_and_logs_the_read(staff: Any, org: Org, consultant_a: Any) -> None:
    contact_request = make_request(org.unit_a, email="olle@example.se", message="Hej <b>där</b>")

    response = staff("consultant_a").get(f"/inkorg/{contact_request.code}/")

    assert response.status_code == 200
    assert h1_count(response) == 1
    page = html(response)
    assert "Olle Okänd" in page
    assert "olle@example.se" in page
    assert "Hej &lt;b&gt;där&lt;/b&gt;" in page
    assert "Mark as handled" in page
    assert log_rows(contact_request) == [("view", consultant_a.email)]
    assert AccessLog.objects.get(subject_code=str(contact_request.code)).via == "groups:inbox_detail"


@pytest.mark.parametrize(("persona", "status"), [("consultant_b", 404), ("admin_a", 403), ("carer", 403)])
def test_detail_outside_ones_units(staff: Any, org: Org, persona: str, status: int) -> None:
    contact_request = make_request(org.unit_a)

    response = staff(persona).get(f"/inkorg/{contact_request.code}/")

    assert response.status_code == status
    assert AccessLog.objects.filter(subject_code=str(contact_request.code)).count() == 0


def test_mark_handled(staff: Any, org: Org, consultant_a: Any) -> None:
    contact_request = make_request(org.unit_a)
    client = staff("consultant_a")

    response = client.post(f"/inkorg/{contact_request.code}/hanterad/")

    assert response.status_code == 302
    assert response["Location"] == "/inkorg/"
    contact_request.refresh_from_db()
    assert contact_request.handled_at is not None
    assert contact_request.handled_by == consultant_a
    assert log_rows(contact_request) == [("update", consultant_a.email)]
    update = AccessLog.objects.get(subject_code=str(contact_request.code))
    assert update.via == "groups:inbox_mark_handled"

    # Handled once: a second press changes nothing and writes nothing.
    first_handled_at = contact_request.handled_at
    client.post(f"/inkorg/{contact_request.code}/hanterad/")
    contact_request.refresh_from_db()
    assert contact_request.handled_at == first_handled_at
    assert AccessLog.objects.filter(subject_code=str(contact_request.code), action="update").count() == 1
    detail = client.get(f"/inkorg/{contact_request.code}/")
    assert "Mark as handled" not in html(detail)
    assert "Handled" in html(detail)


def test_mark_handled_outside_ones_units_is_404(staff: Any, org: Org) -> None:
    contact_request = make_request(org.unit_a)

    assert staff("consultant_b").post(f"/inkorg/{contact_request.code}/hanterad/").status_code == 404
    assert staff("consultant_b").get(f"/inkorg/{contact_request.code}/hanterad/").status_code == 405

    contact_request.refresh_from_db()
    assert contact_request.handled_at is None
    assert not AccessLog.objects.filter(subject_code=str(contact_request.code)).exists()


def test_inbox_needs_casework(client: Client, staff: Any, org: Org) -> None:
    response = client.get("/inkorg/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert client.get(f"/inkorg/{UNKNOWN}/").status_code == 302
    # ``staff`` signs the same client in.
    assert staff("carer").get("/inkorg/").status_code == 403
    assert staff("admin_a").get("/inkorg/").status_code == 403
