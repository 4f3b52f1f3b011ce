"""The outbox (anhorigstod/outbox): an e-mail is written in the same transaction as what
caused it, sent once by a task, kept afterwards only as a receipt without personal data,
and sent later by the drain when the mail server or the broker was away (PRODUCT §6: "A
booking is never lost because the mail system or the task broker is down").

The first part runs anywhere (SQLite or PostgreSQL). The broker tests need Redis
(``REDIS_URL``): they point Celery at a port where nothing listens, the way a web
process sees a Redis that is down; the worker test also needs PostgreSQL, so that a
separate worker process reads the test database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from icalendar import Calendar

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F

from anhorigstod.celery import app as celery_app
from anhorigstod.outbox.models import OutboxMessage
from anhorigstod.outbox.services import MAX_ATTEMPTS, outbox_deliver, outbox_enqueue, outbox_pending
from anhorigstod.outbox.tasks import outbox_drain
from groups.models import Booking, Session
from groups.services.booking import booking_create

ROOT = Path(__file__).resolve().parent.parent.parent
UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class BrokenMailBackend(BaseEmailBackend):
    """The mail server is away."""

    def send_messages(self, email_messages: Any) -> int:
        raise OSError("Connection refused")


BROKEN = f"{__name__}.BrokenMailBackend"


def enqueue(**overrides: Any) -> OutboxMessage:
    values: dict[str, Any] = {
        "template": "booking_confirmed",
        "to": ["sigrid@example.se"],
        "context": {
            "name": "Sigrid Svensson",
            "activity_title": "Föreläsning om demens",
            "starts_at": "2030-01-15 18:00",
            "ends_at": "20:00",
            "place": "Träffpunkten, Storgatan 1",
            "unit_name": "Anhörigstöd Norra",
            "cancel_path": "/boka/avboka/0a0a0a0a-0000-4000-8000-00000000000a/",
        },
        "attachments": [{"filename": "aktivitet.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}],
    }
    values.update(overrides)
    return outbox_enqueue(**values)


def age(*messages: OutboxMessage, by: dt.timedelta = dt.timedelta(minutes=2)) -> None:
    """As if the messages were written a while ago: the drain leaves young ones to their own task."""
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(created_at=F("created_at") - by)


# --- Part 1: the outbox itself (any database, Celery eager) ------------------------


def test_an_email_enqueued_in_a_rolled_back_transaction_leaves_nothing(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the booking failed after its e-mail was written")

    assert not OutboxMessage.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_an_email_enqueued_in_a_committed_transaction_is_sent_after_the_commit(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    """The neighbour of the rollback: the same write, committed."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message = enqueue()
        assert mail.outbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None


def test_delivering_sends_once_and_keeps_no_personal_data(db: None) -> None:
    message = enqueue()  # its task never runs: on_commit does not fire inside the test's transaction

    assert outbox_deliver(message_id=message.pk) is True

    (sent,) = mail.outbox
    assert sent.to == ["sigrid@example.se"]
    assert "Föreläsning om demens" in sent.body
    assert "Sigrid" not in sent.subject
    assert [a.filename for a in sent.attachments] == ["aktivitet.ics"]
    assert isinstance(sent, EmailMultiAlternatives)
    assert len(sent.alternatives) == 1  # the HTML part
    row = OutboxMessage.objects.get(pk=message.pk)
    assert row.sent_at is not None
    assert row.attempts == 1
    assert (row.to, row.context, row.attachments, row.last_error) == ([], {}, [], "")
    # The receipt holds what was sent, not to whom.
    stored = str(OutboxMessage.objects.filter(pk=message.pk).values().get())
    assert "sigrid" not in stored.lower()
    assert "Storgatan" not in stored
    assert row.template == "booking_confirmed"

    assert outbox_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


def test_delivering_an_unknown_message_does_nothing(db: None) -> None:
    assert outbox_deliver(message_id=987654) is False
    assert mail.outbox == []


def test_a_failing_mail_server_leaves_the_message_for_the_drain(db: None, settings: Any) -> None:
    message = enqueue()
    settings.EMAIL_BACKEND = BROKEN

    assert outbox_deliver(message_id=message.pk) is False
    assert outbox_deliver(message_id=message.pk) is False

    row = OutboxMessage.objects.get(pk=message.pk)
    assert row.sent_at is None
    assert row.attempts == 2
    assert row.last_error == "OSError"
    assert row.to == ["sigrid@example.se"]  # kept until it has gone out
    assert row.context["name"] == "Sigrid Svensson"
    assert mail.outbox == []

    # The mail server is back; the drain's next round sends it.
    settings.EMAIL_BACKEND = LOCMEM
    age(message)
    assert outbox_drain() == 1

    (sent,) = mail.outbox
    assert sent.to == ["sigrid@example.se"]
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 3
    assert (row.to, row.context, row.last_error) == ([], {}, "")
    assert outbox_drain() == 0  # nothing left: not sent twice
    assert len(mail.outbox) == 1


def test_the_drain_picks_only_unsent_messages_old_enough_and_not_given_up(db: None) -> None:
    waiting = enqueue()
    young = enqueue()
    sent = enqueue()
    outbox_deliver(message_id=sent.pk)
    given_up = enqueue()
    OutboxMessage.objects.filter(pk=given_up.pk).update(attempts=MAX_ATTEMPTS, last_error="OSError")
    age(waiting, sent, given_up)

    assert outbox_pending() == [waiting.pk]
    assert outbox_pending(older_than=dt.timedelta(0)) == [waiting.pk, young.pk]

    mail.outbox.clear()
    assert outbox_drain() == 1
    assert [m.to for m in mail.outbox] == [["sigrid@example.se"]]
    assert OutboxMessage.objects.get(pk=waiting.pk).sent_at is not None
    assert OutboxMessage.objects.get(pk=young.pk).sent_at is None  # its own task sends it


# --- Part 2: the broker is down (Redis) ------------------------------------------


@contextlib.contextmanager
def broker_unreachable(*, result_store_too: bool = False) -> Iterator[None]:
    """Point this process's Celery at a broker that refuses connections, as the web
    process sees Redis when it is down; restore everything afterwards."""
    changes: dict[str, Any] = {
        "task_always_eager": False,
        "broker_url": UNREACHABLE,
        # Fail at once instead of retrying, so the test does not wait for the policy.
        "broker_connection_retry": False,
        "broker_connection_timeout": 1,
        "task_publish_retry": False,
    }
    if result_store_too:
        changes["result_backend"] = UNREACHABLE
    with pytest.MonkeyPatch.context() as patch:
        for key, value in changes.items():
            patch.setitem(celery_app.conf, key, value)
        # The app caches its broker connections (and result store client); drop them so the
        # next publish connects to the address above. The originals come back afterwards.
        patch.setattr(celery_app, "_pool", None)
        patch.setattr(celery_app.amqp, "_producer_pool", None)
        if result_store_too:
            patch.setattr(celery_app, "_backend_cache", None)
            patch.setattr(celery_app._local, "backend", None, raising=False)
        yield


def committed_elsewhere(booking: Booking) -> str | None:
    """The booking's status as another connection sees it: only committed rows show."""
    found: list[str | None] = []

    def look() -> None:
        try:
            found.append(Booking.objects.filter(pk=booking.pk).values_list("status", flat=True).first())
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return found[0]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_booking_is_never_lost_when_the_broker_is_down(
    session_soon: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="anhorigstod.outbox.services")

    with broker_unreachable():
        booking = booking_create(session=session_soon, name="Sigrid Svensson", email="sigrid@example.se", verified=True)

    # The caller got its booking, and it is committed.
    assert booking.status == Booking.Status.CONFIRMED
    assert committed_elsewhere(booking) == Booking.Status.CONFIRMED
    # The send was tried after the commit, failed, and the e-mail waits in the outbox.
    assert "broker unavailable" in caplog.text
    message = OutboxMessage.objects.get()
    assert (message.template, message.to, message.sent_at) == ("booking_confirmed", ["sigrid@example.se"], None)
    assert mail.outbox == []

    # The broker is back: the drain's next round sends what waited.
    age(message)
    assert outbox_drain() == 1

    (sent,) = mail.outbox
    assert sent.to == ["sigrid@example.se"]
    ics = Calendar.from_ical(sent.attachments[0].content)
    assert [str(event["uid"]) for event in ics.walk("VEVENT")] == [f"{session_soon.code}@anhorigstod"]
    assert OutboxMessage.objects.get().sent_at is not None


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_booking_answers_promptly_when_redis_is_down(session_soon: Session) -> None:
    """Redis is both the broker and the result store: when it is down, both are. Handing
    the e-mail to the broker must fail fast, not hold the visitor's request."""
    started = time.monotonic()
    with broker_unreachable(result_store_too=True):
        booking = booking_create(session=session_soon, name="Sigrid Svensson", email="sigrid@example.se", verified=True)
    elapsed = time.monotonic() - started

    assert committed_elsewhere(booking) == Booking.Status.CONFIRMED
    assert OutboxMessage.objects.get().sent_at is None
    assert elapsed < 5, f"booking_create took {elapsed:.1f} s with Redis down"


# --- Part 3: a real worker sends it once the broker is back (PostgreSQL + Redis) --


def worker_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def outbox_worker(tmp_path: Path, transactional_db: None) -> Iterator[tuple[str, Path]]:
    """``celery -A anhorigstod worker`` on the test database, consuming a queue of its own
    (other test runs may share the Redis), sending e-mail to files."""
    queue = f"outbox-test-{uuid.uuid4().hex[:8]}"
    hostname = f"{queue}@localhost"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "anhorigstod.settings",
        "DJANGO_SECRET_KEY": "worker-test-secret-key-long-enough-for-the-deploy-check-1234567",
        "REDIS_URL": os.environ["REDIS_URL"],
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "anhorigstod", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-Q", queue, "--hostname", hostname, "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not celery_app.control.ping(destination=[hostname], timeout=1.0):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the worker did not start: {log_path.read_text()}")
            yield queue, mail_dir
        finally:
            process.terminate()
            process.wait(timeout=30)
            # The queue's bindings would otherwise stay behind in the shared Redis.
            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_waiting_email_once_the_broker_is_back(
    outbox_worker: tuple[str, Path], session_soon: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue, mail_dir = outbox_worker
    with broker_unreachable():
        booking = booking_create(session=session_soon, name="Sigrid Svensson", email="sigrid@example.se", verified=True)
    assert committed_elsewhere(booking) == Booking.Status.CONFIRMED
    message = OutboxMessage.objects.get()
    assert message.sent_at is None

    # The broker is back; the beat's next outbox_drain goes to the worker.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    age(message)
    outbox_drain.apply_async(queue=queue)

    deadline = time.monotonic() + 30
    # The file backend creates the file before it has written the message: wait for the
    # line of dashes it ends each message with.
    while not (sent_files := [f for f in mail_dir.glob("*.log") if f.read_bytes().rstrip().endswith(b"-" * 79)]):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert sent_files, "the worker sent no e-mail within 30 seconds"
    (path,) = sent_files
    raw = path.read_bytes().rsplit(b"\n" + b"-" * 79, 1)[0]
    sent = email.message_from_bytes(raw, policy=email.policy.default)
    assert sent["To"] == "sigrid@example.se"
    assert "Sigrid" not in str(sent["Subject"])
    body = sent.get_body(("plain",))
    assert body is not None
    assert "Föreläsning om demens" in body.get_content()
    assert [part.get_filename() for part in sent.iter_attachments()] == ["aktivitet.ics"]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.to == []
