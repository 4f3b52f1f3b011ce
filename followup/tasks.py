"""The follow-up's scheduled Celery tasks (``CELERY_BEAT_SCHEDULE`` in the settings).

The task that builds a PDF report is :mod:`followup.reports.tasks` (the services enqueue
it; it is registered when this module, found by the worker's autodiscovery, imports them).
"""

from __future__ import annotations

from celery import shared_task

from followup.models import FollowUpReport
from followup.reports.services import report_schedule, reports_requeue_stale


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
