from __future__ import annotations

from celery import shared_task

from anhorigstod.outbox.delivery import outbox_deliver, outbox_forget_undeliverable, outbox_pending


# ignore_result: with Redis as both broker and result store, .delay() would otherwise
# wait on the result store (about 20 s of retries) when Redis is down.
@shared_task(acks_late=True, ignore_result=True)
def outbox_send(message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@shared_task(ignore_result=True)
def outbox_drain() -> int:
    """Send what is waiting (the broker was down, or a send failed). Runs every minute."""
    outbox_forget_undeliverable()
    return sum(outbox_deliver(message_id=pk) for pk in outbox_pending())
