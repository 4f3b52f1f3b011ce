"""Scheduled work of the contacts app."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from contacts.services.documentation import exemption_expiry_reminders_send
from contacts.services.retention import cull_all


# acks_late (with the project's task_reject_on_worker_lost): a worker that dies mid-run
# gives the task back to the queue. Re-running is safe: a cull that committed finds
# nothing left to cull, one that rolled back starts over.
@shared_task(acks_late=True)
def retention_cull(*, dry_run: bool = False) -> list[dict[str, Any]]:
    """Cull every municipality's expired carer records (gallring, PRODUCT §2): a view of the
    register's nightly job (anhorigstod.privacy.tasks.retention_nightly), kept for hand use."""
    runs = cull_all(dry_run=dry_run)
    return [
        {
            "municipality": run.municipality.kommunkod if run.municipality else None,
            "dry_run": run.dry_run,
            "counts": run.counts,
        }
        for run in runs
    ]


# acks_late: a worker that dies mid-run gives the task back; re-running is safe, as each
# decision is marked in the same transaction as its reminder is queued.
@shared_task(acks_late=True)
def exemption_expiry_reminders() -> int:
    """Remind administrators before an exemption decision ends (CONTACTS_EXEMPTION_REMINDER_DAYS)."""
    return exemption_expiry_reminders_send()
