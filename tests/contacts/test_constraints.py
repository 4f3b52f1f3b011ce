"""The database holds the documentation rules even when the services are bypassed
(PRODUCT §2: "enforced in one place in the code and again by database constraints").

Every case writes with ``Model.objects.create`` or ``save`` straight to the database, so no
``full_clean`` runs, and expects ``IntegrityError``; its valid neighbour is saved first, so
a failure is the constraint's and not a missing field's. The suite runs on SQLite by
default and on PostgreSQL with ``DATABASE_URL`` set: run it both ways.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from anhorigstod.accounts.models import User
from contacts.models import (
    Carer,
    Consent,
    ExemptionDecision,
    JournalNote,
    RespiteGrant,
    SupportKind,
    Talk,
)
from tests.conftest import Casework, Org

TODAY = dt.date(2025, 6, 10)


def _refused(make: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def _talk(casework: Casework, **fields: Any) -> Talk:
    values: dict[str, Any] = {
        "unit": casework.carer_a.unit,
        "consultant": casework.talk_a.consultant,
        "support_kind": casework.kinds["individual_talk"],
        "started_at": timezone.now() - dt.timedelta(hours=2),
        "duration_minutes": 30,
        "mode": "phone",
        "talk_type": "advice",
        "initiator": "carer",
        "time_of_day": "daytime",
        "informed_right_to_apply": "yes",
        "asked_about_children": "no",
    }
    values.update(fields)
    return Talk.objects.create(**values)


def _exemption(org: Org, by: User, **fields: Any) -> ExemptionDecision:
    values: dict[str, Any] = {
        "municipality": org.unit_a.municipality,
        "board": "Socialnämnden",
        "decided_on": TODAY - dt.timedelta(days=30),
        "reference": "SN 2025/114 § 52",
        "valid_from": TODAY,
        "valid_to": None,
        "reason": "anonymity",
        "reason_text": "Behov av anonymitet.",
        "recorded_by": by,
    }
    values.update(fields)
    return ExemptionDecision.objects.create(**values)


# --- Talks ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["next_step", "bring_up_next_time"])
def test_an_anonymous_talk_cannot_hold_notes(casework: Casework, field: str) -> None:
    _talk(casework, carer=None)
    _talk(casework, carer=casework.carer_a, **{field: "Prata om avlösning."})

    _refused(lambda: _talk(casework, carer=None, **{field: "Prata om avlösning."}))


def test_an_identified_talk_with_notes_cannot_be_made_anonymous_by_save(casework: Casework) -> None:
    talk = _talk(casework, carer=casework.carer_a, next_step="Ring om en vecka.")
    talk.carer = None

    _refused(talk.save)
    assert Talk.objects.get(pk=talk.pk).carer_id == casework.carer_a.pk


def test_an_exempted_talk_cannot_hold_a_carer(casework: Casework, org: Org, manager_a: User) -> None:
    decision = _exemption(org, manager_a)
    decision.kinds.set([casework.kinds["talk_series"]])
    _talk(casework, support_kind=casework.kinds["talk_series"], carer=None, exemption=decision)

    _refused(
        lambda: _talk(casework, support_kind=casework.kinds["talk_series"], carer=casework.carer_a, exemption=decision)
    )


def test_a_talk_without_a_time_of_day_is_refused(casework: Casework) -> None:
    _refused(lambda: _talk(casework, carer=None, time_of_day=""))


# --- Carers -----------------------------------------------------------------------------


def _carer(org: Org, number: int, **fields: Any) -> Carer:
    return Carer.objects.create(unit=org.unit_a, number=number, last_entry_at=timezone.now(), **fields)


@pytest.mark.parametrize(
    "personnummer",
    [
        pytest.param("19850101238", id="11-digits"),
        pytest.param("8501012382", id="10-digits"),
        pytest.param("19850101-238", id="hyphen"),
        pytest.param("1985010123X2", id="letter"),
        pytest.param(" 98501012382", id="space"),
        pytest.param("abcdefghijkl", id="no-digits"),
        pytest.param("١٩٨٥٠١٠١٢٣٨٢", id="arabic-indic-digits"),
    ],
)
def test_a_personnummer_is_stored_as_12_digits_or_not_at_all(org: Org, personnummer: str) -> None:
    _carer(org, 1, personnummer="")
    _carer(org, 2, personnummer="198501012382")

    _refused(lambda: _carer(org, 3, personnummer=personnummer))
    assert not Carer.objects.filter(number=3).exists()


def test_a_personnummer_of_13_digits_is_not_stored(org: Org) -> None:
    # PostgreSQL refuses it by the column's length (DataError), SQLite by the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        _carer(org, 3, personnummer="1985010123820")
    assert not Carer.objects.filter(number=3).exists()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": "closed"}, id="closed-without-date-or-reason"),
        pytest.param({"status": "closed", "closed_on": TODAY}, id="closed-without-reason"),
        pytest.param({"status": "closed", "close_reason": "moved"}, id="closed-without-date"),
        pytest.param({"status": "open", "closed_on": TODAY}, id="open-with-date"),
        pytest.param({"status": "open", "close_reason": "moved"}, id="open-with-reason"),
        pytest.param({"status": "archived"}, id="unknown-status"),
    ],
)
def test_a_closed_carer_has_a_date_and_a_reason(org: Org, fields: dict[str, Any]) -> None:
    _carer(org, 1, status="closed", closed_on=TODAY, close_reason="moved")
    _carer(org, 2, status="open")

    _refused(lambda: _carer(org, 3, **fields))


def test_closing_by_save_without_a_reason_is_refused(org: Org) -> None:
    carer = _carer(org, 1)
    carer.status, carer.closed_on = "closed", TODAY

    _refused(carer.save)
    assert Carer.objects.get(pk=carer.pk).status == "open"


def test_the_carer_number_is_unique_per_unit(org: Org) -> None:
    _carer(org, 7)
    Carer.objects.create(unit=org.unit_a2, number=7, last_entry_at=timezone.now())
    Carer.objects.create(unit=org.unit_b, number=7, last_entry_at=timezone.now())

    _refused(lambda: _carer(org, 7))
    assert Carer.objects.filter(unit=org.unit_a, number=7).count() == 1


# --- Exemptions, consents, respite, notes ----------------------------------------------------


def test_an_exemption_cannot_end_before_it_starts(org: Org, manager_a: User) -> None:
    _exemption(org, manager_a, valid_from=TODAY, valid_to=TODAY)  # one day is fine
    _exemption(org, manager_a, valid_from=TODAY, valid_to=None)

    _refused(lambda: _exemption(org, manager_a, valid_from=TODAY, valid_to=TODAY - dt.timedelta(days=1)))


def test_an_exemption_cannot_apply_before_it_was_decided(org: Org, manager_a: User) -> None:
    _refused(lambda: _exemption(org, manager_a, decided_on=TODAY, valid_from=TODAY - dt.timedelta(days=1)))


def test_a_consent_cannot_be_revoked_before_it_was_given(casework: Casework, consultant_a: User) -> None:
    def consent(revoked_on: dt.date | None) -> Consent:
        return Consent.objects.create(
            carer=casework.carer_a,
            to_whom="Vårdcentralen",
            scope="Allt om avlösning",
            given_on=TODAY,
            revoked_on=revoked_on,
            recorded_by=consultant_a,
        )

    consent(None)
    consent(TODAY)

    _refused(lambda: consent(TODAY - dt.timedelta(days=1)))


def test_a_consent_revoked_by_save_before_it_was_given_is_refused(casework: Casework, consultant_a: User) -> None:
    consent = Consent.objects.create(
        carer=casework.carer_a, to_whom="Vårdcentralen", scope="Allt", given_on=TODAY, recorded_by=consultant_a
    )
    consent.revoked_on = TODAY - dt.timedelta(days=3)

    _refused(consent.save)


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("0.0"), Decimal("-1.5")])
def test_respite_hours_are_positive(casework: Casework, consultant_a: User, hours: Decimal) -> None:
    def grant(value: Decimal) -> RespiteGrant:
        return RespiteGrant.objects.create(
            carer=casework.carer_a, given_on=TODAY, hours=value, recorded_by=consultant_a
        )

    grant(Decimal("0.5"))

    _refused(lambda: grant(hours))


def test_only_a_signed_note_can_be_marked_erroneous(casework: Casework, consultant_a: User) -> None:
    def note(**fields: Any) -> JournalNote:
        return JournalNote.objects.create(carer=casework.carer_a, author=consultant_a, text="Anteckning.", **fields)

    now = timezone.now()
    note(signed_at=now, marked_erroneous_at=now, erroneous_reason="Fel person.")

    _refused(lambda: note(marked_erroneous_at=now, erroneous_reason="Fel person."))
    _refused(lambda: note(signed_at=now, marked_erroneous_at=now, erroneous_reason=""))


def test_a_support_kind_has_a_known_tier(org: Org) -> None:
    _refused(
        lambda: SupportKind.objects.create(
            municipality=org.unit_a.municipality, code="x", name="X", tier="whatever", area="support_talks"
        )
    )
