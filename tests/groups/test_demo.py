"""The groups demo (groups.demo): realistic activities across the demo units, a full
session with a waitlist, head counts, no e-mail sent, and seeding twice adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from django.core import mail
from django.db.models import Count, Model, Q
from django.utils import timezone

from anhorigstod.accounts.demo import seed_organisation
from anhorigstod.outbox.models import OutboxMessage
from contacts.demo import seed_contacts
from contacts.models import DocumentationTier
from groups.demo import DEMO_EMAIL_DOMAIN, SUPPORT_KIND_FOR, seed_groups
from groups.models import (
    SHREDDED_PREFIX,
    Activity,
    ActivityTargetGroup,
    Application,
    Booking,
    PriorityChange,
    RegistrationMode,
    Session,
)

MODELS: tuple[type[Model], ...] = (
    Activity,
    ActivityTargetGroup,
    Session,
    Booking,
    Application,
    PriorityChange,
    OutboxMessage,
)


def _rows() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.fixture
def seeded(db: None, django_capture_on_commit_callbacks: Any) -> dict[str, int]:
    seed_organisation(with_passwords=False)
    seed_contacts()
    # Run what the outbox would do once the seeding commits: nothing may be sent.
    with django_capture_on_commit_callbacks(execute=True):
        counts = seed_groups()
    return counts


def test_seeding_twice_adds_nothing(seeded: dict[str, int], django_capture_on_commit_callbacks: Any) -> None:
    before = _rows()
    with django_capture_on_commit_callbacks(execute=True):
        again = seed_groups()
    assert set(again.values()) == {0}
    assert _rows() == before
    assert seeded["activities"] == before["Activity"] and seeded["sessions"] == before["Session"]
    # The booking e-mails were dropped before the seeding committed: none went out.
    assert mail.outbox == []
    assert seeded["emails_dropped"] > 0
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_activities_of_many_kinds_in_every_unit_over_five_months(seeded: dict[str, int]) -> None:
    activities = list(Activity.objects.select_related("unit", "support_kind"))
    assert len(activities) >= 10
    assert {a.unit.code for a in activities} == {"angsvik-norra", "angsvik-sodra", "angsvik-centrum", "sjohaga-anhorig"}
    assert {a.registration_mode for a in activities} == set(RegistrationMode.values)
    assert len({a.kind for a in activities}) >= 7
    for activity in activities:
        assert activity.support_kind.code == SUPPORT_KIND_FOR[activity.kind]
        assert activity.support_kind.municipality_id == activity.unit.municipality_id
        assert activity.target_groups.exists()
        assert activity.description and activity.prevention_level and activity.purpose
    titles = {a.title for a in activities}
    assert "Samtalsgrupp för anhöriga till personer med demens" in titles
    assert "Att vara anhörig – om demenssjukdomar" in titles
    assert "Anhörigperspektiv för biståndshandläggare" in titles
    assert any(a.digital_link and not a.place for a in activities)
    assert any(a.language != "svenska" for a in activities)
    assert any(a.hearing_loop for a in activities) and any(a.sign_language for a in activities)
    assert Activity.objects.filter(co_organisers__isnull=False).distinct().count() >= 10
    # Every co-organiser is a partner of the activity's own unit.
    for activity in activities:
        assert {partner.unit_id for partner in activity.co_organisers.all()} <= {activity.unit_id}
    # Sessions span the past three months and the next two.
    today = timezone.localdate()
    days = [timezone.localdate(s.starts_at) for s in Session.objects.all()]
    assert 70 <= (today - min(days)).days <= 91
    assert 45 <= (max(days) - today).days <= 61
    assert Session.objects.filter(status=Session.Status.CANCELLED).exclude(cancel_reason="").exists()


def test_a_full_session_with_a_waitlist_attendance_and_head_counts(seeded: dict[str, int]) -> None:
    full = [
        session
        for session in Session.objects.filter(starts_at__gt=timezone.now()).select_related("activity")
        if session.activity.capacity
        and session.bookings.filter(status=Booking.Status.CONFIRMED).count() == session.activity.capacity
        and session.bookings.filter(status=Booking.Status.WAITLISTED).exists()
    ]
    assert full
    waiting = full[0].bookings.filter(status=Booking.Status.WAITLISTED)
    assert all(booking.email.endswith(DEMO_EMAIL_DOMAIN) or booking.phone for booking in waiting)
    assert seeded["waitlisted"] >= 3
    # Drop-ins have head counts, booked sessions attendance.
    past = Session.objects.filter(ends_at__lt=timezone.now(), status=Session.Status.SCHEDULED)
    drop_in = past.filter(activity__registration_mode=RegistrationMode.DROP_IN)
    assert drop_in.exists() and not drop_in.filter(head_count__isnull=True).exists()
    assert Session.objects.filter(respite_arranged__gt=0).exists()
    marks = Booking.objects.filter(session__in=past).aggregate(
        came=Count("pk", filter=Q(attended=True)), no_shows=Count("pk", filter=Q(attended=False))
    )
    assert marks["no_shows"] > 0 and marks["came"] > 3 * marks["no_shows"]
    # Future sessions are booked through the booking rules, by e-mail or by staff on the phone.
    future = Booking.objects.filter(session__starts_at__gt=timezone.now())
    assert future.filter(email__endswith=DEMO_EMAIL_DOMAIN).exists()
    assert future.filter(email="", booked_by_staff__isnull=False).exists()
    assert not future.exclude(email="").exclude(email__endswith=DEMO_EMAIL_DOMAIN).exists()


def test_past_open_activities_are_shredded_and_closed_groups_kept(seeded: dict[str, int]) -> None:
    due = Session.objects.filter(
        ends_at__lt=timezone.now() - dt.timedelta(days=1),
        activity__support_kind__tier__in=(DocumentationTier.INFORMATION, DocumentationTier.OPEN_ACTIVITY),
    )
    assert due.exists() and not due.filter(shredded_at__isnull=True).exists()
    shredded = Booking.objects.filter(session__in=due)
    assert shredded.exists()
    assert not shredded.exclude(name="").exists()
    assert not shredded.exclude(person_key__startswith=SHREDDED_PREFIX).exists()
    # Closed groups (insats) keep who took part.
    closed = Booking.objects.filter(session__activity__registration_mode=RegistrationMode.APPLICATION)
    assert closed.exists() and not closed.filter(name="").exists()
    # The closed group was composed from applications, with a logged priority change.
    group = Activity.objects.get(title="Samtalsgrupp för anhöriga till personer med demens")
    assert group.registration_mode == RegistrationMode.APPLICATION
    statuses = set(group.applications.values_list("status", flat=True))
    assert {Application.Status.ADMITTED, Application.Status.INTERESTED} <= statuses
    admitted = group.applications.filter(status=Application.Status.ADMITTED).count()
    assert group.capacity is not None and 5 <= admitted <= group.capacity
    assert PriorityChange.objects.filter(application__activity=group).exclude(reason="").exists()
