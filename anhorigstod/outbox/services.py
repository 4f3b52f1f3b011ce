"""The outbox: enqueue inside the caller's transaction; send from a task."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation

from anhorigstod.lib.email import render_email
from anhorigstod.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def outbox_enqueue(
    *,
    template: str,
    to: list[str],
    context: dict[str, Any],
    language: str = "sv",
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage:
    """Write the message in the current transaction and ask a worker to send it once
    that transaction commits. If the broker is down the row waits for the drain."""
    message = OutboxMessage.objects.create(
        template=template, to=to, context=context, language=language, attachments=attachments or []
    )

    def _kick() -> None:
        from anhorigstod.outbox.tasks import outbox_send

        try:
            outbox_send.delay(message.pk)
        except Exception:  # noqa: BLE001 - any broker failure: the periodic drain sends it later
            logger.warning("outbox: broker unavailable, message %s left for the drain", message.pk)

    transaction.on_commit(_kick)
    return message


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


def outbox_cull(*, municipality: Any, cutoff: dt.datetime, now: dt.datetime, dry_run: bool) -> dict[str, int]:
    """The register's rule (anhorigstod.privacy): a message written before ``cutoff`` that
    still holds an address or a context loses them, sent or not (a sent one already has)."""
    due = OutboxMessage.objects.filter(created_at__lt=cutoff).exclude(to=[], context={}, attachments=[])
    number = due.count()
    if number and not dry_run:
        due.update(to=[], context={}, attachments=[])
    return {"outbox_messages": number}
