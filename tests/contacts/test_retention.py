"""Gallring: a carer's records go a municipality's retention time after the last entry,
all of them, and nothing else goes (PRODUCT §2)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest

from django.core.management import CommandError, call_command

from anhorigstod.accounts.models import Municipality, Unit, User
from anhorigstod.privacy.models import CullRun
from contacts.models import (
    Carer,
    Consent,
    Instrument,
    InstrumentItem,
    JournalNote,
    Measurement,
    MeasurementAnswer,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    SupportPlanItem,
    Talk,
    TalkFocusEntry,
)
from contacts.services.retention import CullError, cull_all, cull_personal_records, retention_cutoff
from contacts.tasks import retention_cull

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=STOCKHOLM)
FIVE_YEARS_AGO = NOW.replace(year=2021)
_numbers = itertools.count(1)


def support_kind(unit: Unit) -> SupportKind:
    kind, _ = SupportKind.objects.get_or_create(
        municipality=unit.municipality,
        code="individual_talk",
        defaults={"name": "Enskilt samtal", "tier": "advice", "area": "support_talks", "for_talks": True},
    )
    return kind


def make_carer(unit: Unit, *, last_entry_at: dt.datetime, **fields: object) -> Carer:
    return Carer.objects.create(unit=unit, number=next(_numbers), last_entry_at=last_entry_at, **fields)


def make_talk(unit: Unit, consultant: User, *, carer: Carer | None, started_at: dt.datetime, **fields: object) -> Talk:
    return Talk.objects.create(
        unit=unit,
        consultant=consultant,
        support_kind=support_kind(unit),
        carer=carer,
        started_at=started_at,
        duration_minutes=45,
        mode="phone",
        talk_type="advice",
        initiator="carer",
        informed_right_to_apply="yes",
        asked_about_children="no",
        time_of_day="daytime",
        **fields,
    )


def fill_record(carer: Carer, consultant: User) -> dict[str, int]:
    """Give ``carer`` one of everything (some twice) and return the rows created per model."""
    unit = carer.unit
    at = carer.last_entry_at
    talks = [
        make_talk(unit, consultant, carer=carer, started_at=at - dt.timedelta(days=30), next_step="Ring om en vecka"),
        make_talk(unit, consultant, carer=carer, started_at=at, bring_up_next_time="Fråga om avlösning"),
    ]
    for talk in talks:
        TalkFocusEntry.objects.create(talk=talk, focus="supporting")
        TalkFocusEntry.objects.create(talk=talk, focus="informing")
    first = JournalNote.objects.create(carer=carer, talk=talks[0], author=consultant, text="Anteckning", signed_at=at)
    # A correction points at the note it corrects with PROTECT: the cull must order them.
    JournalNote.objects.create(carer=carer, author=consultant, text="Rättelse", signed_at=at, corrects=first)
    partner, _ = Partner.objects.get_or_create(
        unit=unit, name="Demensförbundet", defaults={"organisation_type": "patient_association"}
    )
    Referral.objects.create(carer=carer, unit=unit, partner=partner, referred_on=at.date(), recorded_by=consultant)
    # Made in the carer's talk but saved without the carer: still the carer's record.
    Referral.objects.create(talk=talks[1], unit=unit, partner=partner, referred_on=at.date(), recorded_by=consultant)
    Consent.objects.create(
        carer=carer, to_whom="Vårdcentralen", scope="Allt", given_on=at.date(), recorded_by=consultant
    )
    SupportPlanItem.objects.create(carer=carer, area="own_life", goal="Egen tid varje vecka")
    RespiteGrant.objects.create(carer=carer, given_on=at.date(), hours=Decimal("4.5"), recorded_by=consultant)
    instrument, _ = Instrument.objects.get_or_create(
        code="kasam-13", defaults={"name": "KASAM-13", "scale_min": 1, "scale_max": 7}
    )
    items = [InstrumentItem.objects.get_or_create(instrument=instrument, number=n)[0] for n in (1, 2, 3)]
    measurement = Measurement.objects.create(
        carer=carer, instrument=instrument, occasion="before", measured_on=at.date(), recorded_by=consultant
    )
    for item in items:
        MeasurementAnswer.objects.create(measurement=measurement, item=item, value=4)
    return {
        "measurement_answers": 3,
        "measurements": 1,
        "journal_notes": 2,
        "referrals": 2,
        "talk_focus_entries": 4,
        "talks": 2,
        "respite_grants": 1,
        "consents": 1,
        "support_plan_items": 1,
        "carers": 1,
    }


def record_exists(carer_pk: int) -> dict[str, bool]:
    """Whether each kind of row of the carer is still there."""
    talks = Talk.objects.filter(carer_id=carer_pk)
    return {
        "carer": Carer.objects.filter(pk=carer_pk).exists(),
        "talks": talks.exists(),
        "focus": TalkFocusEntry.objects.filter(talk__carer_id=carer_pk).exists(),
        "notes": JournalNote.objects.filter(carer_id=carer_pk).exists(),
        "referrals": Referral.objects.filter(carer_id=carer_pk).exists()
        or Referral.objects.filter(talk__carer_id=carer_pk).exists(),
        "consents": Consent.objects.filter(carer_id=carer_pk).exists(),
        "plan": SupportPlanItem.objects.filter(carer_id=carer_pk).exists(),
        "respite": RespiteGrant.objects.filter(carer_id=carer_pk).exists(),
        "measurements": Measurement.objects.filter(carer_id=carer_pk).exists(),
        "answers": MeasurementAnswer.objects.filter(measurement__carer_id=carer_pk).exists(),
    }


ALL_THERE = dict.fromkeys(
    ("carer", "talks", "focus", "notes", "referrals", "consents", "plan", "respite", "measurements", "answers"), True
)
ALL_GONE = dict.fromkeys(ALL_THERE, False)


@pytest.fixture
def records(org, consultant_a):  # type: ignore[no-untyped-def]
    """Carers on either side of the five-year line in municipality A, plus statistics."""
    expired = make_carer(
        org.unit_a,
        last_entry_at=FIVE_YEARS_AGO - dt.timedelta(days=1),
        first_name="Gunnel",
        last_name="Åberg",
        personnummer="189001019802",
    )
    expected = fill_record(expired, consultant_a)
    kept = make_carer(org.unit_a, last_entry_at=FIVE_YEARS_AGO + dt.timedelta(days=1), first_name="Sture")
    fill_record(kept, consultant_a)
    # Statistics: an anonymous talk of ten years ago, with its focus and a referral.
    anonymous = make_talk(org.unit_a, consultant_a, carer=None, started_at=NOW.replace(year=2016))
    TalkFocusEntry.objects.create(talk=anonymous, focus="advising")
    Referral.objects.create(
        talk=anonymous,
        unit=org.unit_a,
        partner=Partner.objects.get(unit=org.unit_a),
        referred_on=anonymous.started_at.date(),
        recorded_by=consultant_a,
    )
    return {"expired": expired, "kept": kept, "anonymous": anonymous, "expected": expected}


def test_cutoff_is_calendar_years_back_and_29_february_falls_on_the_28th() -> None:
    assert retention_cutoff(now=NOW, years=5) == dt.datetime(2021, 3, 15, 12, 0, tzinfo=STOCKHOLM)
    leap_day = dt.datetime(2028, 2, 29, 9, 30, tzinfo=STOCKHOLM)
    assert retention_cutoff(now=leap_day, years=5) == dt.datetime(2023, 2, 28, 9, 30, tzinfo=STOCKHOLM)
    assert retention_cutoff(now=leap_day, years=4) == dt.datetime(2024, 2, 29, 9, 30, tzinfo=STOCKHOLM)
    # Local calendar, not UTC: 00:30 on 1 March in Stockholm is still 29 February in UTC.
    early = dt.datetime(2028, 3, 1, 0, 30, tzinfo=STOCKHOLM)
    assert retention_cutoff(now=early.astimezone(dt.UTC), years=5) == dt.datetime(2023, 3, 1, 0, 30, tzinfo=STOCKHOLM)


def test_cull_removes_an_expired_record_entirely_and_nothing_else(org, consultant_a, records) -> None:  # type: ignore[no-untyped-def]
    other = make_carer(org.unit_b, last_entry_at=NOW.replace(year=2010), first_name="Bo")
    fill_record(other, consultant_a)
    run = cull_personal_records(municipality=org.unit_a.municipality, now=NOW)

    assert record_exists(records["expired"].pk) == ALL_GONE
    assert record_exists(records["kept"].pk) == ALL_THERE
    assert record_exists(other.pk) == ALL_THERE, "another municipality's carers are not touched"
    anonymous = Talk.objects.get(pk=records["anonymous"].pk)
    assert anonymous.focus_entries.count() == 1 and anonymous.referrals.count() == 1, "statistics are kept"
    assert run.counts == records["expected"]
    assert run.dry_run is False
    assert run.cutoff == FIVE_YEARS_AGO
    assert CullRun.objects.get() == run


def test_cull_covers_every_unit_of_the_municipality(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    in_a2 = make_carer(org.unit_a2, last_entry_at=NOW.replace(year=2019))
    run = cull_personal_records(municipality=org.unit_a.municipality, now=NOW)
    assert not Carer.objects.filter(pk=in_a2.pk).exists()
    assert run.counts["carers"] == 1


def test_a_shorter_retention_time_culls_earlier(org, consultant_a, consultant_b) -> None:  # type: ignore[no-untyped-def]
    Municipality.objects.filter(pk=org.unit_b.municipality_id).update(retention_years=2)
    three_years_ago = NOW.replace(year=2023)
    in_a = make_carer(org.unit_a, last_entry_at=three_years_ago)
    in_b = make_carer(org.unit_b, last_entry_at=three_years_ago)
    fill_record(in_b, consultant_b)

    runs = cull_all(now=NOW)

    assert Carer.objects.filter(pk=in_a.pk).exists(), "five years in A"
    assert record_exists(in_b.pk) == ALL_GONE, "two years in B"
    by_code = {run.municipality.kommunkod: run for run in runs}
    assert by_code["9901"].counts["carers"] == 0
    assert by_code["9902"].counts["carers"] == 1
    assert by_code["9902"].cutoff == NOW.replace(year=2024)


def test_dry_run_counts_the_same_and_deletes_nothing(org, records) -> None:  # type: ignore[no-untyped-def]
    dry = cull_personal_records(municipality=org.unit_a.municipality, now=NOW, dry_run=True)
    assert dry.dry_run is True
    assert dry.counts == records["expected"]
    assert record_exists(records["expired"].pk) == ALL_THERE

    real = cull_personal_records(municipality=org.unit_a.municipality, now=NOW)
    assert real.counts == dry.counts
    assert record_exists(records["expired"].pk) == ALL_GONE


def test_a_second_run_culls_nothing(org, records) -> None:  # type: ignore[no-untyped-def]
    cull_personal_records(municipality=org.unit_a.municipality, now=NOW)
    rows_before = Talk.objects.count(), Carer.objects.count(), Referral.objects.count()
    again = cull_personal_records(municipality=org.unit_a.municipality, now=NOW)
    assert set(again.counts.values()) == {0}
    assert (Talk.objects.count(), Carer.objects.count(), Referral.objects.count()) == rows_before


def test_the_run_and_its_log_hold_counts_only(org, records, caplog) -> None:  # type: ignore[no-untyped-def]
    expired = records["expired"]
    with caplog.at_level("INFO", logger="contacts.services.retention"):
        run = cull_personal_records(municipality=org.unit_a.municipality, now=NOW)

    lines = [r.getMessage() for r in caplog.records if r.name == "contacts.services.retention"]
    assert len(lines) == 1
    assert "carers=1" in lines[0] and "talks=2" in lines[0], "the log line says what was culled"
    stored = json.dumps({"counts": run.counts, "cutoff": str(run.cutoff)})
    for secret in ("Gunnel", "Åberg", "189001019802", str(expired.code), expired.label):
        assert secret not in lines[0]
        assert secret not in stored
        assert secret not in caplog.text


def test_a_failure_rolls_back_that_municipality_and_the_others_still_run(org, consultant_a, consultant_b) -> None:  # type: ignore[no-untyped-def]
    expired = make_carer(org.unit_a, last_entry_at=NOW.replace(year=2015))
    fill_record(expired, consultant_a)
    kept = make_carer(org.unit_a, last_entry_at=NOW)
    # A row the cull does not know about protects the expired carer's note: a kept note
    # that corrects it (the services never do this; a future model might).
    JournalNote.objects.create(
        carer=kept, author=consultant_a, text="x", corrects=JournalNote.objects.filter(carer=expired).first()
    )
    in_b = make_carer(org.unit_b, last_entry_at=NOW.replace(year=2015))

    with pytest.raises(CullError, match="9901"):
        cull_all(now=NOW)

    assert record_exists(expired.pk) == ALL_THERE, "all or nothing: the failed municipality is rolled back"
    assert not Carer.objects.filter(pk=in_b.pk).exists(), "the next municipality was still culled"
    assert list(CullRun.objects.values_list("municipality__kommunkod", flat=True)) == ["9902"]


def test_the_scheduled_task_culls_every_municipality(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    # The task runs at the real time: make the record six years old from today.
    expired = make_carer(
        org.unit_a, last_entry_at=dt.datetime.now(tz=STOCKHOLM).replace(microsecond=0) - dt.timedelta(days=6 * 366)
    )
    fill_record(expired, consultant_a)

    result = retention_cull.delay().get()  # CELERY_TASK_ALWAYS_EAGER in tests

    assert record_exists(expired.pk) == ALL_GONE
    assert {row["municipality"] for row in result} == {"9901", "9902"}
    assert CullRun.objects.filter(dry_run=False).count() == 2
    assert retention_cull.acks_late is True
    # Idempotent: a redelivered task finds nothing more to cull.
    again = retention_cull.delay().get()
    assert all(set(row["counts"].values()) == {0} for row in again)


def test_command_dry_run_for_one_municipality_prints_counts(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    # The command culls at today's date.
    expired = make_carer(org.unit_a, last_entry_at=dt.datetime(2001, 1, 1, tzinfo=STOCKHOLM))
    fill_record(expired, consultant_a)
    out = StringIO()
    call_command("cull_records", "--dry-run", "--municipality", "9901", stdout=out)
    output = out.getvalue()
    assert "Would cull" in output and "carers: 1" in output and "talks: 2" in output
    assert record_exists(expired.pk) == ALL_THERE
    run = CullRun.objects.get()
    assert run.dry_run is True and run.municipality.kommunkod == "9901"


def test_command_culls_expired_records(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    expired = make_carer(org.unit_a, last_entry_at=dt.datetime(2001, 1, 1, tzinfo=STOCKHOLM), first_name="Gunnel")
    fill_record(expired, consultant_a)
    out = StringIO()
    call_command("cull_records", stdout=out)
    assert "carers: 1" in out.getvalue() and "talks: 2" in out.getvalue()
    assert "Gunnel" not in out.getvalue()
    assert record_exists(expired.pk) == ALL_GONE


def test_command_refuses_an_unknown_municipality(org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="1234"):
        call_command("cull_records", "--municipality", "1234")
