"""Journal notes (PRODUCT §2): written, edited only by the author while unsigned, signed
and then locked; a mistake is corrected by a new note or by marking the note erroneous,
never by editing or deleting it. Every write leaves an access-log row."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from anhorigstod.accounts.models import Role, User
from anhorigstod.audit.models import AccessLog
from contacts.models import JournalNote
from contacts.services.carers import carer_create
from contacts.services.notes import note_create, note_mark_erroneous, note_sign, note_update
from tests.conftest import CARER_A, TOTP_SECRET, Casework, Org
from tests.factories import MembershipFactory

NOTE_URL = f"/anhoriga/{CARER_A}/anteckning/"


def sign_url(note: JournalNote) -> str:
    return f"/anteckningar/{note.code}/signera/"


def erroneous_url(note: JournalNote) -> str:
    return f"/anteckningar/{note.code}/felmarkera/"


@pytest.fixture
def karin(casework: Casework, login_as: Any) -> Client:
    return login_as("consultant_a")


@pytest.fixture
def colleague(org: Org) -> User:
    """Another consultant of unit A: she reaches Karin's carers, but not Karin's pen."""
    membership = MembershipFactory(
        user__email="kerstin@angsvik.example", user__full_name="Kerstin Kollega", unit=org.unit_a, role=Role.CONSULTANT
    )
    TOTP.activate(membership.user, TOTP_SECRET)
    return membership.user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def logs_for(note: JournalNote, action: str) -> list[AccessLog]:
    return list(AccessLog.objects.filter(record_type="contacts.journalnote", record_code=str(note.code), action=action))


def write_note(client: Client, text: str) -> JournalNote:
    before = set(JournalNote.objects.values_list("pk", flat=True))
    response = client.post(NOTE_URL, {"text": text})
    assert response.status_code == 302
    assert response["Location"] == f"/anhoriga/{CARER_A}/"
    [note] = JournalNote.objects.exclude(pk__in=before)
    return note


def test_a_note_is_written_unsigned_and_logged(casework: Casework, karin: Client, consultant_a: User) -> None:
    note = write_note(karin, "  Gunnel berättade om oro för natten.  ")

    assert note.carer == casework.carer_a
    assert note.author == consultant_a
    assert note.text == "Gunnel berättade om oro för natten."
    assert note.signed_at is None
    assert note.marked_erroneous_at is None
    [entry] = logs_for(note, "create")
    assert (entry.actor, entry.subject_code, entry.unit) == (consultant_a, CARER_A, casework.carer_a.unit)


def test_an_empty_note_is_not_saved(casework: Casework, karin: Client) -> None:
    count = JournalNote.objects.count()

    response = karin.post(NOTE_URL, {"text": "   "})

    assert response.status_code == 302
    assert JournalNote.objects.count() == count


def test_the_author_edits_an_unsigned_note(casework: Casework, karin: Client, consultant_a: User) -> None:
    note = write_note(karin, "Första utkast.")

    note_update(note=note, by=consultant_a, text="Andra utkast.")

    note.refresh_from_db()
    assert note.text == "Andra utkast."
    [entry] = logs_for(note, "update")
    assert (entry.actor, entry.subject_code) == (consultant_a, CARER_A)


def test_only_the_author_edits_an_unsigned_note(casework: Casework, karin: Client, colleague: User) -> None:
    note = write_note(karin, "Karins text.")

    with pytest.raises(ValidationError):
        note_update(note=note, by=colleague, text="Kerstins text.")

    note.refresh_from_db()
    assert note.text == "Karins text."
    assert logs_for(note, "update") == []


def test_signing_locks_the_note(casework: Casework, karin: Client, consultant_a: User) -> None:
    note = write_note(karin, "Slutlig text.")

    response = karin.post(sign_url(note))

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.signed_at is not None
    [entry] = logs_for(note, "update")
    assert (entry.actor, entry.subject_code) == (consultant_a, CARER_A)

    with pytest.raises(ValidationError):
        note_update(note=note, by=consultant_a, text="Ändrad i efterhand.")
    note.refresh_from_db()
    assert note.text == "Slutlig text."
    assert len(logs_for(note, "update")) == 1


def test_a_note_is_signed_once(casework: Casework, karin: Client) -> None:
    note = write_note(karin, "Text.")
    karin.post(sign_url(note))
    signed_at = JournalNote.objects.get(pk=note.pk).signed_at

    karin.post(sign_url(note))

    assert JournalNote.objects.get(pk=note.pk).signed_at == signed_at


def test_signing_is_post_only(casework: Casework, karin: Client) -> None:
    note = write_note(karin, "Text.")

    assert karin.get(sign_url(note)).status_code == 405
    assert JournalNote.objects.get(pk=note.pk).signed_at is None


def test_another_consultant_cannot_sign_someone_elses_note(casework: Casework, karin: Client, colleague: User) -> None:
    note = write_note(karin, "Karins anteckning.")

    response = client_for(colleague).post(sign_url(note))

    assert response.status_code in (302, 403, 404)
    note.refresh_from_db()
    assert note.signed_at is None
    assert logs_for(note, "update") == []
    with pytest.raises(ValidationError):
        note_sign(note=note, by=colleague)


def test_a_consultant_of_another_municipality_gets_404(casework: Casework, karin: Client, login_as: Any) -> None:
    note = write_note(karin, "Karins anteckning.")
    bertil = login_as("consultant_b")

    assert bertil.post(sign_url(note)).status_code == 404
    assert bertil.post(erroneous_url(casework.note_a), {"reason": "Fel."}).status_code == 404
    assert bertil.post(NOTE_URL, {"text": "Intrång."}).status_code == 404

    note.refresh_from_db()
    casework.note_a.refresh_from_db()
    assert note.signed_at is None
    assert casework.note_a.marked_erroneous_at is None
    assert JournalNote.objects.filter(text="Intrång.").count() == 0


def test_marking_erroneous_needs_a_reason_and_keeps_the_note(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    note = write_note(karin, "Fel datum för hembesöket.")
    karin.post(sign_url(note))

    refused = karin.post(erroneous_url(note), {"reason": "   "})

    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    note.refresh_from_db()
    assert note.marked_erroneous_at is None

    accepted = karin.post(erroneous_url(note), {"reason": "Gällde en annan anhörig."})

    assert accepted.status_code == 302
    note.refresh_from_db()
    assert JournalNote.objects.filter(pk=note.pk).exists()
    assert note.marked_erroneous_at is not None
    assert note.marked_erroneous_by == consultant_a
    assert note.erroneous_reason == "Gällde en annan anhörig."
    assert note.text == "Fel datum för hembesöket."
    # Create, sign, mark erroneous: three rows.
    assert len(logs_for(note, "create")) == 1
    assert len(logs_for(note, "update")) == 2


def test_a_note_is_marked_erroneous_once(casework: Casework, karin: Client) -> None:
    karin.post(erroneous_url(casework.note_a), {"reason": "Första."})
    first = JournalNote.objects.get(pk=casework.note_a.pk)

    response = karin.post(erroneous_url(casework.note_a), {"reason": "Andra."})

    assert response.status_code == 200
    assert response.context["form"].errors
    again = JournalNote.objects.get(pk=casework.note_a.pk)
    assert (again.marked_erroneous_at, again.erroneous_reason) == (first.marked_erroneous_at, "Första.")


def test_an_unsigned_note_cannot_be_marked_erroneous(casework: Casework, karin: Client, consultant_a: User) -> None:
    note = write_note(karin, "Osignerad.")

    response = karin.post(erroneous_url(note), {"reason": "Fel."})

    assert response.status_code == 200
    assert response.context["form"].errors
    note.refresh_from_db()
    assert note.marked_erroneous_at is None
    with pytest.raises(ValidationError):
        note_mark_erroneous(note=note, by=consultant_a, reason="Fel.")
    note.refresh_from_db()
    assert note.marked_erroneous_at is None


def test_a_correction_is_a_new_note_pointing_to_the_signed_one(casework: Casework, consultant_a: User) -> None:
    original = casework.note_a

    correction = note_create(
        author=consultant_a, carer=casework.carer_a, text="Rättelse: samtalet var den 3 mars.", corrects=original
    )

    assert correction.pk != original.pk
    assert correction.corrects == original
    assert correction.signed_at is None
    original.refresh_from_db()
    assert original.text == "Samtal om oro."
    assert list(original.corrections.all()) == [correction]
    [entry] = logs_for(correction, "create")
    assert entry.subject_code == CARER_A


def test_only_a_signed_note_of_the_same_carer_can_be_corrected(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    unsigned = write_note(karin, "Osignerad.")
    other = carer_create(created_by=consultant_a, unit=casework.carer_a.unit, data={"first_name": "Olle"})

    with pytest.raises(ValidationError):
        note_create(author=consultant_a, carer=casework.carer_a, text="Rättelse.", corrects=unsigned)
    with pytest.raises(ValidationError):
        note_create(author=consultant_a, carer=other, text="Rättelse.", corrects=casework.note_a)
    assert not JournalNote.objects.filter(text="Rättelse.").exists()


# --- Nothing deletes a note -------------------------------------------------------------------------


def _patterns(resolvers: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            found += _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.name or ""))
    return found


def test_no_url_is_named_for_deleting_a_note() -> None:
    for route, name in _patterns(get_resolver().url_patterns):
        if "antecknin" in route or "note" in name:
            assert not re.search(r"delete|radera|ta-bort|ta_bort|remove", f"{route} {name}"), (route, name)


def test_no_request_to_any_contacts_url_deletes_a_note(casework: Casework, consultant_a: User, manager_a: User) -> None:
    """Send POST and DELETE to every page of the contacts app with the note's and the
    carer's codes; every note is still there afterwards, unchanged."""
    unsigned = note_create(author=consultant_a, carer=casework.carer_a, text="Osignerad anteckning.")
    notes = {note.pk: note.text for note in JournalNote.objects.all()}
    routes = [
        route
        for route, _name in _patterns(get_resolver().url_patterns)
        # The register extract only renders a file (slowly); everything else of the app is tried.
        if route.startswith(("anhoriga", "anteckningar", "samtal")) and "registerutdrag" not in route
    ]
    assert any("anteckningar" in route for route in routes)
    payload = {"text": "", "reason": "", "confirm": "1", "delete": "1", "_method": "DELETE"}
    urls = set()
    for route in routes:
        for code in (str(unsigned.code), str(casework.note_a.code), CARER_A):
            url = "/" + re.sub(r"<uuid:\w+>", code, route)
            urls.add(re.sub(r"<int:\w+>", "1", url))
    for user in (consultant_a, manager_a):
        client = Client(raise_request_exception=False)
        for url in sorted(urls):
            client.force_login(user)
            client.post(url, payload)
            client.force_login(user)
            client.delete(url)
    assert {note.pk: note.text for note in JournalNote.objects.all()} == notes
