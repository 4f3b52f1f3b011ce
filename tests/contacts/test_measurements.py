"""Measurements: the SOC-13 instrument shipped as data, scoring with reversed items and
sub-scales, recording a measurement (rows, access log, gallring clock) and the change
from before to after support."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.utils import timezone, translation

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from contacts.measurements import Score, kasam_change, measurement_scores, score
from contacts.models import Carer, Instrument, InstrumentItem, InstrumentSubscale, Measurement, MeasurementAnswer
from contacts.services import measurements
from contacts.services.measurements import measurement_record
from tests.conftest import Org

soc13_migration = importlib.import_module("contacts.migrations.0002_soc13_instrument")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # LANGUAGE_CODE is "sv" and the catalogue is translated as we go: the assertions on
    # messages read the English source strings, whatever the catalogue holds today.
    with translation.override("en"):
        yield


LONG_AGO = dt.datetime(2020, 1, 1, 12, tzinfo=dt.UTC)
ALL_FOUR = dict.fromkeys(range(1, 14), 4)
# A worked example. Items 1, 2, 3, 7 and 10 are reversed: counted = 1 + 7 - answer = 8 - answer.
#   item:     1  2  3  4  5  6  7  8  9 10 11 12 13
#   answer:   7  6  5  4  3  2  1  7  6  2  5  4  3
#   counted:  1  2  3  4  3  2  7  7  6  6  5  4  3
# comprehensibility (2, 6, 8, 9, 11): 2 + 2 + 7 + 6 + 5 = 22
# manageability     (3, 5, 10, 13):   3 + 3 + 6 + 3     = 15
# meaningfulness    (1, 4, 7, 12):    1 + 4 + 7 + 4     = 16
# total: 22 + 15 + 16 = 53 (and 1+2+3+4+3+2+7+7+6+6+5+4+3 = 53)
MIXED = {1: 7, 2: 6, 3: 5, 4: 4, 5: 3, 6: 2, 7: 1, 8: 7, 9: 6, 10: 2, 11: 5, 12: 4, 13: 3}


@pytest.fixture
def soc13(db: None) -> Instrument:
    return Instrument.objects.get(code="soc13")


@pytest.fixture
def carer_a(org: Org) -> Carer:
    # Last entry long ago, so the bump to "now" is visible.
    return Carer.objects.create(unit=org.unit_a, number=1, last_entry_at=LONG_AGO)


@pytest.fixture
def mini(db: None) -> Instrument:
    """A made-up instrument on a 0-3 scale, to show the rule is the instrument's, not SOC-13's:
    item 1 (sub-scale "a"), item 2 reversed (sub-scale "a"), item 3 in no sub-scale."""
    instrument = Instrument.objects.create(code="mini", name="Mini", scale_min=0, scale_max=3)
    a = InstrumentSubscale.objects.create(instrument=instrument, code="a", name="A")
    InstrumentItem.objects.create(instrument=instrument, number=1, subscale=a)
    InstrumentItem.objects.create(instrument=instrument, number=2, subscale=a, reversed=True)
    InstrumentItem.objects.create(instrument=instrument, number=3, subscale=None)
    return instrument


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def record(user: User, carer: Carer, instrument: Instrument, answers: dict[int, int], **kwargs: Any) -> Measurement:
    kwargs.setdefault("occasion", Measurement.Occasion.BEFORE)
    kwargs.setdefault("measured_on", days_ago(1))
    return measurement_record(recorded_by=user, carer=carer, instrument=instrument, answers=answers, **kwargs)


def codes(raised: pytest.ExceptionInfo[ValidationError]) -> list[str | None]:
    return [error.code for error in raised.value.error_list]


# --------------------------------------------------------------------------
# The SOC-13 migration
# --------------------------------------------------------------------------


def soc13_structure(instrument: Instrument) -> dict[str, object]:
    items = list(instrument.items.select_related("subscale").order_by("number"))
    membership: dict[str, list[int]] = {}
    for item in items:
        assert item.subscale is not None, f"item {item.number} belongs to no sub-scale"
        membership.setdefault(item.subscale.code, []).append(item.number)
    return {
        "name": instrument.name,
        "scale": (instrument.scale_min, instrument.scale_max),
        "numbers": [item.number for item in items],
        "reversed": {item.number for item in items if item.reversed},
        "membership": membership,
        "texts": {item.text for item in items},
    }


EXPECTED_SOC13 = {
    "name": "KASAM / SOC-13",
    "scale": (1, 7),
    "numbers": list(range(1, 14)),
    "reversed": {1, 2, 3, 7, 10},
    "membership": {
        "comprehensibility": [2, 6, 8, 9, 11],
        "manageability": [3, 5, 10, 13],
        "meaningfulness": [1, 4, 7, 12],
    },
    # The licensed item texts are not shipped.
    "texts": {""},
}


def test_migration_ships_soc13_structure_without_item_texts(soc13: Instrument) -> None:
    assert soc13_structure(soc13) == EXPECTED_SOC13
    assert soc13.subscales.count() == 3
    assert "licence" in soc13.licence_note


def test_migration_reverses_and_reapplies(soc13: Instrument) -> None:
    soc13_migration.delete_soc13(django_apps, None)
    assert not Instrument.objects.filter(code="soc13").exists()
    assert not InstrumentSubscale.objects.filter(instrument_id=soc13.pk).exists()
    assert not InstrumentItem.objects.filter(instrument_id=soc13.pk).exists()

    soc13_migration.create_soc13(django_apps, None)
    assert soc13_structure(Instrument.objects.get(code="soc13")) == EXPECTED_SOC13


def test_migration_reverse_keeps_recorded_answers(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    record(consultant_a, carer_a, soc13, ALL_FOUR)
    with pytest.raises(ProtectedError):
        soc13_migration.delete_soc13(django_apps, None)
    assert MeasurementAnswer.objects.count() == 13


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def test_all_fours_score_52(soc13: Instrument) -> None:
    # A reversed 4 counts 8 - 4 = 4, so every item counts 4: 13 × 4 = 52,
    # comprehensibility 5 × 4 = 20, manageability 4 × 4 = 16, meaningfulness 4 × 4 = 16.
    assert score(instrument=soc13, answers=ALL_FOUR) == Score(
        total=52, subscales={"comprehensibility": 20, "manageability": 16, "meaningfulness": 16}
    )


def test_worked_example_with_reversed_items(soc13: Instrument) -> None:
    # The arithmetic is beside MIXED above.
    assert score(instrument=soc13, answers=MIXED) == Score(
        total=53, subscales={"comprehensibility": 22, "manageability": 15, "meaningfulness": 16}
    )


def test_soc13_runs_from_13_to_91(soc13: Instrument) -> None:
    reversed_items = {1, 2, 3, 7, 10}
    # Lowest: 7 on each reversed item (counts 1), 1 on the others: 13 × 1 = 13.
    lowest = {n: 7 if n in reversed_items else 1 for n in range(1, 14)}
    # Highest: the mirror image, 13 × 7 = 91.
    highest = {n: 1 if n in reversed_items else 7 for n in range(1, 14)}
    assert score(instrument=soc13, answers=lowest).total == 13
    assert score(instrument=soc13, answers=highest) == Score(
        total=91, subscales={"comprehensibility": 35, "manageability": 28, "meaningfulness": 28}
    )
    # Answering 1 everywhere is not the lowest: the five reversed items count 7 each,
    # 8 × 1 + 5 × 7 = 43.
    assert score(instrument=soc13, answers=dict.fromkeys(range(1, 14), 1)).total == 43


def test_reversal_uses_the_instruments_own_scale(mini: Instrument) -> None:
    # Scale 0-3: a reversed answer counts 0 + 3 - answer. Item 2 answered 1 counts 2.
    # Sub-scale a = item 1 (3) + item 2 (2) = 5; item 3 (1) only in the total: 3 + 2 + 1 = 6.
    assert score(instrument=mini, answers={1: 3, 2: 1, 3: 1}) == Score(total=6, subscales={"a": 5})
    # 0 is on this scale; reversed, it counts 3.
    assert score(instrument=mini, answers={1: 0, 2: 0, 3: 0}) == Score(total=3, subscales={"a": 3})


@pytest.mark.parametrize("value", [0, 8, -1, 70])
def test_answers_off_the_scale_are_refused(soc13: Instrument, value: int) -> None:
    with pytest.raises(ValidationError) as raised:
        score(instrument=soc13, answers={**ALL_FOUR, 5: value})
    assert codes(raised) == ["out_of_range"]
    assert "question 5" in raised.value.messages[0]
    assert "1" in raised.value.messages[0] and "7" in raised.value.messages[0]


@pytest.mark.parametrize("value", [True, "4", 4.0, None])
def test_answers_that_are_not_whole_numbers_are_refused(soc13: Instrument, value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        score(instrument=soc13, answers={**ALL_FOUR, 5: value})  # type: ignore[dict-item]
    assert codes(raised) == ["out_of_range"]


def test_the_ends_of_the_scale_are_accepted(soc13: Instrument) -> None:
    assert score(instrument=soc13, answers={**ALL_FOUR, 4: 1, 5: 7}).total == 52 - 3 + 3


def test_a_missing_answer_is_refused(soc13: Instrument) -> None:
    answers = dict(ALL_FOUR)
    del answers[13]
    with pytest.raises(ValidationError) as raised:
        score(instrument=soc13, answers=answers)
    assert codes(raised) == ["missing"]
    assert "13" in raised.value.messages[0]


def test_an_unknown_question_is_refused(soc13: Instrument) -> None:
    with pytest.raises(ValidationError) as raised:
        score(instrument=soc13, answers={**ALL_FOUR, 14: 4})
    assert codes(raised) == ["unknown"]
    assert "14" in raised.value.messages[0]


def test_every_problem_is_reported_at_once(soc13: Instrument) -> None:
    answers = dict.fromkeys(range(1, 12), 4)  # 12 and 13 missing
    answers.update({0: 4, 3: 9})
    with pytest.raises(ValidationError) as raised:
        score(instrument=soc13, answers=answers)
    assert codes(raised) == ["missing", "missing", "unknown", "out_of_range"]


# --------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------


def test_measurement_record_writes_rows_log_and_last_entry(
    soc13: Instrument, carer_a: Carer, consultant_a: User, org: Org
) -> None:
    before = timezone.now()
    request = RequestFactory().post("/", REMOTE_ADDR="10.9.8.7")

    measurement = record(consultant_a, carer_a, soc13, MIXED, measured_on=days_ago(3), request=request)

    stored = Measurement.objects.get()
    assert stored == measurement
    assert (stored.carer, stored.instrument, stored.recorded_by) == (carer_a, soc13, consultant_a)
    assert (stored.occasion, stored.measured_on) == (Measurement.Occasion.BEFORE, days_ago(3))
    # The answers are stored as given; reversal happens only when scoring.
    assert dict(stored.answers.values_list("item__number", "value")) == MIXED

    log = AccessLog.objects.get()
    assert (log.actor, log.action, log.unit) == (consultant_a, AccessLog.Action.CREATE, org.unit_a)
    assert (log.record_type, log.record_code) == ("contacts.measurement", str(measurement.code))
    assert log.subject_code == str(carer_a.code)
    assert log.ip_address == "10.9.8.7"

    bumped = carer_a.last_entry_at
    assert bumped >= before
    carer_a.refresh_from_db()
    assert carer_a.last_entry_at == bumped


def test_a_manager_above_the_unit_may_record(soc13: Instrument, carer_a: Carer, manager_a: User) -> None:
    record(manager_a, carer_a, soc13, ALL_FOUR)
    assert AccessLog.objects.get().actor == manager_a


def assert_nothing_written(carer: Carer) -> None:
    assert not Measurement.objects.exists()
    assert not MeasurementAnswer.objects.exists()
    assert not AccessLog.objects.exists()
    # Neither in the database nor on the caller's object.
    assert carer.last_entry_at == LONG_AGO
    carer.refresh_from_db()
    assert carer.last_entry_at == LONG_AGO


def test_a_date_in_the_future_is_refused(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    with pytest.raises(ValidationError) as raised:
        record(consultant_a, carer_a, soc13, ALL_FOUR, measured_on=days_ago(-1))
    assert "measured_on" in raised.value.message_dict
    assert_nothing_written(carer_a)
    # Today is not the future.
    record(consultant_a, carer_a, soc13, ALL_FOUR, measured_on=days_ago(0))


def test_invalid_answers_write_nothing(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    with pytest.raises(ValidationError):
        record(consultant_a, carer_a, soc13, {**ALL_FOUR, 1: 8})
    assert_nothing_written(carer_a)


def test_an_unknown_occasion_is_refused(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    with pytest.raises(ValidationError) as raised:
        record(consultant_a, carer_a, soc13, ALL_FOUR, occasion="during")
    assert "occasion" in raised.value.message_dict
    assert_nothing_written(carer_a)


def test_staff_of_another_municipality_may_not_record(soc13: Instrument, carer_a: Carer, consultant_b: User) -> None:
    with pytest.raises(PermissionDenied):
        record(consultant_b, carer_a, soc13, ALL_FOUR)
    assert_nothing_written(carer_a)


def test_a_failure_after_the_insert_rolls_everything_back(
    soc13: Instrument, carer_a: Carer, consultant_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_log(**kwargs: object) -> None:
        raise RuntimeError("the access log is down")

    monkeypatch.setattr(measurements, "access_log", broken_log)
    with pytest.raises(RuntimeError):
        record(consultant_a, carer_a, soc13, ALL_FOUR)
    assert_nothing_written(carer_a)


# --------------------------------------------------------------------------
# Scores of recorded measurements, and the change
# --------------------------------------------------------------------------


def test_measurement_scores_match_the_worked_example(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    measurement = record(consultant_a, carer_a, soc13, MIXED)
    assert measurement_scores(measurement=measurement) == score(instrument=soc13, answers=MIXED)
    assert measurement_scores(measurement=measurement).total == 53


def test_measurement_scores_take_a_fixed_number_of_queries(
    soc13: Instrument,
    mini: Instrument,
    carer_a: Carer,
    consultant_a: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # Two instruments of different sizes and different answers: the count must not move.
    ids = [
        record(consultant_a, carer_a, soc13, ALL_FOUR).pk,
        record(consultant_a, carer_a, soc13, MIXED).pk,
        record(consultant_a, carer_a, mini, {1: 3, 2: 1, 3: 1}).pk,
    ]
    totals = []
    for pk in ids:
        measurement = Measurement.objects.select_related("instrument").get(pk=pk)
        # One query for the answers, one for the instrument's items with their sub-scales.
        with django_assert_num_queries(2):
            totals.append(measurement_scores(measurement=measurement).total)
    assert totals == [52, 53, 6]


def test_kasam_change_needs_a_before_and_an_after(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    assert kasam_change(carer=carer_a, instrument=soc13) is None
    record(consultant_a, carer_a, soc13, ALL_FOUR, occasion=Measurement.Occasion.AFTER)
    assert kasam_change(carer=carer_a, instrument=soc13) is None


def test_kasam_change_needs_an_after(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    record(consultant_a, carer_a, soc13, ALL_FOUR, occasion=Measurement.Occasion.BEFORE)
    assert kasam_change(carer=carer_a, instrument=soc13) is None


def test_kasam_change_from_the_first_before_to_the_last_after(
    soc13: Instrument,
    mini: Instrument,
    carer_a: Carer,
    consultant_a: User,
    org: Org,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    before, after = Measurement.Occasion.BEFORE, Measurement.Occasion.AFTER
    # Recorded out of date order, so picking by insertion order would give another answer.
    last_after = record(consultant_a, carer_a, soc13, MIXED, occasion=after, measured_on=days_ago(10))
    record(consultant_a, carer_a, soc13, ALL_FOUR, occasion=after, measured_on=days_ago(20))
    record(consultant_a, carer_a, soc13, MIXED, occasion=before, measured_on=days_ago(80))
    first_before = record(consultant_a, carer_a, soc13, ALL_FOUR, occasion=before, measured_on=days_ago(90))
    # Neither another carer's nor another instrument's measurements count.
    other = Carer.objects.create(unit=org.unit_a, number=2, last_entry_at=timezone.now())
    record(consultant_a, other, soc13, dict.fromkeys(range(1, 14), 7), occasion=after, measured_on=days_ago(1))
    record(consultant_a, carer_a, mini, {1: 3, 2: 0, 3: 3}, occasion=after, measured_on=days_ago(1))

    # Two queries to find the two measurements, two each to score them.
    with django_assert_num_queries(6):
        change = kasam_change(carer=carer_a, instrument=soc13)

    # First before = all fours (52: 20/16/16), last after = MIXED (53: 22/15/16):
    # total 53 - 52 = +1; comprehensibility 22 - 20 = +2, manageability 15 - 16 = -1,
    # meaningfulness 16 - 16 = 0.
    assert change is not None
    assert (change["before"], change["after"]) == (first_before, last_after)
    assert change["total"] == 1
    assert change["subscales"] == {"comprehensibility": 2, "manageability": -1, "meaningfulness": 0}


def test_the_data_migration_stores_the_total_of_the_one_scoring_rule(org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps

    from contacts.measurements import measurement_scores
    from contacts.models import Measurement
    from tests.followup.test_figures import measure

    measure(casework.carer_a, "before", dt.date(2025, 1, 10), up=False, recorded_by=consultant_a)
    measure(casework.carer_a, "after", dt.date(2025, 3, 1), up=True, recorded_by=consultant_a)
    assert set(Measurement.objects.values_list("total", flat=True)) == {None}  # written past the service
    importlib.import_module("contacts.migrations.0005_fill_measurement_totals").fill_totals(apps, None)
    for measurement in Measurement.objects.all():
        assert measurement.total == measurement_scores(measurement=measurement).total
    assert sorted(Measurement.objects.values_list("total", flat=True)) == [52, 65]


def test_the_service_stores_the_total_it_scored(soc13: Instrument, carer_a: Carer, consultant_a: User) -> None:
    measurement = record(consultant_a, carer_a, soc13, dict.fromkeys(range(1, 14), 4))
    measurement.refresh_from_db()
    assert measurement.total == 52 == measurement_scores(measurement=measurement).total
