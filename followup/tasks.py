"""Celery tasks of the follow-up: building a PDF report, and the scheduled ones."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from followup.models import FollowUpReport
from followup.reports.services import REPORT_TIME_LIMIT, report_build, report_schedule, reports_requeue_stale


# acks_late (with the settings' task_reject_on_worker_lost): a worker killed mid-render
# leaves the row "running" and the message on the queue, and the next worker redoes it
# (after Redis's visibility timeout; requeue_stale_reports does not wait that long).
# The time limit is the one reports_stale measures against.
@shared_task(bind=True, acks_late=True, ignore_result=True, time_limit=REPORT_TIME_LIMIT)
def build_followup_report(self: Any, report_id: int) -> str | None:
    report = report_build(report_id=report_id, task_id=self.request.id or "")
    return report.status if report is not None else None


@shared_task(ignore_result=True)
def requeue_stale_reports() -> int:
    """Reports left "running" by a worker that is gone, back on the queue (beat: every 5 minutes)."""
    return len(reports_requeue_stale())


@shared_task(ignore_result=True)
def schedule_monthly_reports() -> int:
    """Last month's report of every unit (beat: the 1st at 05:00)."""
    return len(report_schedule(kind=FollowUpReport.Kind.MONTHLY))


@shared_task(ignore_result=True)
def schedule_yearly_reports() -> int:
    """Last year's report of every unit (beat: 2 January)."""
    return len(report_schedule(kind=FollowUpReport.Kind.YEARLY))
