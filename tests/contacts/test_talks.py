"""Logging talks through the browser (PRODUCT §2 and §4): anonymous and identified talks,
the nämnd's exemptions, what a refused form keeps, drafts and "bring up next time".

Everything goes through the test client by literal URL, the way a consultant works.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from contacts.models import Carer, ExemptionDecision, SupportKind, Talk, TalkDraft, TalkFocusEntry
from contacts.services.carers import age_band, carer_create
from contacts.services.documentation import exemption_record
from tests.conftest import CARER_A, CARER_B, Casework

NEW = "/samtal/nytt/"
DRAFT = "/samtal/utkast/"
FOR_CARER_A = f"/anhoriga/{CARER_A}/samtal/"


def last_weekday(before: dt.date | None = None) -> dt.date:
    """The latest Monday-to-Friday strictly before ``before`` (today by default)."""
    day = (before or timezone.localdate()) - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def last_saturday() -> dt.date:
    day = timezone.localdate() - dt.timedelta(days=1)
    while day.weekday() != 5:
        day -= dt.timedelta(days=1)
    return day


def talk_post(
    kind: SupportKind, *, day: dt.date | None = None, time: str = "10:00", **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "support_kind": str(kind.pk),
        "date": (day or last_weekday()).isoformat(),
        "time": time,
        "duration_minutes": "40",
        "mode": "phone",
        "talk_type": "advice",
        "focus": ["supporting", "informing"],
        "initiator": "health_care",
        "structured_material": "COAT-samtal",
        "informed_right_to_apply": "yes",
        "asked_about_children": "no",
        "age_band": "45-64",
        "gender": "woman",
        "target_group": "dementia",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def exemption_for(
    casework: Casework, manager: User, *codes: str, reference: str = "SN 2025/114 § 52"
) -> ExemptionDecision:
    start = timezone.localdate() - dt.timedelta(days=60)
    return exemption_record(
        recorded_by=manager,
        municipality=casework.carer_a.unit.municipality,
        data={
            "board": "Socialnämnden",
            "decided_on": start,
            "reference": reference,
            "valid_from": start,
            "valid_to": None,
            "reason": "low_threshold",
            "reason_text": "Låg tröskel för att söka stöd.",
        },
        kinds=[casework.kinds[code] for code in codes],
    )


@pytest.fixture
def karin(casework: Casework, login_as: Any) -> Client:
    return login_as("consultant_a")


def new_talks(before: set[int]) -> list[Talk]:
    return list(Talk.objects.exclude(pk__in=before))


def talk_ids() -> set[int]:
    return set(Talk.objects.values_list("pk", flat=True))


# --- Anonymous talks ------------------------------------------------------------------------


def test_an_anonymous_talk_is_logged_with_its_statistics(casework: Casework, karin: Client, consultant_a: User) -> None:
    before = talk_ids()
    day = last_weekday()

    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], day=day, time="10:15"))

    assert response.status_code == 302
    [talk] = new_talks(before)
    assert talk.carer is None
    assert talk.exemption is None
    assert talk.unit == casework.carer_a.unit
    assert talk.consultant == consultant_a
    assert talk.support_kind == casework.kinds["individual_talk"]
    assert timezone.localtime(talk.started_at).replace(tzinfo=None) == dt.datetime.combine(day, dt.time(10, 15))
    assert (talk.duration_minutes, talk.mode, talk.talk_type, talk.initiator) == (40, "phone", "advice", "health_care")
    assert (talk.informed_right_to_apply, talk.asked_about_children) == ("yes", "no")
    assert talk.structured_material == "COAT-samtal"
    assert (talk.age_band, talk.gender, talk.target_group) == ("45-64", "woman", "dementia")
    assert talk.time_of_day == "daytime"
    assert (talk.next_step, talk.bring_up_next_time) == ("", "")
    assert set(TalkFocusEntry.objects.filter(talk=talk).values_list("focus", flat=True)) == {"supporting", "informing"}
    # Back to an empty form for the next talk.
    assert response["Location"].startswith(NEW)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        pytest.param("weekday-18:30", "evening", id="evening"),
        pytest.param("weekday-06:30", "evening", id="early-morning"),
        pytest.param("weekday-16:59", "daytime", id="daytime"),
        pytest.param("saturday-10:00", "weekend", id="weekend"),
    ],
)
def test_time_of_day_is_derived_from_the_start(casework: Casework, karin: Client, when: str, expected: str) -> None:
    which, time = when.split("-")
    day = last_saturday() if which == "saturday" else last_weekday()
    before = talk_ids()

    karin.post(NEW, talk_post(casework.kinds["individual_talk"], day=day, time=time))

    [talk] = new_talks(before)
    assert talk.time_of_day == expected


def test_an_anonymous_talk_without_an_age_band_is_stored_as_unknown(casework: Casework, karin: Client) -> None:
    """The age band is optional; left out it is "unknown", never the first band in the list."""
    form = karin.get(NEW).context["form"]
    assert form["age_band"].value() == "unknown"

    before = talk_ids()
    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], age_band=None, gender=None))

    assert response.status_code == 302, response.context["form"].errors
    [talk] = new_talks(before)
    assert (talk.age_band, talk.gender) == ("unknown", "undisclosed")


def test_an_anonymous_talk_form_has_no_note_fields(casework: Casework, karin: Client) -> None:
    before = talk_ids()

    karin.post(NEW, talk_post(casework.kinds["individual_talk"], next_step="Ring", bring_up_next_time="Oro"))

    [talk] = new_talks(before)
    assert (talk.next_step, talk.bring_up_next_time) == ("", "")


# --- Identified talks -------------------------------------------------------------------------


def test_an_identified_talk_copies_the_carers_statistics_and_is_logged(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    carer = casework.carer_a
    long_ago = timezone.now() - dt.timedelta(days=400)
    Carer.objects.filter(pk=carer.pk).update(last_entry_at=long_ago, birth_year=1941)
    before = talk_ids()
    logs_before = AccessLog.objects.count()
    day = last_weekday()

    response = karin.post(
        FOR_CARER_A,
        talk_post(
            casework.kinds["talk_series"],
            day=day,
            time="18:00",
            follow_up_on=(day + dt.timedelta(days=14)).isoformat(),
            next_step="Boka nästa samtal.",
            bring_up_next_time="Fråga hur avlösningen fungerar.",
            # The carer's own statistics win over anything posted.
            age_band="18-29",
            gender="man",
            target_group="npf",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/anhoriga/{CARER_A}/"
    [talk] = new_talks(before)
    assert talk.carer == carer
    assert talk.exemption is None
    assert talk.next_step == "Boka nästa samtal."
    assert talk.bring_up_next_time == "Fråga hur avlösningen fungerar."
    assert talk.follow_up_on == day + dt.timedelta(days=14)
    assert talk.time_of_day == "evening"
    # Born 1941: 80 or older; a woman; the närstående has dementia.
    assert (talk.age_band, talk.gender, talk.target_group) == ("80-", "woman", "dementia")
    carer.refresh_from_db()
    assert carer.last_entry_at > timezone.now() - dt.timedelta(minutes=1)
    created = AccessLog.objects.filter(action="create", record_type="contacts.talk", record_code=str(talk.code))
    assert created.count() == 1
    entry = created.get()
    assert entry.subject_code == CARER_A
    assert entry.actor == consultant_a
    assert entry.unit == carer.unit
    assert AccessLog.objects.count() > logs_before


def test_an_identified_advice_talk_may_hold_notes(casework: Casework, karin: Client) -> None:
    before = talk_ids()

    response = karin.post(FOR_CARER_A, talk_post(casework.kinds["individual_talk"], next_step="Skicka broschyr."))

    assert response.status_code == 302
    [talk] = new_talks(before)
    assert (talk.carer_id, talk.next_step) == (casework.carer_a.pk, "Skicka broschyr.")


# --- Exemptions ----------------------------------------------------------------------------------


def test_an_exemption_refuses_the_identified_talk_and_keeps_what_was_typed(
    casework: Casework, karin: Client, manager_a: User
) -> None:
    exemption_for(casework, manager_a, "talk_series")
    before = talk_ids()
    day = last_weekday()
    posted = talk_post(
        casework.kinds["talk_series"],
        day=day,
        time="13:25",
        duration_minutes="55",
        mode="walk",
        talk_type="unburdening",
        focus=["supporting", "wellness"],
        initiator="case_officer",
        structured_material="Egen samtalsmall",
        asked_about_children="yes",
        follow_up_on=(day + dt.timedelta(days=7)).isoformat(),
        next_step="Ring tisdag.",
        bring_up_next_time="Sömnen.",
    )

    response = karin.post(FOR_CARER_A, posted)

    assert response.status_code == 200
    assert talk_ids() == before
    form = response.context["form"]
    assert form.errors
    # The refusal is about the carer's identity (not a form field: a form-wide error) and the notes.
    assert set(form.errors) >= {"__all__"}
    for name, value in posted.items():
        if name in form.fields:
            if isinstance(value, list):
                assert form.data.getlist(name) == value, name
            else:
                assert form.data.get(name) == value, name
    html = response.content.decode()
    for text in ("Egen samtalsmall", "Ring tisdag.", "Sömnen.", day.isoformat(), "13:25", 'value="55"'):
        assert text in html, text
    # The chosen radio buttons and checkboxes are still checked.
    for name, value in (
        ("mode", "walk"),
        ("focus", "wellness"),
        ("focus", "supporting"),
        ("support_kind", str(casework.kinds["talk_series"].pk)),
    ):
        assert _checked(html, name, value), (name, value)


def _checked(html: str, name: str, value: str) -> bool:
    import re

    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    return False


def test_an_exemption_refuses_the_identified_talk_without_notes_too(
    casework: Casework, karin: Client, manager_a: User
) -> None:
    exemption_for(casework, manager_a, "talk_series")
    before = talk_ids()

    response = karin.post(FOR_CARER_A, talk_post(casework.kinds["talk_series"]))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert talk_ids() == before


def test_under_an_exemption_the_anonymous_talk_is_saved_under_the_decision(
    casework: Casework, karin: Client, manager_a: User
) -> None:
    decision = exemption_for(casework, manager_a, "talk_series")
    before = talk_ids()

    response = karin.post(NEW, talk_post(casework.kinds["talk_series"]))

    assert response.status_code == 302
    [talk] = new_talks(before)
    assert talk.carer is None
    assert talk.exemption == decision
    assert (talk.age_band, talk.gender, talk.target_group) == ("45-64", "woman", "dementia")


def test_an_insats_without_exemption_is_not_logged_anonymously(casework: Casework, karin: Client) -> None:
    before = talk_ids()

    response = karin.post(NEW, talk_post(casework.kinds["talk_series"], structured_material="Samtalsmall B"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert talk_ids() == before
    assert form.data["structured_material"] == "Samtalsmall B"


def test_an_exemption_that_has_ended_no_longer_applies(casework: Casework, karin: Client, manager_a: User) -> None:
    decision = exemption_for(casework, manager_a, "talk_series")
    ExemptionDecision.objects.filter(pk=decision.pk).update(valid_to=last_weekday() - dt.timedelta(days=1))
    before = talk_ids()

    refused = karin.post(NEW, talk_post(casework.kinds["talk_series"]))
    saved = karin.post(FOR_CARER_A, talk_post(casework.kinds["talk_series"]))

    assert refused.status_code == 200
    assert saved.status_code == 302
    [talk] = new_talks(before)
    assert (talk.carer_id, talk.exemption_id) == (casework.carer_a.pk, None)


# --- Bad input ------------------------------------------------------------------------------------


def test_a_missing_talk_type_is_an_error_on_talk_type_and_the_rest_is_kept(casework: Casework, karin: Client) -> None:
    before = talk_ids()
    posted = talk_post(casework.kinds["individual_talk"], talk_type="", duration_minutes="35", mode="video")

    response = karin.post(NEW, posted)

    assert response.status_code == 200
    assert talk_ids() == before
    form = response.context["form"]
    assert "talk_type" in form.errors
    assert form.data["duration_minutes"] == "35"
    assert form.data["mode"] == "video"
    assert form.data.getlist("focus") == ["supporting", "informing"]
    assert form.data["structured_material"] == "COAT-samtal"
    assert form.data["target_group"] == "dementia"
    html = response.content.decode()
    assert 'value="COAT-samtal"' in html
    assert _checked(html, "mode", "video")


@pytest.mark.parametrize("field", ["date", "time", "mode", "initiator", "informed_right_to_apply", "support_kind"])
def test_each_required_field_is_named_when_missing(casework: Casework, karin: Client, field: str) -> None:
    before = talk_ids()

    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], **{field: None}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert talk_ids() == before


def test_a_talk_that_has_not_started_is_refused(casework: Casework, karin: Client) -> None:
    before = talk_ids()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], day=tomorrow))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert set(form.errors) & {"date", "time", "__all__"}
    assert form.data["date"] == tomorrow.isoformat()
    assert talk_ids() == before


def test_a_follow_up_before_the_talk_is_refused(casework: Casework, karin: Client) -> None:
    before = talk_ids()
    day = last_weekday()

    response = karin.post(
        FOR_CARER_A,
        talk_post(casework.kinds["individual_talk"], day=day, follow_up_on=(day - dt.timedelta(days=1)).isoformat()),
    )

    assert response.status_code == 200
    assert "follow_up_on" in response.context["form"].errors
    assert talk_ids() == before


def test_a_kind_not_for_talks_is_refused(casework: Casework, karin: Client) -> None:
    before = talk_ids()

    response = karin.post(NEW, talk_post(casework.kinds["cafe"]))

    assert response.status_code == 200
    assert "support_kind" in response.context["form"].errors
    assert talk_ids() == before


# --- Scoping ---------------------------------------------------------------------------------------


def test_another_municipalitys_consultant_gets_404_and_nothing_is_created(casework: Casework, login_as: Any) -> None:
    bertil = login_as("consultant_b")
    before = talk_ids()
    logs_before = AccessLog.objects.count()

    assert bertil.post(FOR_CARER_A, talk_post(casework.kinds["individual_talk"])).status_code == 404
    assert bertil.get(FOR_CARER_A).status_code == 404
    assert bertil.post(DRAFT, {"draft_key": CARER_A, "data": json.dumps({"mode": "phone"})}).status_code == 404

    assert talk_ids() == before
    assert not TalkDraft.objects.exists()
    assert AccessLog.objects.count() == logs_before


def test_a_kind_of_another_municipality_is_refused(casework: Casework, login_as: Any) -> None:
    bertil = login_as("consultant_b")
    before = talk_ids()

    response = bertil.post(f"/anhoriga/{CARER_B}/samtal/", talk_post(casework.kinds["individual_talk"]))

    assert response.status_code == 200
    assert "support_kind" in response.context["form"].errors
    assert talk_ids() == before


# --- Drafts ----------------------------------------------------------------------------------------


def test_a_draft_is_saved_and_restored_in_the_empty_form(casework: Casework, karin: Client, consultant_a: User) -> None:
    draft = {
        "support_kind": str(casework.kinds["individual_talk"].pk),
        "duration_minutes": "75",
        "mode": "home",
        "talk_type": "acute",
        "focus": ["mapping", "coordinating"],
        "structured_material": "Utkastmaterial",
    }

    response = karin.post(DRAFT, {"draft_key": "new", "data": json.dumps(draft)})

    assert response.status_code == 200
    assert response.json()["saved"] is True
    stored = TalkDraft.objects.get(user=consultant_a, key="new")
    assert stored.data == draft

    page = karin.get(NEW)
    assert page.status_code == 200
    assert page.context["restored"] is True
    form = page.context["form"]
    assert form["duration_minutes"].value() in ("75", 75)
    assert form["talk_type"].value() == "acute"
    html = page.content.decode()
    assert 'value="Utkastmaterial"' in html
    assert 'value="75"' in html
    assert _checked(html, "mode", "home")
    assert _checked(html, "focus", "mapping")
    assert _checked(html, "focus", "coordinating")


def test_saving_the_talk_deletes_the_draft(casework: Casework, karin: Client, consultant_a: User) -> None:
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"mode": "home"})})
    karin.post(DRAFT, {"draft_key": CARER_A, "data": json.dumps({"mode": "video"})})
    assert TalkDraft.objects.filter(user=consultant_a).count() == 2

    assert karin.post(NEW, talk_post(casework.kinds["individual_talk"])).status_code == 302
    assert list(TalkDraft.objects.filter(user=consultant_a).values_list("key", flat=True)) == [CARER_A]

    assert karin.post(FOR_CARER_A, talk_post(casework.kinds["individual_talk"])).status_code == 302
    assert not TalkDraft.objects.filter(user=consultant_a).exists()
    assert karin.get(NEW).context["restored"] is False


def test_a_refused_talk_keeps_the_draft(casework: Casework, karin: Client, consultant_a: User) -> None:
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"mode": "home"})})

    karin.post(NEW, talk_post(casework.kinds["individual_talk"], talk_type=""))

    assert TalkDraft.objects.filter(user=consultant_a, key="new").exists()


def test_a_draft_is_the_users_own(casework: Casework, karin: Client, login_as: Any, manager_a: User) -> None:
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"structured_material": "Karins utkast"})})

    maria = Client()
    maria.force_login(manager_a)
    page = maria.get(NEW)

    assert page.context["restored"] is False
    assert "Karins utkast" not in page.content.decode()


@pytest.mark.parametrize("data", ["not json", json.dumps(["a", "list"]), json.dumps({"x": "y" * 25_000})])
def test_a_bad_draft_is_refused(casework: Casework, karin: Client, data: str) -> None:
    response = karin.post(DRAFT, {"draft_key": "new", "data": data})

    assert response.status_code == 400
    assert not TalkDraft.objects.exists()


@pytest.mark.parametrize(
    "key", ["not-a-code", "x" * 100, "'; DROP TABLE contacts_talkdraft; --"], ids=["word", "long", "sql"]
)
def test_a_draft_for_a_key_that_is_not_a_carer_code_is_refused_not_an_error(
    casework: Casework, consultant_a: User, key: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(consultant_a)

    response = client.post(DRAFT, {"draft_key": key, "data": json.dumps({"mode": "phone"})})

    assert response.status_code in (400, 404)
    assert not TalkDraft.objects.exists()


# --- Bring up next time ---------------------------------------------------------------------------------


def test_bring_up_next_time_is_shown_when_the_next_talk_is_opened(casework: Casework, karin: Client) -> None:
    day = last_weekday(last_weekday())
    karin.post(
        FOR_CARER_A,
        talk_post(casework.kinds["individual_talk"], day=day, bring_up_next_time="Fråga om dotterns skola."),
    )

    page = karin.get(FOR_CARER_A)

    assert page.status_code == 200
    last_talk = page.context["last_talk"]
    assert last_talk is not None
    assert last_talk.bring_up_next_time == "Fråga om dotterns skola."
    assert "Fråga om dotterns skola." in page.content.decode()


def test_bring_up_next_time_is_not_shown_for_another_carer_or_an_anonymous_talk(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    karin.post(FOR_CARER_A, talk_post(casework.kinds["individual_talk"], bring_up_next_time="Endast Gunnel."))
    other = carer_create(created_by=consultant_a, unit=casework.carer_a.unit, data={"first_name": "Olle"})

    assert "Endast Gunnel." not in karin.get(f"/anhoriga/{other.code}/samtal/").content.decode()
    assert "Endast Gunnel." not in karin.get(NEW).content.decode()


def test_age_bands_are_counted_by_calendar_year_on_the_day() -> None:
    """contacts.services.age_band is the one rule for age bands."""
    import datetime as dt

    on = dt.date(2026, 6, 1)
    cases = {None: "unknown", 2009: "0-17", 2008: "18-29", 1997: "18-29", 1996: "30-44", 1982: "30-44"}
    cases |= {1981: "45-64", 1962: "45-64", 1961: "65-79", 1947: "65-79", 1946: "80-", 1920: "80-"}
    assert {year: age_band(year, on=on) for year in cases} == cases
