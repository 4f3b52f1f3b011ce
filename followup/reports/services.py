"""The PDF follow-up report's rows (PRODUCT §8): one row per unit, period and kind.

A report's life: :func:`report_request` writes (or reuses) the row and enqueues the build
task (:mod:`followup.reports.tasks`, which runs :func:`followup.reports.build.report_build`)
once the transaction commits. A failed or stale report is built again on the same row
(:func:`report_retry`); the beat requeues stale ones and schedules the monthly and yearly
reports (:mod:`followup.tasks`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from anhorigstod.accounts.models import Municipality, Role, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for
from followup.models import FollowUpReport
from followup.reports import tasks
from followup.reports.tasks import REPORT_TIME_LIMIT

logger = logging.getLogger(__name__)


def _enqueue(report: FollowUpReport) -> None:
    def _send() -> None:
        result = tasks.build_followup_report.delay(report.pk)
        # Eager runs have finished by now; only a queued task still needs its id noted.
        FollowUpReport.objects.filter(pk=report.pk, status=FollowUpReport.Status.PENDING).update(task_id=result.id)

    transaction.on_commit(_send)


def report_get_or_create(
    *, unit: Unit, start: dt.date, end: dt.date, kind: str, requested_by: User | None = None
) -> FollowUpReport:
    """The one row of the unit, period and kind; enqueued when new or failed before.

    A done or pending report is returned as it is: asking twice makes no second PDF.
    """
    if end < start:
        start, end = end, start
    with transaction.atomic():
        report, created = FollowUpReport.objects.select_for_update().get_or_create(
            unit=unit, start=start, end=end, kind=kind, defaults={"requested_by": requested_by}
        )
        if created:
            _enqueue(report)
        elif report.status == FollowUpReport.Status.FAILED or reports_stale([report]):
            return report_retry(report=report, requested_by=requested_by)
    return report


def report_request(*, user: User, unit: Unit, start: dt.date, end: dt.date) -> FollowUpReport:
    """A manager of ``unit`` asks for its report of [start, end]."""
    if unit.pk not in unit_ids_for(user, roles={Role.MANAGER}):
        raise PermissionDenied
    return report_get_or_create(unit=unit, start=start, end=end, kind=FollowUpReport.Kind.ON_REQUEST, requested_by=user)


# --------------------------------------------------------------------------
# Stale reports: a worker killed outright (OOM, kill -9) leaves its row "running", and
# with acks_late its message comes back only after Redis's visibility timeout (an hour).
# --------------------------------------------------------------------------


def _active_task_ids() -> set[str] | None:
    """Ids of the tasks the workers are running or hold, None when it cannot be known.

    With in-process tasks (no broker) a task runs inside the request that started it, so
    none can be running in the background: the empty set."""
    from kombu.exceptions import OperationalError

    from anhorigstod.celery import app

    if app.conf.task_always_eager:
        return set()
    try:
        inspect = app.control.inspect(timeout=1.0)
        replies = [inspect.active() or {}, inspect.reserved() or {}]
    except (OperationalError, OSError):  # the broker is away: nobody can tell, so nothing is called stale
        logger.warning("followup reports: the workers could not be asked about running tasks")
        return None
    return {task["id"] for reply in replies for tasks in reply.values() for task in tasks}


def reports_stale(reports: Iterable[FollowUpReport], *, now: dt.datetime | None = None) -> list[FollowUpReport]:
    """The rows of ``reports`` left "running" by a build that is gone: started longer
    ago than the task's time limit, and their task is not on any worker."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=REPORT_TIME_LIMIT)
    candidates = [
        report
        for report in reports
        if report.status == FollowUpReport.Status.RUNNING and report.started_at and report.started_at < cutoff
    ]
    if not candidates:
        return []
    active = _active_task_ids()
    if active is None:
        return []
    return [report for report in candidates if not report.task_id or report.task_id not in active]


def report_retry(*, report: FollowUpReport, requested_by: User | None = None) -> FollowUpReport:
    """Build a failed or stale report again (the same row, so still one PDF); a report
    that is done, waiting or being built is left as it is."""
    with transaction.atomic():
        locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != FollowUpReport.Status.FAILED and not reports_stale([locked]):
            return locked
        locked.status = FollowUpReport.Status.PENDING
        locked.error = ""
        locked.task_id = ""
        locked.started_at = locked.finished_at = None
        if requested_by is not None:
            locked.requested_by = requested_by
        locked.save(update_fields=["status", "error", "task_id", "started_at", "finished_at", "requested_by"])
        _enqueue(locked)
    return locked


def reports_requeue_stale(*, now: dt.datetime | None = None) -> list[FollowUpReport]:
    """Beat: put every stale report back on the queue."""
    running = FollowUpReport.objects.filter(status=FollowUpReport.Status.RUNNING)
    requeued = [report_retry(report=report) for report in reports_stale(running, now=now)]
    if requeued:
        logger.warning("followup reports: %d stale report(s) requeued", len(requeued))
    return requeued


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def previous_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)


def report_schedule(*, kind: str, today: dt.date | None = None) -> list[FollowUpReport]:
    """The monthly or yearly report of every unit (Celery beat)."""
    today = today or timezone.localdate()
    start, end = previous_month(today) if kind == FollowUpReport.Kind.MONTHLY else previous_year(today)
    return [
        report_get_or_create(unit=unit, start=start, end=end, kind=kind)
        for unit in Unit.objects.filter(kind=Unit.Kind.TEAM).select_related("municipality")
    ]


def cull_reports(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """The register's rule (followup.personal_data): reports whose period ended before
    ``cutoff`` go, row and private file, once the records they were made from may be culled."""
    due = FollowUpReport.objects.filter(unit__municipality=municipality, end__lt=timezone.localdate(cutoff))
    reports = list(due.only("pk", "file"))
    if dry_run or not reports:
        return {"followup_reports": len(reports)}
    names = [str(report.file.name) for report in reports if report.file]
    FollowUpReport.objects.filter(pk__in=[report.pk for report in reports]).delete()

    def _delete_files() -> None:
        # Only once the rows are gone for good: a rolled-back run keeps its files.
        storage = FollowUpReport._meta.get_field("file").storage
        for name in names:
            storage.delete(name)

    transaction.on_commit(_delete_files)
    return {"followup_reports": len(reports)}
