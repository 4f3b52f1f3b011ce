"""The nightly retention job (Celery beat, 02:30)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from anhorigstod.privacy.job import cull_everything


# acks_late (with the project's task_reject_on_worker_lost): a worker that dies mid-run
# gives the task back to the queue. Re-running is safe: a municipality that committed
# finds nothing left to cull, one that rolled back starts over.
@shared_task(acks_late=True)
def retention_nightly(*, dry_run: bool = False) -> list[dict[str, Any]]:
    """Walk the register of personal data for every municipality, then the platform."""
    runs = cull_everything(dry_run=dry_run)
    return [
        {"municipality": run.municipality.kommunkod if run.municipality else None, "counts": run.counts} for run in runs
    ]
