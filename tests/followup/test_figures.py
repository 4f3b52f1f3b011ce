"""The follow-up figures against numbers counted by hand on a small fixed dataset.

Period: March 2025 (Europe/Stockholm), unit A ("Anhörigstöd Norra").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import (
    Carer,
    ExemptionDecision,
    Instrument,
    Measurement,
    MeasurementAnswer,
    Partner,
    Referral,
    RespiteGrant,
    Talk,
    TalkFocusEntry,
)
from followup.dashboard.export import safe_cell
from followup.disclosure import released_figures
from followup.figures import followup_figures
from groups.models import Session
from tests.followup.marks import PROTECTS, SMALL, UNAVAILABLE, hidden
from tests.groups.conftest import activity_application, activity_booking, activity_drop_in  # noqa: F401  (fixtures)

START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day} {hour:02d}:00").replace(tzinfo=timezone.get_current_timezone())


def talk(unit: Any, consultant: Any, kind: Any, started_at: dt.datetime, **fields: Any) -> Talk:
    values: dict[str, Any] = {
        "duration_minutes": 45,
        "mode": "office",
        "talk_type": "advice",
        "initiator": "carer",
        "time_of_day": "daytime",
        "informed_right_to_apply": "yes",
        "asked_about_children": "not_relevant",
    }
    values.update(fields)
    return Talk.objects.create(unit=unit, consultant=consultant, support_kind=kind, started_at=started_at, **values)


def carer(unit: Any, number: int, **fields: Any) -> Carer:
    return Carer.objects.create(unit=unit, number=number, last_entry_at=timezone.now(), **fields)


def measure(carer: Carer, occasion: str, on: dt.date, *, up: bool, recorded_by: Any) -> None:
    """Answer 4 on every item (4 counts as 4 reversed or not, on the 1-7 scale), or, with
    ``up``, the answer that counts as 5 (5, or 3 on a reversed item)."""
    instrument = Instrument.objects.get(code="soc13")
    measurement = Measurement.objects.create(
        carer=carer, instrument=instrument, occasion=occasion, measured_on=on, recorded_by=recorded_by
    )
    MeasurementAnswer.objects.bulk_create(
        MeasurementAnswer(measurement=measurement, item=item, value=(3 if item.reversed else 5) if up else 4)
        for item in instrument.items.all()
    )


@pytest.fixture
def dataset(org, casework, consultant_a, consultant_b, manager_a, activity_drop_in, activity_booking):  # noqa: F811
    unit, kind = org.unit_a, casework.kinds["talk_series"]
    anonymous_kind = casework.kinds["individual_talk"]
    # casework.talk_a (yesterday) and casework.carer_a lie outside March 2025.
    c1 = carer(
        unit, 11, birth_year=1950, gender="woman", target_group="dementia", close_person_has_municipal_contact="no"
    )
    c2 = carer(
        unit, 12, birth_year=1990, gender="man", target_group="mental", language="arabiska",
        close_person_has_municipal_contact="yes",
    )  # fmt: skip
    c3 = carer(unit, 13, birth_year=2010, gender="other", under_18=True)
    exemption = ExemptionDecision.objects.create(
        municipality=unit.municipality, board="Socialnämnden", decided_on=dt.date(2025, 1, 10),
        reference="SN 2025/114 § 52", valid_from=dt.date(2025, 1, 10), reason="anonymity",
        reason_text="Anonymitet", recorded_by=manager_a,
    )  # fmt: skip
    t1 = talk(unit, consultant_a, kind, at("2025-03-03"), carer=c1, structured_material="COAT",
              asked_about_children="yes", age_band="65-79", gender="woman", target_group="dementia")  # fmt: skip
    talk(unit, consultant_a, kind, at("2025-03-10", 18), carer=c1, mode="phone", initiator="health_care",
         time_of_day="evening", informed_right_to_apply="no", asked_about_children="no",
         age_band="65-79", gender="woman", target_group="dementia")  # fmt: skip
    t2 = Talk.objects.get(started_at=at("2025-03-10", 18))
    talk(unit, consultant_a, kind, at("2025-03-15"), carer=c2, mode="video", initiator="case_officer",
         time_of_day="weekend", informed_right_to_apply="not_relevant", asked_about_children="yes",
         age_band="30-44", gender="man", target_group="mental")  # fmt: skip
    talk(unit, consultant_a, anonymous_kind, at("2025-03-04"), exemption=exemption, mode="phone")
    talk(unit, manager_a, anonymous_kind, at("2025-03-20"), mode="chat", initiator="other", asked_about_children="no")
    talk(unit, consultant_a, kind, at("2025-03-25"), carer=c3, age_band="0-17", gender="other")
    TalkFocusEntry.objects.create(talk=t1, focus="supporting")
    TalkFocusEntry.objects.create(talk=t1, focus="mapping")
    TalkFocusEntry.objects.create(talk=t2, focus="supporting")
    # Outside: April in unit A, and March in unit B.
    outside = talk(unit, consultant_a, kind, at("2025-04-01"), carer=c2, informed_right_to_apply="no")
    TalkFocusEntry.objects.create(talk=outside, focus="informing")
    talk(org.unit_b, consultant_b, kind, at("2025-03-12"), carer=casework.carer_b)

    partner = Partner.objects.create(unit=unit, name="Avlösarna", organisation_type="private", offers_respite=True)
    for day, respite in (("2025-03-05", True), ("2025-03-06", True), ("2025-03-07", False), ("2025-04-02", True)):
        Referral.objects.create(
            unit=unit, carer=c1, partner=partner, referred_on=dt.date.fromisoformat(day), respite=respite,
            recorded_by=consultant_a,
        )  # fmt: skip
    for who, day, hours in ((c1, "2025-03-07", "4.5"), (c1, "2025-03-21", "2.0"), (c3, "2025-03-12", "3.0"),
                            (c2, "2025-02-28", "5.0")):  # fmt: skip
        RespiteGrant.objects.create(
            carer=who, given_on=dt.date.fromisoformat(day), hours=Decimal(hours), recorded_by=consultant_a
        )
    Session.objects.create(activity=activity_drop_in, starts_at=at("2025-03-11", 14), ends_at=at("2025-03-11", 16),
                           head_count=7, respite_arranged=1)  # fmt: skip
    Session.objects.create(activity=activity_booking, starts_at=at("2025-03-12", 18), ends_at=at("2025-03-12", 20),
                           head_count=12, respite_arranged=2)  # fmt: skip

    measure(c1, "before", dt.date(2025, 1, 10), up=False, recorded_by=consultant_a)
    measure(c1, "after", dt.date(2025, 3, 28), up=True, recorded_by=consultant_a)
    measure(c2, "before", dt.date(2025, 1, 12), up=False, recorded_by=consultant_a)
    measure(c2, "after", dt.date(2025, 3, 29), up=False, recorded_by=consultant_a)
    measure(c3, "after", dt.date(2025, 3, 29), up=True, recorded_by=consultant_a)  # no "before": not counted
    # Written past the services: count the follow-up afresh, as the nightly check does.
    rollups_rebuild()
    return org


def counts(rows: list[tuple[Any, Any]]) -> dict[str, Any]:
    return {str(label): value for label, value in rows if value}


def figures_for(org: Any, *, suppress_small: bool = False) -> Any:
    if suppress_small:
        return released_figures(unit_ids=[org.unit_a.pk], start=START, end=END)
    return followup_figures(unit_ids=[org.unit_a.pk], start=START, end=END)


def test_figures_equal_the_hand_count(dataset) -> None:  # type: ignore[no-untyped-def]
    figures = figures_for(dataset)

    # Referrals to respite 03-05 and 03-06 (03-07 is not to respite, 04-02 is outside).
    # Hours 4.5 + 2.0 + 3.0 to c1 and c3 (c2's 02-28 is outside).
    # Respite arranged: 1 at the café + 2 at the lecture.
    assert figures["respite"] == {
        "referrals": 2,
        "hours": Decimal("9.5"),
        "carers": 2,
        "arranged_during_sessions": 3,
    }
    talks = figures["support_talks"]
    # Six talks in March in unit A: c1 ×2, c2, c3, and two anonymous (one under the exemption).
    assert (talks["talks"], talks["carers"], talks["anonymous"], talks["anonymous_share"]) == (6, 3, 2, 33.3)
    assert talks["exemptions"] == [{"board": "Socialnämnden", "reference": "SN 2025/114 § 52", "talks": 1}]
    # The café is not a talk group (issue 11: only stödsamtal i grupp counts as group talks);
    # its 1 session and head count of 7 are shown apart, as another meeting in the area.
    assert (talks["group_sessions"], talks["group_participants"], talks["group_people"]) == (0, 0, 0)
    assert (talks["other_sessions"], talks["other_attendances"]) == (1, 7)
    by_key = {key: counts(rows) for _title, key, rows in talks["distributions"]}
    # Rows with a count, by their Swedish label (zero rows are in the lists too, left out here).
    assert by_key["age_band"] == {"65–79": 2, "30–44": 1, "Under 18": 1, "Okänt": 2}
    assert by_key["gender"] == {"Kvinna": 2, "Man": 1, "Annat": 1, "Vill ej uppge": 2}
    # Dementia t1, t2; mental t3; not given t4, t5 (anonymous) and t8 (c3).
    target = by_key["target_group"]
    assert (target["Demens / kognitiv svikt"], target["Psykisk ohälsa"], sum(target.values())) == (2, 1, 6)
    # Daytime t1, t4, t5, t8; evening t2; weekend t3 (a Saturday).
    assert by_key["time_of_day"] == {"Dagtid": 4, "Kväll": 1, "Helg": 1}
    # The carer t1, t4, t8; health care t2; needs assessor t3; other t5.
    assert by_key["initiator"] == {
        "Anhöriga själva": 3,  # the source's wording (issue 11, seed 004 L3034-3035)
        "Hälso- och sjukvård": 1,
        "Biståndshandläggare": 1,
        "Annat": 1,
    }
    # Office t1, t8; phone t2, t4; video t3; chat t5.
    assert by_key["mode"] == {"Besök på kontoret": 2, "Telefon": 2, "Video": 1, "Chatt": 1}
    # Supporting t1, t2; mapping t1 (April's "informing" is outside).
    assert by_key["focus"] == {"Stödjande": 2, "Kartläggande": 1}
    # Structured material only in t1.
    assert by_key["structured_material"] == {"Ja": 1, "Nej": 5}

    # Yes in t1, t4, t5, t8; no in t2 (t3 not relevant): 4 of 5.
    # Children: yes in t1, t3; no in t2, t5: 2 of 4.
    assert figures["legal"] == {
        "informed_yes": 4,
        "informed_answered": 5,
        "informed_share": 80.0,
        "children_yes": 2,
        "children_answered": 4,
        "children_share": 50.0,
    }
    # Education: the lecture, 1 session, 12 people. No health-promoting sessions.
    assert figures["education"] == {"sessions": 1, "participants": 12}
    assert figures["health"] == {"sessions": 0, "participants": 0}

    reach = figures["reach"]
    # c1 (75 in 2025, woman, dementia, no municipal contact), c2 (35, man, mental, arabiska),
    # c3 (15, under 18, other, no target group).
    assert (reach["carers"], reach["under_18"], reach["no_municipal_contact"]) == (3, 1, 1)
    assert counts(reach["age_band"]) == {"65–79": 1, "30–44": 1, "Under 18": 1}
    assert counts(reach["gender"]) == {"Kvinna": 1, "Man": 1, "Annat": 1}
    target = counts(reach["target_group"])
    assert (target["Demens / kognitiv svikt"], target["Psykisk ohälsa"], sum(target.values())) == (1, 1, 3)
    assert counts(reach["language"]) == {"svenska": 2, "arabiska": 1}

    # c1: 13 items × 4 = 52 before, 13 × 5 = 65 after: +13. c2: 52 → 52: 0. c3 has no "before".
    assert figures["outcomes"] == {
        "kasam_n": 2,
        "kasam_mean_change": 6.5,
        "kasam_improved": 1,
        "kasam_share_improved": 50.0,
    }

    workload = figures.workload
    # 1 March 2025 is a Saturday in ISO week 9, 31 March a Monday in week 14.
    assert workload["columns"] == [(f"2025-W{week:02d}", str(week)) for week in range(9, 15)]
    rows = {row["consultant"]: row for row in workload["rows"]}
    # Karin: t1, t4 in week 10; t2, t3 in week 11; t8 in week 13. Maria: t5 in week 12.
    assert rows["Karin Konsulent"]["cells"] == [0, 2, 2, 0, 1, 0]
    assert rows["Karin Konsulent"]["total"] == 5
    assert rows["Maria Chef"]["cells"] == [0, 0, 0, 1, 0, 0]


def test_labels_are_the_models_swedish_choices(dataset) -> None:  # type: ignore[no-untyped-def]
    talks = followup_figures(unit_ids=[dataset.unit_a.pk], start=START, end=END)["support_talks"]
    gender = dict(next(rows for _title, key, rows in talks["distributions"] if key == "gender"))
    assert {str(label) for label in gender} >= {"Kvinna", "Man"}
    assert gender[next(label for label in gender if str(label) == "Kvinna")] == 2


def test_small_counts_are_suppressed(dataset) -> None:  # type: ignore[no-untyped-def]
    figures = figures_for(dataset, suppress_small=True)
    talks = figures["support_talks"]
    # 6 talks may be shown; 3 carers and 2 anonymous talks may not, nor a share built on them.
    # (Issue 16: a hidden value carries its mark: "<5" for a small count, ".." for a share.)
    assert (talks["talks"], talks["carers"], talks["anonymous"], talks["anonymous_share"]) == (
        6,
        SMALL,
        SMALL,
        UNAVAILABLE,
    )
    assert talks["exemptions"][0]["talks"] == SMALL
    # 2 carers got respite; the hours given and the sessions held are not people and are
    # shown (issue 11: "Suppress counts of people, not the number of sessions held or hours given").
    assert figures["respite"]["carers"] == SMALL
    assert figures["respite"]["hours"] == Decimal("9.5")
    assert figures["education"] == {"sessions": 1, "participants": 12}
    assert figures["legal"]["informed_yes"] == SMALL
    assert figures["legal"]["informed_share"] == UNAVAILABLE
    assert figures["outcomes"]["kasam_mean_change"] == UNAVAILABLE
    for _title, _key, rows in talks["distributions"]:
        assert all(hidden(value) or value >= 5 for _label, value in rows)
    for row in figures.workload["rows"]:
        assert all(hidden(value) for value in row["cells"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+46 70", "'+46 70"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Anhörigcafé", "Anhörigcafé"),
        (12, "12"),
        # Issue 16: a hidden value prints its own mark (it was ``None``, always "<5").
        (SMALL, "<5"),
        (PROTECTS, "x"),
        (UNAVAILABLE, ".."),
    ],
)
def test_safe_cell_neutralises_formulas(value: Any, expected: str) -> None:
    assert safe_cell(value) == expected


def test_query_count_does_not_grow_with_the_talks(org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    unit = org.unit_a2
    carers = [carer(unit, 100 + i, birth_year=1950 + i, language=f"språk {i}") for i in range(3)]

    def add_talks(n: int) -> None:
        for i in range(n):
            made = talk(
                unit, consultant_a, casework.kinds["talk_series"], at("2025-03-03") + dt.timedelta(hours=i * 7),
                carer=carers[i % 3],
            )  # fmt: skip
            TalkFocusEntry.objects.create(talk=made, focus="supporting")
        rollups_rebuild()

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            figures = followup_figures(unit_ids=[unit.pk], start=START, end=END)
        return len(captured), figures["support_talks"]["talks"]

    add_talks(5)
    few, n_few = queries()
    add_talks(55)
    many, n_many = queries()
    assert (n_few, n_many) == (5, 60)
    assert few == many
    assert many <= 16


def test_the_trend_counts_talks_and_carers_per_month(dataset) -> None:  # type: ignore[no-untyped-def]
    # February to April: March holds the six talks of three carers; April the one talk of c2.
    figures = followup_figures(unit_ids=[dataset.unit_a.pk], start=dt.date(2025, 2, 1), end=dt.date(2025, 4, 30))
    assert figures.trend == [
        {"month": dt.date(2025, 2, 1), "talks": 0, "carers": 0},
        {"month": dt.date(2025, 3, 1), "talks": 6, "carers": 3},
        {"month": dt.date(2025, 4, 1), "talks": 1, "carers": 1},
    ]
    suppressed = released_figures(unit_ids=[dataset.unit_a.pk], start=dt.date(2025, 2, 1), end=dt.date(2025, 4, 30))
    assert [(item["talks"], item["carers"]) for item in suppressed.trend] == [
        (SMALL, SMALL),
        (6, SMALL),
        (SMALL, SMALL),
    ]


def test_a_bar_is_as_long_as_its_share_of_the_largest_value_and_a_hidden_count_has_none() -> None:
    from followup.templatetags.followup_charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, bar_geometry

    chart = bar_geometry([("Kvinna", 40), ("Man", 10), ("Annat", None), ("Vet ej", 0)])
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert [bar["length"] for bar in chart["bars"]] == pytest.approx([room, room / 4, 0.0, 0.0], abs=0.05)
    assert [bar["value"] for bar in chart["bars"]] == [40, 10, "<5", 0]
    assert bar_geometry([("Kvinna", None)])["bars"][0]["length"] == 0.0


def test_query_count_does_not_grow_with_the_kasam_measurements(org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    unit = org.unit_a

    def measure_carers(first: int, n: int) -> None:
        for i in range(first, first + n):
            who = carer(unit, 200 + i, birth_year=1960)
            measure(who, "before", dt.date(2025, 1, 10), up=False, recorded_by=consultant_a)
            measure(who, "after", dt.date(2025, 3, 20), up=i % 2 == 0, recorded_by=consultant_a)
        rollups_rebuild()

    def queries() -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as captured:
            figures = followup_figures(unit_ids=[unit.pk], start=START, end=END)
        return len(captured), figures["outcomes"]

    measure_carers(0, 2)
    few, outcomes_few = queries()
    measure_carers(2, 8)
    many, outcomes_many = queries()
    # Half improve by 13 points (every answer 4 -> 5), half do not change.
    assert (outcomes_few["kasam_n"], outcomes_few["kasam_mean_change"], outcomes_few["kasam_improved"]) == (2, 6.5, 1)
    assert (outcomes_many["kasam_n"], outcomes_many["kasam_mean_change"], outcomes_many["kasam_improved"]) == (
        10,
        6.5,
        5,
    )
    assert few == many


def test_children_as_carers_counted_by_the_talks_and_by_birth_year_and_flag(dataset, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    unit = dataset.unit_a
    # An anonymous talk with a carer under 18 (age band given on the talk), and a carer
    # born 2012 whose record lacks the under-18 flag.
    talk(unit, consultant_a, casework.kinds["individual_talk"], at("2025-03-18"), age_band="0-17")
    unflagged = carer(unit, 14, birth_year=2012, gender="man")
    talk(unit, consultant_a, casework.kinds["talk_series"], at("2025-03-19"), carer=unflagged, age_band="0-17")
    rollups_rebuild()
    figures = figures_for(dataset)
    children = figures["children"]
    # Talks: t8 (c3), the anonymous one and the unflagged carer's: 3.
    # Reached: c3 (born 2010, flagged) and the carer born 2012: 2 by birth year, 1 by flag.
    assert dict(children) == {
        "talks_under_18": 3,
        "reached_under_18_by_birth_year": 2,
        "reached_under_18_by_flag": 1,
    }
    assert figures["reach"]["under_18"] == 1


def test_referrals_by_the_partners_type_of_organisation(dataset) -> None:  # type: ignore[no-untyped-def]
    # Avlösarna (private) got three referrals in March (03-05, 03-06 and 03-07; 04-02 is outside).
    figures = figures_for(dataset)
    by_type = {cell.code: cell.value for cell in figures.value("referrals_by_partner_type").cells if cell.value}
    assert by_type == {"private": 3}


def test_staff_education_is_counted_apart_from_carers_and_the_public(dataset, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    from groups.models import Activity

    training = Activity.objects.create(
        unit=dataset.unit_a, title="Anhörigperspektivet för hemtjänsten", description="Utbildning",
        kind="staff_training", support_kind=casework.kinds["lecture"], purpose="knowledge",
        prevention_level="universal", registration_mode="drop_in", created_by=consultant_a, place="Stadshuset",
    )  # fmt: skip
    Session.objects.create(activity=training, starts_at=at("2025-03-20", 13), ends_at=at("2025-03-20", 15),
                           head_count=9)  # fmt: skip
    rollups_rebuild()
    figures = figures_for(dataset)
    # The lecture for carers stays as it was (1 session, 12 people); the staff training is apart.
    assert figures["education"] == {"sessions": 1, "participants": 12}
    assert dict(figures["staff_education"]) == {"sessions": 1, "participants": 9}


def test_group_talks_count_talk_groups_only_by_attendances_and_distinct_people(
    dataset,
    activity_application,  # noqa: F811
    consultant_a,
) -> None:  # type: ignore[no-untyped-def]
    """Hand count (issue 11): only a closed talk group (stödsamtal i grupp) is a group talk;
    its participants are given both as attendances and as distinct people."""
    from groups.models import Booking
    from groups.services.shredder import cull_documented_bookings

    def held(day: str, status: str = "scheduled") -> Session:
        return Session.objects.create(
            activity=activity_application, starts_at=at(day, 17), ends_at=at(day, 19), status=status
        )

    def attend(session: Session, person: str, attended: bool | None = True) -> None:
        Booking.objects.create(
            session=session, status="confirmed", name=person, email=f"{person}@example.se",
            person_key=f"{person}@example.se", attended=attended,
        )  # fmt: skip

    s1, s2, s3 = held("2025-03-04"), held("2025-03-11"), held("2025-03-18")
    for person in ("anna", "bo"):
        attend(s1, person)  # 2 attendances
    for person in ("anna", "bo", "cecilia"):
        attend(s2, person)  # 3 attendances
    attend(s2, "david", attended=False)  # booked, did not come: not counted
    attend(s3, "anna")  # 1 attendance
    cancelled = held("2025-03-25", status="cancelled")
    attend(cancelled, "erik")  # a cancelled session is not held
    attend(held("2025-04-01"), "frida")  # outside the period
    rollups_rebuild()

    talks = figures_for(dataset)["support_talks"]
    # 3 sessions held; 2 + 3 + 1 = 6 attendances by Anna, Bo and Cecilia: 3 people.
    assert (talks["group_sessions"], talks["group_participants"], talks["group_people"]) == (3, 6, 3)
    # The café (1 session, head count 7) is still shown apart, not as a group talk.
    assert (talks["other_sessions"], talks["other_attendances"]) == (1, 7)

    released = figures_for(dataset, suppress_small=True)["support_talks"]
    # Sessions are not people and are shown; 3 people are too few to show.
    assert released["group_sessions"] == 3
    assert released["group_people"] == SMALL

    # Gallring of who attended leaves the number of distinct people as it was: the person
    # key becomes the keyed hash the counts are kept by, and a rebuild finds no difference.
    later = timezone.now() + dt.timedelta(days=1)
    cull_documented_bookings(municipality=dataset.unit_a.municipality, cutoff=later, now=later, dry_run=False)
    assert not Booking.objects.exclude(email="").filter(session__activity=activity_application).exists()
    assert "anna@example.se" not in set(Booking.objects.values_list("person_key", flat=True))
    assert rollups_rebuild(dry_run=True).differing == 0
    assert figures_for(dataset)["support_talks"]["group_people"] == 3


def test_the_right_to_apply_is_asked_of_a_group_insats_with_no_answer_given(
    dataset,
    activity_application,  # noqa: F811
    activity_drop_in,  # noqa: F811
    login_as,
) -> None:  # type: ignore[no-untyped-def]
    """SoL 11 kap. 6 § is asked where insatser without needs assessment are given in groups
    (seed 004 L2116-2118), as an explicit choice; the share counts the sessions answered."""
    from django.urls import reverse

    today = timezone.localdate()
    starts = dt.datetime.combine(today, dt.time(9), tzinfo=timezone.get_current_timezone())
    group = [
        Session.objects.create(activity=activity_application, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
        for _ in range(3)
    ]
    cafe = Session.objects.create(activity=activity_drop_in, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    client = login_as("consultant_a")

    page = client.get(reverse("groups:session_detail", args=[group[0].code])).content.decode()
    assert 'name="informed_right_to_apply"' in page
    assert "checked" not in page.split('name="informed_right_to_apply"', 1)[1].split("</fieldset>", 1)[0]
    # An open café is not an insats: not asked there.
    assert (
        'name="informed_right_to_apply"'
        not in client.get(reverse("groups:session_detail", args=[cafe.code])).content.decode()
    )

    for session, answer in zip(group, ("yes", "no", ""), strict=True):
        response = client.post(
            reverse("groups:session_counts", args=[session.code]),
            {"respite_arranged": "0", "informed_right_to_apply": answer},
        )
        assert response.status_code == 302
    assert [Session.objects.get(pk=s.pk).informed_right_to_apply for s in group] == ["yes", "no", ""]

    legal = followup_figures(unit_ids=[dataset.unit_a.pk], start=today, end=today)["legal_groups"]
    # Yes in one session, no in one, the third not answered: 1 of 2, 50 %.
    assert (legal["informed_groups_yes"], legal["informed_groups_answered"], legal["informed_groups_share"]) == (
        1,
        2,
        50.0,
    )
