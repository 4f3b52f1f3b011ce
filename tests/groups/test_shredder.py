"""The data shredder (PRODUCT §6): booking data of information and open activities goes
a day after the session, the counts stay, insatser are never touched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from django.db.models import Count
from django.utils import timezone

from anhorigstod.accounts.models import User
from contacts.models import SupportKind
from contacts.policy import DEFAULT_SUPPORT_KINDS
from groups.models import SHREDDED_PREFIX, Activity, Application, Booking, Session
from groups.services.booking import booking_create
from groups.services.shredder import shred_booking_data
from groups.tasks import shred_booking_data as shred_task
from tests.conftest import Org

ZERO = {
    "sessions": 0,
    "bookings": 0,
    "confirmed": 0,
    "attended": 0,
    "no_shows": 0,
    "waitlisted": 0,
    "unverified": 0,
    "cancelled": 0,
    "applications": 0,
}


@dataclass
class World:
    lecture: Session  # information tier, booked
    cafe: Session  # open activity, drop-in
    course: Session  # insats tier, booked
    lecture_application: Application
    course_application: Application


def _activity(org: Org, user: User, code: str, **fields: object) -> Activity:
    kind = SupportKind.objects.get(municipality=org.unit_a.municipality, code=code)
    defaults: dict[str, object] = {
        "unit": org.unit_a,
        "title": f"Aktivitet {code}",
        "description": "Beskrivning.",
        "kind": code if code != "health_activity" else "health",
        "support_kind": kind,
        "purpose": "knowledge",
        "prevention_level": "universal",
        "place": "Biblioteket",
        "registration_mode": "booking",
        "capacity": 2,
        "created_by": user,
    }
    return Activity.objects.create(**{**defaults, **fields})


def _session(activity: Activity, starts_at: dt.datetime) -> Session:
    return Session.objects.create(activity=activity, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))


@pytest.fixture
def world(org: Org, consultant_a: User) -> World:
    for code, name, tier, area, for_talks in DEFAULT_SUPPORT_KINDS:
        SupportKind.objects.create(
            municipality=org.unit_a.municipality, code=code, name=name, tier=tier, area=area, for_talks=for_talks
        )
    starts = timezone.now() + dt.timedelta(days=3)
    lecture = _activity(org, consultant_a, "lecture")
    cafe = _activity(org, consultant_a, "cafe", registration_mode="drop_in", capacity=None)
    course = _activity(org, consultant_a, "course")
    world = World(
        lecture=_session(lecture, starts),
        cafe=_session(cafe, starts),
        course=_session(course, starts),
        lecture_application=Application.objects.create(
            activity=lecture, name="Agneta Berg", email="agneta@example.se", person_key="agneta@example.se"
        ),
        course_application=Application.objects.create(
            activity=course, name="Bo Lind", email="bo@example.se", person_key="bo@example.se"
        ),
    )
    # Lecture: two seats taken, one on the waitlist, one cancelled, one staff booking by phone.
    first = booking_create(session=world.lecture, name="Anna Svensson", email="anna@example.se", verified=True)
    booking_create(
        session=world.lecture, name="Per Holm", phone="070-174 06 10", booked_by_staff=consultant_a, verified=True
    )
    booking_create(session=world.lecture, name="Eva Nyberg", email="eva@example.se", verified=True)
    cancelled = booking_create(session=world.lecture, name="Ulla Ek", email="ulla@example.se")
    cancelled.status = Booking.Status.CANCELLED
    cancelled.save()
    Booking.objects.filter(pk=first.pk).update(attended=True, user=consultant_a)
    Booking.objects.filter(session=world.lecture, person_key="tel:0701740610").update(attended=False)
    booking_create(session=world.course, name="Gun Berg", email="gun@example.se", verified=True)
    Session.objects.filter(pk=world.cafe.pk).update(head_count=14)
    return world


def _statuses(session: Session) -> dict[tuple[str, bool | None], int]:
    rows = session.bookings.values("status", "attended").annotate(n=Count("pk"))
    return {(row["status"], row["attended"]): row["n"] for row in rows}


def test_nothing_is_shredded_before_the_day_after(world: World) -> None:
    assert shred_booking_data(now=world.lecture.ends_at + dt.timedelta(hours=20)) == ZERO
    assert shred_booking_data(now=world.lecture.starts_at - dt.timedelta(days=10)) == ZERO


def test_shreds_information_and_open_activities_and_keeps_the_counts(world: World) -> None:
    before = _statuses(world.lecture)
    course_before = list(world.course.bookings.values("name", "email", "person_key"))

    counts = shred_booking_data(now=world.lecture.ends_at + dt.timedelta(days=2))

    assert counts == {
        "sessions": 2,  # the lecture and the café; not the course
        "bookings": 4,
        "confirmed": 2,
        "attended": 1,
        "no_shows": 1,
        "waitlisted": 1,
        "unverified": 0,
        "cancelled": 1,
        "applications": 1,
    }
    # The rows stay, so the numbers can still be counted; no one can be told apart.
    assert _statuses(world.lecture) == before
    for booking in world.lecture.bookings.all():
        assert (booking.name, booking.email, booking.phone, booking.user, booking.carer) == ("", "", "", None, None)
        assert booking.person_key == f"{SHREDDED_PREFIX}{booking.pk}"
    world.lecture.refresh_from_db()
    world.cafe.refresh_from_db()
    assert world.lecture.shredded_at is not None and world.cafe.shredded_at is not None
    assert world.cafe.head_count == 14
    application = Application.objects.get(pk=world.lecture_application.pk)
    assert (application.name, application.email, application.person_key.startswith(SHREDDED_PREFIX)) == (
        "",
        "",
        True,
    )
    # An insats is documented, identified: its bookings and applications are kept whole.
    world.course.refresh_from_db()
    assert world.course.shredded_at is None
    assert list(world.course.bookings.values("name", "email", "person_key")) == course_before
    assert Application.objects.get(pk=world.course_application.pk).name == "Bo Lind"


def test_a_dry_run_changes_nothing(world: World) -> None:
    now = world.lecture.ends_at + dt.timedelta(days=2)
    names = sorted(Booking.objects.values_list("name", flat=True))

    counts = shred_booking_data(now=now, dry_run=True)

    assert counts["sessions"] == 2 and counts["bookings"] == 4 and counts["applications"] == 1
    assert sorted(Booking.objects.values_list("name", flat=True)) == names
    assert not Session.objects.filter(shredded_at__isnull=False).exists()
    assert Application.objects.get(pk=world.lecture_application.pk).name == "Agneta Berg"
    # ... and the real run after it does the work.
    assert shred_booking_data(now=now)["bookings"] == 4


def test_running_twice_shreds_nothing_the_second_time(world: World) -> None:
    now = world.lecture.ends_at + dt.timedelta(days=2)
    assert shred_booking_data(now=now)["sessions"] == 2
    shredded_at = Session.objects.get(pk=world.lecture.pk).shredded_at

    assert shred_booking_data(now=now + dt.timedelta(days=1)) == ZERO
    assert Session.objects.get(pk=world.lecture.pk).shredded_at == shredded_at


def test_the_tier_decides_not_the_kind_of_activity(world: World) -> None:
    """A municipality that moves lectures to the insats tier keeps their bookings."""
    SupportKind.objects.filter(code="lecture").update(tier="insats")
    counts = shred_booking_data(now=world.lecture.ends_at + dt.timedelta(days=2))
    assert counts["sessions"] == 1  # the café only
    assert world.lecture.bookings.filter(name="Anna Svensson").exists()


def test_the_scheduled_task_runs_the_shredder(world: World) -> None:
    # The sessions are in the future: the task, on the real clock, finds nothing due yet.
    assert shred_task.delay(dry_run=True).get() == ZERO
