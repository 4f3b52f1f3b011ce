"""What groups hands the follow-up and the carer's timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from contacts.models import ExemptionDecision
from contacts.selectors import carer_timeline
from groups.models import Activity, Booking
from groups.selectors.held import session_counts_by_area
from groups.services.booking import booking_create


@pytest.fixture
def past(make_session):  # type: ignore[no-untyped-def]
    def _past(activity: Activity, days_ago: int, **fields):  # type: ignore[no-untyped-def]
        session = make_session(activity, starts_in=dt.timedelta(days=-days_ago))
        for key, value in fields.items():
            setattr(session, key, value)
        session.save()
        return session

    return _past


def _booking(session, name: str, *, attended, needs_respite=False, carer=None) -> Booking:  # type: ignore[no-untyped-def]
    return Booking.objects.create(
        session=session,
        name=name,
        email=f"{name.lower()}@mail.example",
        person_key=f"{name.lower()}@mail.example",
        status=Booking.Status.CONFIRMED,
        confirmed_at=session.starts_at - dt.timedelta(days=3),
        attended=attended,
        needs_respite=needs_respite,
        carer=carer,
    )


def test_counts_per_area_equal_hand_counted_figures(org, casework, activity_booking, activity_drop_in, past) -> None:  # type: ignore[no-untyped-def]
    # activity_booking is a lecture (education area); activity_drop_in a café (support talks).
    lecture = past(activity_booking, 10, respite_arranged=1)
    _booking(lecture, "Anna", attended=True, needs_respite=True)
    _booking(lecture, "Bertil", attended=True)
    _booking(lecture, "Cecilia", attended=False)
    past(activity_drop_in, 12, head_count=9)
    past(activity_drop_in, 5, head_count=4, respite_arranged=2)
    cancelled = past(activity_drop_in, 3, head_count=30, status="cancelled")  # not held: not counted
    assert cancelled.status == "cancelled"
    past(activity_drop_in, 400, head_count=50)  # outside the period

    today = timezone.localdate()
    counts = session_counts_by_area(unit_ids=[org.unit_a.pk], start=today - dt.timedelta(days=30), end=today)
    assert counts == {
        "education": {"sessions": 1, "participants": 2, "no_shows": 1, "respite_requested": 1, "respite_arranged": 1},
        "support_talks": {
            "sessions": 2,
            "participants": 13,  # 9 + 4
            "no_shows": 0,
            "respite_requested": 0,
            "respite_arranged": 2,
        },
    }
    assert session_counts_by_area(unit_ids=[org.unit_b.pk], start=today - dt.timedelta(days=30), end=today) == {}


def test_counts_cost_two_queries(org, casework, activity_drop_in, past, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for days in range(1, 15):
        past(activity_drop_in, days, head_count=3)
    today = timezone.localdate()
    with django_assert_num_queries(2):
        session_counts_by_area(unit_ids=[org.unit_a.pk], start=today - dt.timedelta(days=30), end=today)


def test_insats_group_participation_is_on_the_timeline_unless_exempted(  # type: ignore[no-untyped-def]
    org, casework, activity_booking, make_session, manager_a
) -> None:
    # A closed support group is an insats: the carer's participation is on their record.
    activity_booking.support_kind = casework.kinds["support_group"]
    activity_booking.title = "Samtalsgrupp om demens"
    activity_booking.save()
    session = make_session(activity_booking, starts_in=dt.timedelta(days=2))
    carer = casework.carer_a
    booking_create(
        session=session, name="Gunnel", phone="070-1740610", carer=carer, verified=True, booked_by_staff=manager_a
    )
    entries = [entry for entry in carer_timeline(carer=carer) if entry.kind == "group"]
    assert [entry.record.session for entry in entries] == [session]

    # Under an exemption for support groups the participation is not tied to the record.
    decision = ExemptionDecision.objects.create(
        municipality=org.unit_a.municipality, board="Socialnämnden", decided_on=dt.date(2025, 1, 1),
        reference="SN 2025/1 § 1", valid_from=dt.date(2025, 1, 1), reason="anonymity", reason_text="Skäl",
        recorded_by=manager_a,
    )  # fmt: skip
    decision.kinds.add(casework.kinds["support_group"])
    assert [entry for entry in carer_timeline(carer=carer) if entry.kind == "group"] == []


def test_open_activities_never_reach_the_timeline(org, casework, activity_drop_in, past) -> None:  # type: ignore[no-untyped-def]
    session = past(activity_drop_in, 3)
    _booking(session, "Gunnel", attended=True, carer=casework.carer_a)
    assert [entry for entry in carer_timeline(carer=casework.carer_a) if entry.kind == "group"] == []


def test_the_record_page_shows_group_participation(
    org, casework, activity_booking, make_session, login_as, manager_a
) -> None:  # type: ignore[no-untyped-def]
    activity_booking.support_kind = casework.kinds["support_group"]
    activity_booking.title = "Samtalsgrupp om demens"
    activity_booking.save()
    session = make_session(activity_booking, starts_in=dt.timedelta(days=2))
    booking_create(
        session=session,
        name="Gunnel",
        phone="070-1740610",
        carer=casework.carer_a,
        verified=True,
        booked_by_staff=manager_a,
    )
    page = login_as("consultant_a").get(f"/anhoriga/{casework.carer_a.code}/").content.decode()
    assert "Samtalsgrupp om demens" in page
