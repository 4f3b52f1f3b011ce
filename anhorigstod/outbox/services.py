"""The outbox: enqueue inside the caller's transaction; a task sends it
(:mod:`anhorigstod.outbox.delivery` does the sending, so the task and this module do not
import each other)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from anhorigstod.outbox.delivery import MAX_ATTEMPTS, outbox_deliver, outbox_forget_undeliverable, outbox_pending
from anhorigstod.outbox.models import OutboxMessage
from anhorigstod.outbox.tasks import outbox_send

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_ATTEMPTS",
    "outbox_cull",
    "outbox_deliver",
    "outbox_enqueue",
    "outbox_forget_undeliverable",
    "outbox_pending",
]


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
        try:
            outbox_send.delay(message.pk)
        except Exception:  # noqa: BLE001 - any broker failure: the periodic drain sends it later
            logger.warning("outbox: broker unavailable, message %s left for the drain", message.pk)

    transaction.on_commit(_kick)
    return message


def outbox_cull(*, municipality: Any, cutoff: dt.datetime, now: dt.datetime, dry_run: bool) -> dict[str, int]:
    """The register's rule (anhorigstod.privacy): a message written before ``cutoff`` that
    still holds an address or a context loses them, sent or not (a sent one already has)."""
    due = OutboxMessage.objects.filter(created_at__lt=cutoff).exclude(to=[], context={}, attachments=[])
    number = due.count()
    if number and not dry_run:
        due.update(to=[], context={}, attachments=[])
    return {"outbox_messages": number}
