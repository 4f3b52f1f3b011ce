"""The Celery task that builds a PDF follow-up report.

The services (:mod:`followup.reports.services`) enqueue it, so it imports nothing of
theirs: what it runs is in :mod:`followup.reports.build`. The beat's tasks, which call
the services, are in :mod:`followup.tasks`.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from followup.reports.build import report_build

# The build task's hard time limit: a yearly PDF takes a few seconds, so a row "running"
# for longer than this is no longer being built by anyone (services.reports_stale).
REPORT_TIME_LIMIT = 10 * 60


# acks_late (with the settings' task_reject_on_worker_lost): a worker killed mid-render
# leaves the row "running" and the message on the queue, and the next worker redoes it
# (after Redis's visibility timeout; requeue_stale_reports does not wait that long).
# The name is the one the task had in followup/tasks.py, so that messages already on the
# queue when this code is deployed still find it.
@shared_task(
    name="followup.tasks.build_followup_report",
    bind=True,
    acks_late=True,
    ignore_result=True,
    time_limit=REPORT_TIME_LIMIT,
)
def build_followup_report(self: Any, report_id: int) -> str | None:
    report = report_build(report_id=report_id, task_id=self.request.id or "")
    return report.status if report is not None else None
