"""The pre-aggregated follow-up counts (anhorigstod/rollups) against a fresh count.

- On randomised data, the rollup-based figures equal counts made straight from the raw
  rows, for periods of whole months and for periods that cut months at both edges.
- The services keep the counts in their own transaction: after talks are logged,
  corrected and culled, and sessions held, cancelled and attended, a rebuild finds no
  difference.
- On PostgreSQL, threads log, correct and cull at the same time, and the counts still
  equal a fresh count; the negative control switches maintenance off and is caught.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from anhorigstod.lib.dates import local_range
from anhorigstod.rollups.models import Rollup
from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import (
    AgeBand,
    Answer,
    Carer,
    Gender,
    Initiator,
    RespiteGrant,
    Talk,
    TalkFocus,
    TalkFocusEntry,
    TalkMode,
    TalkType,
    TargetGroup,
    TimeOfDay,
)
from contacts.services import talks as talk_services
from contacts.services.carers import carer_update
from contacts.services.retention import cull_personal_records
from contacts.services.support import respite_record
from followup.figures import followup_figures
from tests.followup.test_figures import carer
from tests.groups.test_concurrency import run_together

YEAR = 2025


def random_talks(org: Any, casework: Any, consultants: list[Any], rng: random.Random, n: int) -> None:
    """``n`` talks over two units, half of them in four months of YEAR and the rest over
    the two years before it, written straight to the database."""
    units = [org.unit_a, org.unit_a2]
    carers = [carer(units[i % 2], 500 + i, birth_year=rng.choice([None, 1940, 1975, 2009]),
                    gender=rng.choice(Gender.values), language=rng.choice(["svenska", "arabiska"]))
              for i in range(12)]  # fmt: skip
    kinds = [casework.kinds["talk_series"], casework.kinds["individual_talk"]]
    tz = timezone.get_current_timezone()
    for _ in range(n):
        unit = rng.choice(units)
        who = rng.choice([None, *[c for c in carers if c.unit_id == unit.pk]])
        year = rng.choice([YEAR - 2, YEAR - 1, YEAR, YEAR])
        month = rng.randint(2, 5) if year == YEAR else rng.randint(1, 12)
        started = dt.datetime(year, month, rng.randint(1, 28), rng.randint(0, 23), tzinfo=tz)
        talk = Talk.objects.create(
            unit=unit, consultant=rng.choice(consultants), support_kind=rng.choice(kinds), carer=who,
            started_at=started, duration_minutes=30, mode=rng.choice(TalkMode.values),
            talk_type=rng.choice(TalkType.values), initiator=rng.choice(Initiator.values),
            time_of_day=rng.choice(TimeOfDay.values), informed_right_to_apply=rng.choice(Answer.values),
            asked_about_children=rng.choice(Answer.values), age_band=rng.choice(AgeBand.values),
            gender=rng.choice(Gender.values), target_group=rng.choice(["", *TargetGroup.values]),
            structured_material=rng.choice(["", "COAT"]),
        )  # fmt: skip
        for focus in rng.sample(TalkFocus.values, rng.randint(0, 2)):
            TalkFocusEntry.objects.create(talk=talk, focus=focus)
    for who in carers[:5]:
        RespiteGrant.objects.create(
            carer=who, given_on=dt.date(rng.choice([YEAR - 1, YEAR]), rng.randint(2, 5), rng.randint(1, 28)),
            hours=Decimal(rng.choice(["1.5", "3.0"])), recorded_by=consultants[0],
        )  # fmt: skip


def raw(unit_ids: list[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The figures counted straight from the raw rows, as the old figures module did."""
    begins, ends = local_range(start, end)
    talks = Talk.objects.filter(unit_id__in=unit_ids, started_at__gte=begins, started_at__lt=ends)
    result: dict[str, Any] = {
        "talks": talks.count(),
        "anonymous": talks.filter(carer=None).count(),
        "carers": talks.exclude(carer=None).values("carer").distinct().count(),
        "focus": dict(
            TalkFocusEntry.objects.filter(talk__in=talks).values_list("focus").annotate(n=Count("pk")).order_by()
        ),
    }
    for name in ("gender", "time_of_day", "initiator", "mode", "age_band"):
        result[name] = dict(talks.values_list(name).annotate(n=Count("pk")).order_by())
    reached = Carer.objects.filter(pk__in=talks.exclude(carer=None).values("carer"))
    result["reach_gender"] = dict(reached.values_list("gender").annotate(n=Count("pk")).order_by())
    result["reach_language"] = dict(reached.values_list("language").annotate(n=Count("pk")).order_by())
    result["consultants"] = dict(talks.values_list("consultant__full_name").annotate(n=Count("pk")).order_by())
    grants = RespiteGrant.objects.filter(carer__unit_id__in=unit_ids, given_on__gte=start, given_on__lte=end)
    result["respite"] = (grants.aggregate(h=Sum("hours"))["h"] or Decimal(0), grants.values("carer").distinct().count())
    months = {}
    first = start.replace(day=1)
    while first <= end:
        b, e = max(first, start), min((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), end)
        mb, me = local_range(b, e)
        in_month = talks.filter(started_at__gte=mb, started_at__lt=me)
        months[first] = (in_month.count(), in_month.exclude(carer=None).values("carer").distinct().count())
        first = (first + dt.timedelta(days=32)).replace(day=1)
    result["months"] = months
    return result


def from_rollups(unit_ids: list[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    figures = followup_figures(unit_ids=unit_ids, start=start, end=end)
    talks = figures["support_talks"]

    def codes(code: str) -> dict[str, int]:
        return {cell.code: cell.value for cell in figures.value(code).cells if cell.value}

    return {
        "talks": talks["talks"],
        "anonymous": talks["anonymous"],
        "carers": talks["carers"],
        "focus": codes("individual_talks_by_focus"),
        **{
            name: codes(f"individual_talks_by_{name}")
            for name in ("gender", "time_of_day", "initiator", "mode", "age_band")
        },
        "reach_gender": codes("carers_reached_by_gender"),
        "reach_language": codes("carers_reached_by_language"),
        "consultants": {row["consultant"]: row["total"] for row in figures.workload["rows"] if row["total"]},
        "respite": (figures["respite"]["hours"], figures["respite"]["carers"]),
        "months": {row["month"]: (row["talks"], row["carers"]) for row in figures.trend},
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_figures_equal_a_raw_count_on_random_data(org, casework, consultant_a, manager_a, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    random_talks(org, casework, [consultant_a, manager_a], rng, 150)
    rollups_rebuild()
    periods = [
        (dt.date(YEAR, 2, 1), dt.date(YEAR, 5, 31)),  # whole months only
        (dt.date(YEAR, 2, 14), dt.date(YEAR, 4, 9)),  # both edges cut a month
        (dt.date(YEAR, 3, 3), dt.date(YEAR, 3, 17)),  # inside one month
        (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),  # the year
        (dt.date(YEAR - 1, 1, 1), dt.date(YEAR, 12, 31)),  # two whole years
        (dt.date(YEAR - 2, 1, 1), dt.date(YEAR, 12, 31)),  # three whole years
        (dt.date(YEAR - 1, 3, 1), dt.date(YEAR, 12, 31)),  # 22 months: a whole year and ten months
        (dt.date(YEAR - 2, 11, 14), dt.date(YEAR, 2, 9)),  # a year between two cut months
        (dt.date(YEAR - 2, 12, 31), dt.date(YEAR, 1, 1)),  # a year between two single days
    ]
    for start, end in periods:
        for unit_ids in ([org.unit_a.pk], [org.unit_a.pk, org.unit_a2.pk]):
            expected, got = raw(unit_ids, start, end), from_rollups(unit_ids, start, end)
            assert got == expected, (start, end, unit_ids)


def test_the_services_keep_the_counts_and_a_rebuild_finds_nothing_to_repair(org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    kind = casework.kinds["talk_series"]
    people = [carer(org.unit_a, 700 + i, birth_year=1960) for i in range(3)]
    logged = [
        talk_services.talk_log(
            consultant=consultant_a, unit=org.unit_a, data=talk_data(kind, who, days=i, focus=["mapping"])
        )
        for i, who in enumerate([*people, None])
    ]
    talk_services.talk_update(updated_by=consultant_a, talk=logged[0], data={"mode": "phone"}, focus=["informing"])
    respite_record(recorded_by=consultant_a, carer=people[1], given_on=dt.date.today(), hours=Decimal("2.5"))
    assert rollups_rebuild(dry_run=True).differing == 0
    # The talk correction moved one talk from office to phone.
    today = timezone.localdate()
    figures = followup_figures(unit_ids=[org.unit_a.pk], start=today - dt.timedelta(days=30), end=today)
    modes = {cell.code: cell.value for cell in figures.value("individual_talks_by_mode").cells}
    assert (modes["phone"], modes["office"]) == (1, 4)  # casework.talk_a is at the office too

    # A carer's record changes: reach counts them as it says now.
    carer_update(updated_by=consultant_a, carer=people[2], data={"gender": "man", "language": "finska"})
    assert rollups_rebuild(dry_run=True).differing == 0
    changed = followup_figures(unit_ids=[org.unit_a.pk], start=today - dt.timedelta(days=30), end=today)
    assert {cell.code: cell.value for cell in changed.value("carers_reached_by_language").cells}["finska"] == 1

    # Culling: two of the carers are past their retention time.
    Carer.objects.filter(pk__in=[people[0].pk, people[1].pk]).update(
        last_entry_at=timezone.now() - dt.timedelta(days=6 * 366)
    )
    cull_personal_records(municipality=org.unit_a.municipality)
    assert rollups_rebuild(dry_run=True).differing == 0
    after = followup_figures(unit_ids=[org.unit_a.pk], start=today - dt.timedelta(days=30), end=today)
    assert after["support_talks"]["talks"] == figures["support_talks"]["talks"] - 2
    assert after["respite"]["carers"] == 0


def test_a_missed_write_is_reported_and_repaired(org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    talk = casework.talk_a
    Talk.objects.filter(pk=talk.pk).update(mode="home")  # past the services
    report = rollups_rebuild(dry_run=True)
    assert report.differing == 2  # the talk's day and month documents
    assert "talk__mode stored 1 / fresh 1" in str(report)
    assert rollups_rebuild().differing == 2
    assert rollups_rebuild(dry_run=True).differing == 0


def test_the_command_reports_no_difference_on_the_demo(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Rollup.objects.exists()
    from io import StringIO

    out = StringIO()
    call_command("rollups_rebuild", "--dry-run", stdout=out)
    assert " 0 differing documents or sets would be replaced" in out.getvalue(), out.getvalue()


def talk_data(kind: Any, who: Any, *, days: int = 0, focus: list[str] | None = None) -> talk_services.TalkData:
    """A talk with ``who``; without a carer, an anonymous advice talk (``kind`` is an insats)."""
    if who is None:
        kind = kind.municipality.support_kinds.get(code="individual_talk")
    return talk_services.TalkData(
        support_kind=kind, started_at=timezone.now() - dt.timedelta(days=days, hours=1), duration_minutes=30,
        mode="office", talk_type="advice", initiator="carer", informed_right_to_apply="yes",
        asked_about_children="no", carer=who, focus=focus or [],
    )  # fmt: skip


# --------------------------------------------------------------------------
# Concurrency (PostgreSQL)
# --------------------------------------------------------------------------


def concurrent_writes(org: Any, casework: Any, consultant_a: Any) -> Counter[str]:
    """Eight threads: five log talks, two correct talks, one culls old carers, all at once."""
    kind = casework.kinds["talk_series"]
    people = [carer(org.unit_a, 800 + i, birth_year=1950) for i in range(5)]
    old = [carer(org.unit_a, 900 + i, birth_year=1950) for i in range(4)]
    to_correct = [
        talk_services.talk_log(consultant=consultant_a, unit=org.unit_a, data=talk_data(kind, who, days=3))
        for who in people[:2]
    ]
    for who in old:
        talk_services.talk_log(consultant=consultant_a, unit=org.unit_a, data=talk_data(kind, who, days=2))
    Carer.objects.filter(pk__in=[who.pk for who in old]).update(
        last_entry_at=timezone.now() - dt.timedelta(days=6 * 366)
    )

    def work(index: int) -> str:
        if index < 5:
            for day in range(4):
                talk_services.talk_log(
                    consultant=consultant_a, unit=org.unit_a,
                    data=talk_data(kind, people[index] if day % 2 else None, days=day, focus=["supporting"]),
                )  # fmt: skip
            return "logged"
        if index < 7:
            talk = to_correct[index - 5]
            for mode in ("phone", "video", "home"):
                talk_services.talk_update(
                    updated_by=consultant_a,
                    talk=talk,
                    data={"mode": mode},
                    focus=[(mode == "home" and "mapping") or "informing"],
                )
            return "corrected"
        cull_personal_records(municipality=org.unit_a.municipality)
        return "culled"

    return Counter(str(result) for result in run_together(8, work))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_logging_correcting_and_culling_keep_the_counts_exact(org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    outcomes = concurrent_writes(org, casework, consultant_a)
    assert outcomes == Counter({"logged": 5, "corrected": 2, "culled": 1}), outcomes
    assert Talk.objects.filter(unit=org.unit_a).count() == 1 + 2 + 20  # casework.talk_a, the corrected, the logged
    assert rollups_rebuild(dry_run=True).differing == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_broken_maintenance_is_caught(org, casework, consultant_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The talk service forgets its counts: the same run must then leave differences.
    monkeypatch.setattr(talk_services, "rollup_apply", lambda counts: None)
    outcomes = concurrent_writes(org, casework, consultant_a)
    assert outcomes["logged"] == 5
    assert rollups_rebuild(dry_run=True).differing > 0


def test_measurements_keep_the_kasam_counts_through_a_new_after_and_a_cull(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    """SOC-13 is counted at recording: a carer counts on the day of each "after" with the
    change of their whole history, which a later "after" rewrites everywhere."""
    from contacts.models import Instrument
    from contacts.services.measurements import measurement_record

    instrument = Instrument.objects.get(code="soc13")
    items = list(instrument.items.order_by("number"))
    today = timezone.localdate()

    def answers(level: int) -> dict[int, int]:
        # Every item counts as ``level`` (a reversed item is answered 8 - level).
        return {item.number: 8 - level if item.reversed else level for item in items}

    def record(who: Any, occasion: str, days_ago: int, level: int) -> None:
        measurement_record(
            recorded_by=consultant_a, carer=who, instrument=instrument, occasion=occasion,
            measured_on=today - dt.timedelta(days=days_ago), answers=answers(level),
        )  # fmt: skip

    def outcomes(start: dt.date) -> tuple[Any, Any, Any]:
        found = followup_figures(unit_ids=[org.unit_a.pk], start=start, end=today)["outcomes"]
        return found["kasam_n"], found["kasam_mean_change"], found["kasam_improved"]

    anna, bo = carer(org.unit_a, 801), carer(org.unit_a, 802)
    record(anna, "before", 100, 3)
    record(anna, "after", 50, 5)  # +26 (13 items, 2 points each)
    record(bo, "before", 90, 4)
    record(bo, "after", 10, 3)  # -13
    assert rollups_rebuild(dry_run=True).differing == 0
    assert outcomes(today - dt.timedelta(days=60)) == (2, 6.5, 1)
    assert outcomes(today - dt.timedelta(days=30)) == (1, -13.0, 0)  # only Bo's "after" is in it

    # Anna's new "after" changes her change to +13, also for the period of her first one.
    record(anna, "after", 5, 4)
    assert rollups_rebuild(dry_run=True).differing == 0
    assert outcomes(today - dt.timedelta(days=60)) == (2, 0.0, 1)

    Carer.objects.filter(pk=bo.pk).update(last_entry_at=timezone.now() - dt.timedelta(days=6 * 366))
    cull_personal_records(municipality=org.unit_a.municipality)
    assert rollups_rebuild(dry_run=True).differing == 0
    assert outcomes(today - dt.timedelta(days=60)) == (1, 13.0, 1)
