"""Scheduled work of the groups app: reminders the day before, and the data shredder."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from django.db import transaction
from django.utils import timezone

from groups.models import Booking, Session
from groups.services.booking import _notify
from groups.services.shredder import shred_booking_data as shred

logger = logging.getLogger(__name__)


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue a reminder for every confirmed booking with an e-mail address on the scheduled
    sessions that start tomorrow (local date); return how many were queued.

    Each session is handled in its own transaction with its row locked, and is marked
    (``reminders_sent_at``) in the same transaction as its e-mails are written to the
    outbox: two beats at once, or a run repeated after a crash, never send twice, and a
    run that fails half-way has queued nothing for the sessions it did not mark.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    zone = timezone.get_current_timezone()
    day_starts = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min), zone)
    day_ends = timezone.make_aware(dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time.min), zone)
    due = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        reminders_sent_at__isnull=True,
        starts_at__gte=day_starts,
        starts_at__lt=day_ends,
    )
    queued = 0
    for session_id in due.order_by("starts_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            # The filter is checked again under the lock: a beat that waited for another
            # one's lock finds the session already marked (or cancelled meanwhile) and skips it.
            session = due.select_for_update(of=("self",)).select_related("activity__unit").filter(pk=session_id).first()
            if session is None:
                continue
            bookings = session.bookings.filter(status=Booking.Status.CONFIRMED).exclude(email="").order_by("pk")
            for booking in bookings:
                booking.session = session  # the locked row, with its activity and unit loaded
                _notify(booking, "booking_reminder")
                queued += 1
            session.reminders_sent_at = now
            session.save(update_fields=["reminders_sent_at", "updated_at"])
    if queued:
        logger.info("Reminders queued for tomorrow's sessions: %s", queued)
    return queued


# acks_late (with the project's task_reject_on_worker_lost): a worker that dies mid-run
# gives the task back; re-running is safe, as sessions already reminded are marked.
@shared_task(acks_late=True)
def send_reminders() -> int:
    """The day-before reminder for tomorrow's sessions (PRODUCT §6). Runs once a day."""
    return reminders_send()


@shared_task(acks_late=True)
def shred_booking_data(*, dry_run: bool = False) -> dict[str, int]:
    """Delete the booking data of information and open activities that are over, keeping counts."""
    return shred(dry_run=dry_run)
