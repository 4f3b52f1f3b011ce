"""Time travel through every rule of the register of personal data.

For each rule, rows whose clock starts at one known moment are made; the job is then run
a minute before their retention period ends (nothing may go early), a minute after (nothing
may be left overdue), and once more (nothing more goes: the job is idempotent). A rule
without a case here fails ``test_every_rule_has_a_time_travel_case``.

Run with ``DATABASE_URL`` set, these run on PostgreSQL (the access log's trigger included).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import CULL_VIA, Action, access_log
from anhorigstod.outbox.models import OutboxMessage
from anhorigstod.privacy.job import cull_everything
from anhorigstod.privacy.models import CullRun
from anhorigstod.privacy.registry import Period, register
from contacts.models import SupportKind, TalkDraft
from contacts.personal_data import CARER_RECORD
from contacts.policy import DEFAULT_SUPPORT_KINDS
from followup.models import FollowUpReport
from groups.models import Activity, Application, Booking, ContactRequest, PriorityChange, Session
from tests.conftest import Org
from tests.contacts.test_retention import fill_record, make_carer

# The moment every case's clock starts (a Tuesday, standard time).
T0 = dt.datetime(2019, 3, 12, 10, 30, tzinfo=dt.UTC)
_numbers = itertools.count(1)


@dataclass
class Case:
    clock: dt.datetime  # when these rows' clock started
    remaining: Callable[[], int]  # rows still holding the personal data
    made: int  # how many there were


Builder = Callable[[Org, User], Case]


def _activity(org: Org, user: User, kind_code: str) -> Activity:
    municipality = org.unit_a.municipality
    if not SupportKind.objects.filter(municipality=municipality).exists():
        for code, name, tier, area, for_talks in DEFAULT_SUPPORT_KINDS:
            SupportKind.objects.create(
                municipality=municipality, code=code, name=name, tier=tier, area=area, for_talks=for_talks
            )
    return Activity.objects.create(
        unit=org.unit_a,
        title=f"Aktivitet {next(_numbers)}",
        description="Beskrivning.",
        kind="course",
        support_kind=SupportKind.objects.get(municipality=municipality, code=kind_code),
        purpose="knowledge",
        prevention_level="universal",
        place="Biblioteket",
        registration_mode="booking",
        capacity=10,
        created_by=user,
    )


def _session_ending(activity: Activity, ends_at: dt.datetime) -> Session:
    return Session.objects.create(activity=activity, starts_at=ends_at - dt.timedelta(hours=2), ends_at=ends_at)


def _bookings(session: Session, user: User) -> None:
    for n, status in enumerate(("confirmed", "waitlisted", "cancelled")):
        Booking.objects.create(
            session=session,
            status=status,
            name=f"Person {n}",
            email=f"person{n}@example.se",
            person_key=f"person{n}@example.se",
            user=user if n == 0 else None,
        )


def _with_identity(queryset: object) -> Callable[[], int]:
    return lambda: queryset.exclude(name="").count()  # type: ignore[attr-defined]


def carer_records(org: Org, user: User) -> Case:
    carer = make_carer(org.unit_a, last_entry_at=T0, first_name="Gunnel", personnummer="189001019802")
    made = fill_record(carer, user)
    # Every model of the record (contacts.personal_data.CARER_RECORD), row by row.
    record = [apps.get_model(label) for label in CARER_RECORD]
    assert len(record) == len(made) == 10
    return Case(T0, lambda: sum(model.objects.count() for model in record), sum(made.values()))


def talk_drafts(org: Org, user: User) -> Case:
    TalkDraft.objects.create(user=user, key="new", data={"next_step": "Ring Gunnel"})
    TalkDraft.objects.update(updated_at=T0)
    return Case(T0, TalkDraft.objects.count, 1)


def booking_shredder(org: Org, user: User) -> Case:
    session = _session_ending(_activity(org, user, "lecture"), T0)
    _bookings(session, user)
    Application.objects.create(
        activity=session.activity, name="Agneta", email="agneta@example.se", person_key="agneta@example.se"
    )
    return Case(
        T0,
        lambda: Booking.objects.exclude(name="").count() + Application.objects.exclude(name="").count(),
        4,
    )


def documented_bookings(org: Org, user: User) -> Case:
    _bookings(_session_ending(_activity(org, user, "support_group"), T0), user)
    return Case(T0, _with_identity(Booking.objects.all()), 3)


def documented_applications(org: Org, user: User) -> Case:
    activity = _activity(org, user, "support_group")
    _session_ending(activity, T0 - dt.timedelta(days=7))
    _session_ending(activity, T0)  # the last session starts the clock
    application = Application.objects.create(
        activity=activity, name="Bo Lind", email="bo@example.se", person_key="bo@example.se", message="Min man"
    )
    PriorityChange.objects.create(
        application=application, old_priority=100, new_priority=1, reason="Bo Lind behöver plats", changed_by=user
    )
    # An insats group that never had a session: its clock is the application itself.
    Application.objects.create(
        activity=_activity(org, user, "support_group"), name="Eva", email="eva@example.se", person_key="eva@example.se"
    )
    Application.objects.filter(name="Eva").update(created_at=T0)
    return Case(
        T0,
        lambda: Application.objects.exclude(name="").count() + PriorityChange.objects.exclude(reason="").count(),
        3,
    )


def _contact_request(org: Org, **fields: object) -> ContactRequest:
    return ContactRequest.objects.create(
        unit=org.unit_a, name="Gunnel", phone="070-1740610", preferred_channel="phone", message="Ring mig", **fields
    )


def handled_contact_requests(org: Org, user: User) -> Case:
    _contact_request(org, handled_at=T0, handled_by=user)
    return Case(T0, ContactRequest.objects.filter(handled_at__isnull=False).count, 1)


def unhandled_contact_requests(org: Org, user: User) -> Case:
    _contact_request(org)
    ContactRequest.objects.update(created_at=T0)
    return Case(T0, ContactRequest.objects.filter(handled_at__isnull=True).count, 1)


def outbox_messages(org: Org, user: User) -> Case:
    # A booking confirmation that never went out, and one sent (already without address).
    OutboxMessage.objects.create(template="booking_confirmed", to=["anna@example.se"], context={"name": "Anna"})
    OutboxMessage.objects.create(template="booking_confirmed", to=[], context={}, sent_at=T0)
    OutboxMessage.objects.update(created_at=T0)
    return Case(T0, OutboxMessage.objects.exclude(to=[]).count, 1)


def access_log_entries(org: Org, user: User) -> Case:
    # The log's clock cannot be set back (append-only): the rows are logged now.
    carer = make_carer(org.unit_a, last_entry_at=timezone.now())
    access_log(actor=user, action=Action.VIEW, record=carer, subject_code=str(carer.code))
    access_log(actor=user, action=Action.UPDATE, record=carer, subject_code=str(carer.code))
    logged = AccessLog.objects.order_by("at").last()
    assert logged is not None
    return Case(logged.at, AccessLog.objects.exclude(via=CULL_VIA).count, 2)


def followup_reports(org: Org, user: User) -> Case:
    report = FollowUpReport.objects.create(
        unit=org.unit_a, start=dt.date(2019, 1, 1), end=dt.date(2019, 3, 11), status="done", requested_by=user
    )
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    # The clock: the report's period ended on 11 March, so it is due from the 12th's start.
    clock = timezone.make_aware(dt.datetime(2019, 3, 12), timezone.get_current_timezone())
    return Case(clock, FollowUpReport.objects.count, 1)


@pytest.fixture(autouse=True)
def private_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's report files in a directory of its own."""
    location = tmp_path / "private"
    field: Any = FollowUpReport._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location, base_url=None))
    return location


def expired_sessions(org: Org, user: User) -> Case:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as BrowserSession

    store = SessionStore()
    store["groups_public_bookings"] = ["0c0c0c0c-0000-4000-8000-00000000000c"]
    store.create()
    BrowserSession.objects.filter(session_key=store.session_key).update(expire_date=T0)
    return Case(T0, BrowserSession.objects.count, 1)


CASES: dict[str, Builder] = {
    "carer_records": carer_records,
    "talk_drafts": talk_drafts,
    "booking_shredder": booking_shredder,
    "documented_bookings": documented_bookings,
    "documented_applications": documented_applications,
    "handled_contact_requests": handled_contact_requests,
    "unhandled_contact_requests": unhandled_contact_requests,
    "outbox_messages": outbox_messages,
    "access_log": access_log_entries,
    "followup_reports": followup_reports,
    "expired_sessions": expired_sessions,
}


def test_every_rule_has_a_time_travel_case() -> None:
    assert set(CASES) == set(register.rules)


def due_at(period: Period, clock: dt.datetime, org: Org) -> dt.datetime:
    """The moment the period since ``clock`` ends (its cut-off reaches ``clock``)."""
    amount = period.amount(org.unit_a.municipality)
    if period.kind == "municipality" or period.unit == "years":
        local = timezone.localtime(clock)
        return local.replace(year=local.year + amount)
    return clock + dt.timedelta(days=amount)


@pytest.fixture
def run_at(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[CullRun]]:
    """The job run at ``now``, with the clock itself set there: what the run writes (the
    access log's row about its own cull) is stamped with the run's time, as it would be."""

    def _run(now: dt.datetime, **options: Any) -> list[CullRun]:
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: now)
            return cull_everything(now=now, **options)

    return _run


@pytest.mark.parametrize("key", sorted(CASES))
def test_nothing_goes_early_nothing_stays_overdue_and_a_second_run_removes_nothing(  # type: ignore[no-untyped-def]
    key: str, org: Org, consultant_a: User, run_at, django_capture_on_commit_callbacks
) -> None:
    rule = register.rules[key]
    case = CASES[key](org, consultant_a)
    assert case.remaining() == case.made
    due = due_at(rule.period, case.clock, org)

    early = run_at(due - dt.timedelta(minutes=1), rules=[key])
    assert _total(early, rule.count_keys) == 0, "nothing is removed before its time"
    assert case.remaining() == case.made

    dry = run_at(due + dt.timedelta(minutes=1), rules=[key], dry_run=True)
    assert case.remaining() == case.made, "a dry run removes nothing"

    with django_capture_on_commit_callbacks(execute=True):
        late = run_at(due + dt.timedelta(minutes=1), rules=[key])
    assert case.remaining() == 0, "nothing stays past its time"
    assert _total(late, rule.count_keys) == _total(dry, rule.count_keys) > 0

    again = run_at(due + dt.timedelta(days=1), rules=[key])
    assert _total(again, rule.count_keys) == 0, "a second run removes nothing"
    assert CullRun.objects.filter(dry_run=False).count() == 3 * len(early)


def _total(runs: list[CullRun], keys: tuple[str, ...]) -> int:
    # The shredder also counts what it kept (attended, no-shows): its row counts are enough.
    counted = [key for key in keys if not key.startswith("shredded_") or key == "shredded_bookings"]
    return sum(run.counts.get(key, 0) for run in runs for key in counted)


def test_the_culled_report_file_goes_once_the_run_commits(
    org: Org, consultant_a: User, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    case = followup_reports(org, consultant_a)
    report = FollowUpReport.objects.get()
    path = Path(report.file.path)
    assert path.exists()
    due = due_at(Period.municipality_years(), case.clock, org) + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cull_everything(now=due, rules=["followup_reports"])
    assert path.exists(), "the file stays until the deletion is committed"
    for callback in callbacks:
        callback()
    assert not path.exists()
