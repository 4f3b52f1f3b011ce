"""The national export (PRODUCT §8): a de-identified, small-cell-suppressed aggregate per
unit and period, as CSV and JSON, against docs/national-export.schema.json.

Dataset: March 2025 (Europe/Stockholm), counted by hand below.

Unit A ("Anhörigstöd Norra", code ``norra``): seven carers c0–c6 (born 1950, so 75 in
2025; dementia; c0–c4 women whose närstående has no municipal contact, c5–c6 men with
contact; c0 speaks "arabiska"), each with one talk, and five anonymous talks: 12 talks.

    talk  carer  start              time of day  gender  informed  children      focus
    T1    c0     Mon 03-03 10:00    daytime      woman   yes       yes           supporting, mapping
    T2    c1     Tue 03-04 10:00    daytime      woman   yes       yes           supporting
    T3    c2     Wed 03-05 10:00    daytime      woman   yes       yes           supporting
    T4    c3     Thu 03-06 10:00    daytime      woman   yes       yes           supporting
    T5    c4     Fri 03-07 10:00    daytime      woman   yes       yes           supporting
    T6    c5     Mon 03-10 18:00    evening      woman   yes       yes           supporting
    T7    c6     Tue 03-11 18:00    evening      man     yes       yes           –
    T8    –      Wed 03-12 18:00    evening      man     yes       not relevant  –
    T9    –      Thu 03-13 18:00    evening      man     yes       not relevant  –
    T10   –      Fri 03-14 18:00    evening      man     yes       not relevant  –
    T11   –      Mon 03-17 18:00    evening      man     no        not relevant  –
    T12   –      Sat 03-15 10:00    weekend      other   no        not relevant  –

Talks T1–T7 are of age band 65-79 and target group dementia, T8–T12 of age band unknown
and no target group. All at the office, initiated by the carer, no structured material.
Respite: five referrals to respite (c0–c4) and one not to respite; 2.5 hours to each of
c0–c5 = 15.0 hours, 6 carers. The café: one session, 7 people; the lecture: one session,
12 people. KASAM: c0–c5 measured before (January) and after (March); c0–c4 rose by 13,
c5 did not change: 6 carers, 5 improved, mean change 65 / 6 = 10.8.

Unit A2 ("Anhörigstöd Södra", ``sodra``): six anonymous talks on weekdays in March.
Unit B ("Anhörigstöd Sjöhaga", ``sjohaga``, another municipality): eight talks in March
with the carer "Bo Sjöhagasson".
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from django.core.management import call_command
from django.core.management.base import CommandError

from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import Carer, Partner, Referral, RespiteGrant, TalkFocus, TalkFocusEntry
from followup.disclosure import released_figures, released_for_national_format
from followup.figures import FollowUpFigures
from followup.measures import BY_CODE, CountUnit, Hidden, Mark
from followup.national.services import (
    CSV_COLUMNS,
    FORMAT_VERSION,
    MEASURE_CODES,
    MEASURES,
    Record,
    national_csv,
    national_dataset,
    national_document,
)
from groups.models import Session
from tests.followup.test_figures import at, carer, measure, talk
from tests.groups.conftest import activity_booking, activity_drop_in  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA = json.loads((ROOT / "docs" / "national-export.schema.json").read_text(encoding="utf-8"))
DOC = (ROOT / "docs" / "national-export.md").read_text(encoding="utf-8")
START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
PAGE = "/uppfoljning/nationell-export/"
CSV_URL = "/uppfoljning/nationell-export/aggregat.csv"
JSON_URL = "/uppfoljning/nationell-export/aggregat.json"
MARCH = {"start": "2025-03-01", "end": "2025-03-31"}
NAMES = ("Ylva", "Yngvesson", "Gunnel", "Testsson", "Bo Sjöhagasson", "Karin Konsulent", "Maria Chef", "arabiska")
PERSONNUMMER = "19500101"  # every carer's below starts so; casework.carer_a is 198501012390


@pytest.fixture
def dataset(org, casework, consultant_a, consultant_b, activity_drop_in, activity_booking):  # type: ignore[no-untyped-def]  # noqa: F811
    unit, kind, anonymous_kind = org.unit_a, casework.kinds["talk_series"], casework.kinds["individual_talk"]
    carers = [
        carer(
            unit, 200 + n, first_name="Ylva", last_name="Yngvesson", personnummer=f"{PERSONNUMMER}{n:04d}",
            birth_year=1950, gender="woman" if n < 5 else "man", target_group="dementia",
            close_person_has_municipal_contact="no" if n < 5 else "yes", language="arabiska" if n == 0 else "svenska",
        )
        for n in range(7)
    ]  # fmt: skip
    talks = []
    for n, who in enumerate(carers):
        started = at(f"2025-03-{3 + n:02d}") if n < 5 else at(f"2025-03-{5 + n:02d}", 18)
        made = talk(unit, consultant_a, kind, started, carer=who, time_of_day="daytime" if n < 5 else "evening",
                    gender="woman" if n < 6 else "man", age_band="65-79", target_group="dementia",
                    asked_about_children="yes")  # fmt: skip
        talks.append(made)
    for day, hour, time_of_day, gender, informed in (
        ("2025-03-12", 18, "evening", "man", "yes"),
        ("2025-03-13", 18, "evening", "man", "yes"),
        ("2025-03-14", 18, "evening", "man", "yes"),
        ("2025-03-17", 18, "evening", "man", "no"),
        ("2025-03-15", 10, "weekend", "other", "no"),
    ):
        talk(unit, consultant_a, anonymous_kind, at(day, hour), time_of_day=time_of_day, gender=gender,
             informed_right_to_apply=informed)  # fmt: skip
    for made in talks[:6]:
        TalkFocusEntry.objects.create(talk=made, focus="supporting")
    TalkFocusEntry.objects.create(talk=talks[0], focus="mapping")

    partner = Partner.objects.create(unit=unit, name="Avlösarna", organisation_type="private", offers_respite=True)
    for n, who in enumerate(carers[:6]):
        Referral.objects.create(unit=unit, carer=who, partner=partner, referred_on=dt.date(2025, 3, 3 + n),
                                respite=n < 5, recorded_by=consultant_a)  # fmt: skip
        RespiteGrant.objects.create(carer=who, given_on=dt.date(2025, 3, 10 + n), hours=Decimal("2.5"),
                                    recorded_by=consultant_a)  # fmt: skip
    Session.objects.create(activity=activity_drop_in, starts_at=at("2025-03-11", 14), ends_at=at("2025-03-11", 16),
                           head_count=7)  # fmt: skip
    Session.objects.create(activity=activity_booking, starts_at=at("2025-03-12", 18), ends_at=at("2025-03-12", 20),
                           head_count=12)  # fmt: skip
    for n, who in enumerate(carers[:6]):
        measure(who, "before", dt.date(2025, 1, 10), up=False, recorded_by=consultant_a)
        measure(who, "after", dt.date(2025, 3, 28), up=n < 5, recorded_by=consultant_a)

    # Outside the period: April in unit A.
    talk(unit, consultant_a, kind, at("2025-04-01"), carer=carers[0])
    # Unit A2: six anonymous talks.
    for day in (3, 4, 5, 6, 7, 10):
        talk(org.unit_a2, consultant_a, anonymous_kind, at(f"2025-03-{day:02d}"))
    # Unit B, another municipality: eight talks with a named carer.
    bo = Carer.objects.create(unit=org.unit_b, number=9, first_name="Bo", last_name="Sjöhagasson",
                              personnummer="194001019876", last_entry_at=at("2025-03-01"))  # fmt: skip
    for n in range(8):
        talk(org.unit_b, consultant_b, casework.kinds["talk_series"], at(f"2025-03-{3 + n:02d}"), carer=bo)
    # Written past the services: count the follow-up afresh, as the nightly check does.
    rollups_rebuild()
    return org


def values(records: list[Record], unit_code: str = "norra") -> dict[tuple[str, str | None], Any]:
    return {(r.measure, r.category): r.value for r in records if r.unit_code == unit_code}


def shown(cells: dict[tuple[str, str | None], Any], measure_code: str) -> dict[str | None, Any]:
    """A measure's shown cells by category."""
    return {category: value for (code, category), value in cells.items() if code == measure_code and value is not None}


def marks(records: list[Record], unit_code: str = "norra") -> dict[tuple[str, str | None], str]:
    return {(r.measure, r.category): r.mark for r in records if r.unit_code == unit_code}


def released_values(figures: FollowUpFigures) -> dict[tuple[str, str | None], tuple[Any, str]]:
    """Every national measure's released (value, mark) by (measure, category), as the
    records write them: hours with one decimal, a hidden value None with its mark's code."""
    found: dict[tuple[str, str | None], tuple[Any, str]] = {}
    for declared in MEASURES:
        item = figures.value(declared.code)
        pairs = [(cell.code, cell.shown) for cell in item.cells] if declared.is_distribution else [(None, item.shown)]
        for category, value in pairs:
            if isinstance(value, Hidden):
                found[(declared.code, category)] = (None, value.mark.value)
            elif declared.unit == CountUnit.HOURS:
                found[(declared.code, category)] = (float(round(Decimal(value), 1)), "")
            else:
                found[(declared.code, category)] = (value, "")
    return found


def test_values_equal_the_hand_count(dataset) -> None:  # type: ignore[no-untyped-def]
    records = national_dataset(units=[dataset.unit_a], start=START, end=END)
    cells = values(records)
    assert len(records) == sum(len(m.categories) or 1 for m in MEASURES) == 91
    # Respite: 5 referrals, 6 carers, 6 × 2.5 hours; no respite arranged at sessions (0).
    assert (cells["respite_referrals", None], cells["respite_carers", None]) == (5, 6)
    assert cells["respite_hours", None] == 15.0
    assert cells["respite_arranged_during_sessions", None] is None
    # 12 talks, 5 anonymous (the other 7 may be shown, so the part stays).
    assert (cells["individual_talks", None], cells["individual_talks_anonymous", None]) == (12, 5)
    assert shown(cells, "individual_talks_by_age_band") == {"65-79": 7, "unknown": 5}
    # Woman 6; other 1 and undisclosed 0 hidden as small. Man 5 is hidden too ("x", issue 16):
    # the unit tree's outputs are attacked together, with the bounds the honest marks give
    # ("<5" is 0-4, "x" at least 5) and the sums over units, and beside the förvaltning's
    # report (which hides its men as "x" to protect "other" = 1) this count pins a small one.
    assert shown(cells, "individual_talks_by_gender") == {"woman": 6}
    assert shown(cells, "individual_talks_by_target_group") == {"dementia": 7, "not_given": 5}
    assert shown(cells, "individual_talks_by_initiator") == {"carer": 12}
    assert shown(cells, "individual_talks_by_mode") == {"office": 12}
    assert shown(cells, "individual_talks_by_focus") == {"supporting": 6}
    # Group talks: the café is not a talk group (issue 11), so 0 sessions and 0 attendances,
    # both hidden as counts under 5 (format 1.x hides every count under 5, sessions too,
    # by followup.disclosure.released_for_national_format); education: the lecture, one
    # session (hidden), 12 people.
    assert (cells["group_talk_sessions", None], cells["group_talk_participants", None]) == (None, None)
    assert (cells["education_sessions", None], cells["education_participants", None]) == (None, 12)
    assert (cells["health_promotion_sessions", None], cells["health_promotion_participants", None]) == (None, None)
    assert cells["carers_reached", None] == 7
    assert cells["carers_reached_under_18", None] is None
    assert shown(cells, "carers_reached_by_age_band") == {"65-79": 7}
    # Women 5 shown; men 2, other 0, undisclosed 0 hidden.
    assert shown(cells, "carers_reached_by_gender") == {"woman": 5}
    assert shown(cells, "carers_reached_by_target_group") == {"dementia": 7}
    assert cells["kasam_carers", None] == 6
    assert cells["kasam_mean_change", None] == 10.8


def test_counts_under_5_are_null_and_flagged(dataset) -> None:  # type: ignore[no-untyped-def]
    records = national_dataset(units=[dataset.unit_a], start=START, end=END)
    by_key = {(r.measure, r.category): r for r in records}
    # One group talk session; the weekend talk; the carer of "other" gender; zero health sessions.
    for key in (
        ("group_talk_sessions", None),
        ("individual_talks_by_time_of_day", "weekend"),
        ("individual_talks_by_gender", "other"),
        ("health_promotion_sessions", None),
    ):
        assert (by_key[key].value, by_key[key].suppressed) == (None, True), key
        # Format 1.1: the record says why, a small count (CL_CONF_STATUS "A", printed "<5").
        assert by_key[key].mark == "A", key
    assert all(r.suppressed == (r.value is None) for r in records)
    assert all(r.suppressed == (r.mark != "") for r in records)
    assert all(r.value is None or r.value >= 5 for r in records if r.measure != "kasam_mean_change")


def test_complementary_suppression(dataset) -> None:  # type: ignore[no-untyped-def]
    records = national_dataset(units=[dataset.unit_a], start=START, end=END)
    cells, why = values(records), marks(records)
    # Daytime 5, evening 6, weekend 1 of 12: weekend alone hidden would be 12 − 6 − 5, so
    # the smallest shown (daytime) goes too.
    assert shown(cells, "individual_talks_by_time_of_day") == {"evening": 6}
    # Format 1.1 says why: the weekend is a small count ("A"); daytime, 5, is withheld
    # only to protect it (CL_CONF_STATUS "D", printed "x").
    assert cells["individual_talks_by_time_of_day", "daytime"] is None
    assert (why["individual_talks_by_time_of_day", "weekend"], why["individual_talks_by_time_of_day", "daytime"]) == (
        "A",
        "D",
    )
    # Informed: yes 10, no 2: no is hidden, so yes is hidden too.
    assert shown(cells, "individual_talks_by_informed_right_to_apply") == {}
    assert why["individual_talks_by_informed_right_to_apply", "no"] == "A"
    assert why["individual_talks_by_informed_right_to_apply", "yes"] == "D"
    # Children: yes 7, no 0 of 7 answered: the hidden "no" is known to be empty; yes stays.
    assert shown(cells, "individual_talks_by_asked_about_children") == {"yes": 7}
    # Structured material: yes 0, no 12 = all talks: nothing more is hidden.
    assert shown(cells, "individual_talks_by_structured_material") == {"no": 12}
    # 5 of 7 carers reached have no municipal contact: the other 2 are a small cell.
    assert cells["carers_reached_no_municipal_contact", None] is None
    # 5 of 6 carers improved: the one who did not is a small cell.
    assert cells["kasam_carers_improved", None] is None
    # Both are 5, withheld to protect the unpublished rest of 2 and of 1: "D".
    assert why["carers_reached_no_municipal_contact", None] == why["kasam_carers_improved", None] == "D"


def test_the_format_rule_sessions_and_hours(dataset) -> None:  # type: ignore[no-untyped-def]
    """Sessions under 5 and the respite hours beside withheld carers: the format's own rule,
    decided in followup.disclosure, not in the export."""
    records = national_dataset(units=[dataset.unit_a, dataset.unit_a2], start=START, end=END)
    released = released_figures(unit_ids=[dataset.unit_a2.pk], start=START, end=END)
    # The other outputs show the sessions held (not people) and the hours given ...
    assert released.value("education_sessions").value == 0
    assert released.value("respite_carers").mark == Mark.SMALL
    assert released.value("respite_hours").value == 0
    # ... the national format withholds them: a number of sessions under 5 is "A", and the
    # hours, withheld with the carers they were given to, are not available ("N").
    why = marks(records, "sodra")
    assert why["education_sessions", None] == "A"
    assert why["respite_carers", None] == "A"
    assert why["respite_hours", None] == "N"
    assert values(records, "sodra")["respite_hours", None] is None
    # A1's lecture: one session, "A"; its 6 carers with respite are shown, so the hours are.
    assert marks(records)["education_sessions", None] == "A"
    assert (values(records)["respite_hours", None], marks(records)["respite_hours", None]) == (15.0, "")
    with pytest.raises(ValueError, match="released figures only"):
        released_for_national_format(dataclasses.replace(released, suppressed=False))


def test_every_record_is_the_released_figure(dataset) -> None:  # type: ignore[no-untyped-def]
    """The export decides nothing: each record is its unit's released figure, with its mark."""
    units = [dataset.unit_a.parent, dataset.unit_a, dataset.unit_a2]
    records = national_dataset(units=units, start=START, end=END)
    for unit in units:
        released = released_for_national_format(released_figures(unit_ids=[unit.pk], start=START, end=END))
        expected = released_values(released)
        assert {(r.measure, r.category): (r.value, r.mark) for r in records if r.unit_code == unit.code} == expected


@pytest.fixture
def foci(org, casework, consultant_a):  # type: ignore[no-untyped-def]
    """Unit A, March 2025: five anonymous daytime talks, each with eight of the nine foci
    (all but wellness), and three of them with wellness too."""
    kind = casework.kinds["individual_talk"]
    every_but_wellness = [focus for focus in TalkFocus if focus != TalkFocus.WELLNESS]
    for n in range(5):
        made = talk(org.unit_a, consultant_a, kind, at(f"2025-03-{3 + n:02d}"))
        for focus in every_but_wellness + ([TalkFocus.WELLNESS] if n < 3 else []):
            TalkFocusEntry.objects.create(talk=made, focus=focus)
    rollups_rebuild()
    return org


def test_a_unit_the_old_rules_complemented_differently_reads_as_released(foci) -> None:  # type: ignore[no-untyped-def]
    """Complementary suppression is chosen by followup.disclosure only (format 1.1).

    Focus: eight categories of 5 and wellness 3. Format 1.0 withheld "informing" too, the
    smallest shown category beside a single withheld one, although the foci add up to no
    total (a talk may have several), so nothing can be subtracted from them. Now the
    record is the released figure: informing 5, wellness withheld as a small count."""
    records = national_dataset(units=[foci.unit_a], start=START, end=END)
    cells, why = values(records), marks(records)
    assert cells["individual_talks_by_focus", "informing"] == 5
    assert (cells["individual_talks_by_focus", "wellness"], why["individual_talks_by_focus", "wellness"]) == (
        None,
        "A",
    )
    assert shown(cells, "individual_talks_by_focus") == {
        focus.value: 5 for focus in TalkFocus if focus != TalkFocus.WELLNESS
    }
    released = released_figures(unit_ids=[foci.unit_a.pk], start=START, end=END)
    expected = released_values(released)
    # Every record equals the released figure, but for the format's own rule (sessions
    # under 5, and the hours with the carers), which only withholds more.
    format_rule = {key for key in expected if key[0] == "respite_hours" or BY_CODE[key[0]].unit == CountUnit.SESSIONS}
    for record in records:
        key = (record.measure, record.category)
        if key in format_rule:
            assert record.value is None or record.value == expected[key][0], key
        else:
            assert (record.value, record.mark) == expected[key], key


def test_each_unit_gets_its_own_aggregate(dataset) -> None:  # type: ignore[no-untyped-def]
    records = national_dataset(units=[dataset.unit_a2, dataset.unit_a], start=START, end=END)
    # Unit after unit (by code), each unit's records together.
    codes = [r.unit_code for r in records]
    assert codes == ["norra"] * 91 + ["sodra"] * 91
    assert values(records, "norra")["individual_talks", None] == 12
    assert values(records, "sodra")["individual_talks", None] == 6
    # A2's six talks are all anonymous, all daytime on weekdays: suppressed on their own.
    assert shown(values(records, "sodra"), "individual_talks_by_time_of_day") == {"daytime": 6}
    # No sum over the units anywhere.
    assert 18 not in [r.value for r in records]
    assert {r.kommunkod for r in records} == {"9901"}


def test_the_json_validates_against_the_documented_schema(dataset) -> None:  # type: ignore[no-untyped-def]
    records = national_dataset(units=[dataset.unit_a, dataset.unit_a2], start=START, end=END)
    document = json.loads(json.dumps(national_document(records, start=START, end=END)))
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert list(validator.iter_errors(document)) == []
    assert document["format_version"] == FORMAT_VERSION == "1.1"
    assert {record["mark"] for record in document["records"]} == {"", "A", "D", "N"}
    # The schema can fail: a count that is shown below 5, a measure it does not know.
    broken = json.loads(json.dumps(document))
    broken["records"][0]["value"] = 3
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(document))
    broken["records"][0]["measure"] = "carer_names"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(document))
    broken["records"][6]["category"] = "Under 18"  # a label, not a code
    assert not validator.is_valid(broken)
    # Format 1.1: every record has its mark, one of CL_CONF_STATUS's A, D, N, or empty
    # exactly when the value is shown; hours and a mean can only be "N".
    index = next(n for n, r in enumerate(document["records"]) if r["mark"] == "A")
    for change in (
        {"mark": "x"},  # the printed symbol, not the code
        {"mark": ""},  # withheld without a reason
        {"suppressed": False, "value": 7},  # shown with a mark
    ):
        broken = json.loads(json.dumps(document))
        broken["records"][index].update(change)
        assert not validator.is_valid(broken), change
    broken = json.loads(json.dumps(document))
    del broken["records"][0]["mark"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(document))
    hours = next(r for r in broken["records"] if r["measure"] == "respite_hours" and r["suppressed"])
    hours["mark"] = "D"
    assert not validator.is_valid(broken)
    # A 1.0 document (no marks) still validates: 1.1 only adds a field.
    old = json.loads(json.dumps(document))
    old["format_version"] = "1.0"
    for record in old["records"]:
        del record["mark"]
    assert validator.is_valid(old)


def test_every_measure_code_is_in_the_schema_and_the_doc(dataset) -> None:  # type: ignore[no-untyped-def]
    records = national_dataset(units=[dataset.unit_a], start=START, end=END)
    in_output = {r.measure for r in records}
    enumerated = SCHEMA["$defs"]["record"]["properties"]["measure"]["enum"]
    assert in_output == set(MEASURE_CODES) == set(enumerated)
    for code in in_output:
        assert f"| `{code}` |" in DOC, f"{code} is not in the measures table of docs/national-export.md"
    for category in {r.category for r in records} - {None}:
        assert f"`{category}`" in DOC, f"the category {category} is not documented"
    for column in CSV_COLUMNS:
        assert f"| `{column}` |" in DOC, f"the CSV column {column} is not documented"


def test_no_personal_data_leaves(dataset, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    for url in (CSV_URL, JSON_URL):
        body = client.get(url, MARCH).content.decode()
        assert "norra" in body
        for text in (*NAMES, PERSONNUMMER, "198501012390", "194001019876", "0a0a0a0a"):
            assert text not in body, (url, text)


def test_a_manager_gets_only_her_own_units(dataset, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    # By default every unit she manages: the administration and the two units under it.
    document = client.get(JSON_URL, MARCH).json()
    assert {r["unit_code"] for r in document["records"]} == {"sof", "norra", "sodra"}
    assert {r["kommunkod"] for r in document["records"]} == {"9901"}
    # Unit B is not a choice: a 404, on the page and the downloads alike.
    for url in (PAGE, CSV_URL, JSON_URL):
        assert client.get(url, {**MARCH, "unit": dataset.unit_b.pk}).status_code == 404
    # Choosing one of her units gives only that unit.
    document = client.get(JSON_URL, {**MARCH, "unit": dataset.unit_a2.pk}).json()
    assert {r["unit_code"] for r in document["records"]} == {"sodra"}


@pytest.mark.parametrize("persona", ["consultant_a", "consultant_b", "admin_a", "carer"])
def test_only_managers_may_export(persona: str, login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as(persona)
    for url in (PAGE, CSV_URL, JSON_URL):
        assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db) -> None:  # type: ignore[no-untyped-def]
    for url in (PAGE, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


def test_the_page_previews_the_record_count(dataset, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get(PAGE, {**MARCH, "unit": [dataset.unit_a.pk, dataset.unit_a2.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert response.context["records"] == 182
    assert [row["unit"].code for row in response.context["rows"]] == ["norra", "sodra"]
    # The hidden values by mark (A, D, N) add up to the hidden values.
    for row in response.context["rows"]:
        assert sum(row["by_mark"]) == row["suppressed"]
    assert sum(response.context["by_mark"]) == response.context["suppressed"]
    # Norra's "D": daytime, informed yes, no municipal contact, KASAM improved, and its men
    # (hidden with the unit tree's outputs attacked together: test_values_equal_the_hand_count).
    assert response.context["rows"][0]["by_mark"][1] == 5
    assert "182" in html and "Anhörigstöd Norra" in html and "Anhörigstöd Sjöhaga" not in html
    # Every field has a label; no choice to show small counts.
    for field_id in re.findall(r'<input[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, field_id
    assert "suppress_small" not in html
    assert 'formaction="/uppfoljning/nationell-export/aggregat.csv"' in html


def test_a_wrong_date_shows_the_form_not_a_dataset(dataset, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    response = client.get(PAGE, {"start": "2025-13-01"})
    assert response.status_code == 200
    assert "records" not in response.context
    download = client.get(CSV_URL, {"start": "2025-13-01"})
    assert download.status_code == 302
    assert download["Location"].startswith(PAGE)
    assert client.get("/uppfoljning/nationell-export/aggregat.xlsx").status_code == 404


def test_the_csv_download(dataset, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get(CSV_URL, {**MARCH, "unit": dataset.unit_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="nationell-export-20250301-20250331.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 91
    talks = next(row for row in rows if row["measure"] == "individual_talks")
    assert (talks["value"], talks["suppressed"], talks["category"]) == ("12", "false", "")
    weekend = next(row for row in rows if row["category"] == "weekend")
    assert (weekend["value"], weekend["suppressed"], weekend["mark"]) == ("", "true", "A")
    assert talks["mark"] == ""
    # Format 1.1 (was 1.0): the column "mark" was added (a minor change).
    assert {row["format_version"] for row in rows} == {"1.1"}


def test_csv_cells_are_formula_safe(org) -> None:  # type: ignore[no-untyped-def]
    # A unit code a spreadsheet would run (not a valid slug, but the database takes it),
    # next to a negative mean, which is a number and not a formula.
    common: dict[str, Any] = {"kommunkod": "9901", "period_start": START, "period_end": END, "area": "outcomes"}
    records = [
        Record(**common, unit_code='=HYPERLINK("http://evil")', measure="kasam_carers", category=None, value=6,
               suppressed=False, mark=""),
        Record(**common, unit_code="-norra", measure="kasam_mean_change", category=None, value=-1.5,
               suppressed=False, mark=""),
    ]  # fmt: skip
    cells = [cell for row in csv.reader(io.StringIO(national_csv(records))) for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'-norra" in cells and "-1.5" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert not cell.startswith("-") or re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell), cell


def test_the_command_writes_a_file(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "national.json"
    call_command("national_export", "--unit", "norra", "--unit", "sodra", "--start", "2025-03-01",
                 "--end", "2025-03-31", "--format", "json", "--output", str(output), stdout=io.StringIO())  # fmt: skip
    document = json.loads(output.read_text(encoding="utf-8"))
    assert jsonschema.Draft202012Validator(SCHEMA).is_valid(document)
    assert {r["unit_code"] for r in document["records"]} == {"norra", "sodra"}
    talks = {r["unit_code"]: r["value"] for r in document["records"] if r["measure"] == "individual_talks"}
    assert talks == {"norra": 12, "sodra": 6}

    output = tmp_path / "national.csv"
    call_command("national_export", "--unit", "norra", "--start", "2025-03-01", "--end", "2025-03-31",
                 "--output", str(output), stdout=io.StringIO())  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert len(rows) == 91 and rows[0]["unit_code"] == "norra"


def test_the_command_refuses_an_unknown_unit(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="nowhere"):
        call_command("national_export", "--unit", "nowhere", "--start", "2025-03-01", "--end", "2025-03-31",
                     "--output", str(tmp_path / "x.csv"))  # fmt: skip
    assert not (tmp_path / "x.csv").exists()
