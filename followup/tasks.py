"""Celery tasks of the follow-up: building a PDF report, and the scheduled ones."""

from __future__ import annotations

from celery import shared_task

from followup.models import FollowUpReport
from followup.reports import report_build, report_schedule


# acks_late (with the settings' task_reject_on_worker_lost): a worker killed mid-render
# leaves the row "running" and the message on the queue, and the next worker redoes it.
@shared_task(acks_late=True, ignore_result=True)
def build_followup_report(report_id: int) -> str | None:
    report = report_build(report_id=report_id)
    return report.status if report is not None else None


@shared_task(ignore_result=True)
def schedule_monthly_reports() -> int:
    """Last month's report of every unit (beat: the 1st at 05:00)."""
    return len(report_schedule(kind=FollowUpReport.Kind.MONTHLY))


@shared_task(ignore_result=True)
def schedule_yearly_reports() -> int:
    """Last year's report of every unit (beat: 2 January)."""
    return len(report_schedule(kind=FollowUpReport.Kind.YEARLY))
