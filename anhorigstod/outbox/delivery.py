"""Sending what the outbox holds: one message, what waits, and forgetting what never went."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation

from anhorigstod.lib.email import render_email
from anhorigstod.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def outbox_deliver(*, message_id: int) -> bool:
    """Send one message if it is still unsent; True when it went out now. Safe to repeat."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            with translation.override(message.language):
                subject, text, html = render_email(message.template, message.context)
            email = EmailMultiAlternatives(subject=subject, body=text, to=message.to)
            email.attach_alternative(html, "text/html")
            for attachment in message.attachments:
                email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
            email.send()
        except Exception as exc:  # noqa: BLE001 - recorded, retried by the drain
            message.last_error = f"{type(exc).__name__}"[:300]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning("outbox: message %s failed (%s)", message.pk, message.last_error)
            return False
        # Sent: keep the row as a receipt, without the address and the personal context.
        message.sent_at = timezone.now()
        message.to, message.context, message.attachments, message.last_error = [], {}, [], ""
        message.save(update_fields=["sent_at", "to", "context", "attachments", "attempts", "last_error"])
        return True


def outbox_pending(*, older_than: dt.timedelta = dt.timedelta(seconds=30)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def outbox_forget_undeliverable(*, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Messages that never went out keep no address or personal context for ever."""
    cutoff = timezone.now() - older_than
    return (
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS, created_at__lte=cutoff)
        .exclude(to=[])
        .update(to=[], context={}, attachments=[])
    )
