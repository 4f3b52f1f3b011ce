"""Rendering a PDF follow-up report and storing it: what the build task
(:mod:`followup.reports.tasks`) and the ``followup_report`` command run.

The build marks the row running, renders, stores the file privately and marks it done,
or failed with the exception's class name. Building again is always safe: a worker killed
halfway leaves ``running``, which the re-delivered task (``acks_late``) simply does again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from anhorigstod.accounts.models import Unit
from anhorigstod.lib.pdf import render_pdf
from anhorigstod.outbox.services import outbox_enqueue
from followup.models import FollowUpReport
from followup.reports.context import report_context

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "followup/report_pdf.html"
NOTICE_TEMPLATE = "report_ready"


def report_render(*, unit: Unit, start: dt.date, end: dt.date) -> tuple[str, bytes]:
    """The report as ``(html, pdf)``."""
    return render_pdf(PDF_TEMPLATE, report_context(unit=unit, start=start, end=end))


def report_store_rendered(*, unit: Unit, start: dt.date, end: dt.date, pdf: bytes) -> FollowUpReport:
    """Keep a PDF rendered outside the queue (the command line) as the unit's report of
    that period, like one the worker made: it is listed, downloadable and counted."""
    with transaction.atomic():
        report, _created = FollowUpReport.objects.select_for_update().get_or_create(
            unit=unit, start=start, end=end, kind=FollowUpReport.Kind.COMMAND_LINE
        )
        old_name = report.file.name
        report.file.save(report.filename, ContentFile(pdf), save=False)
        if old_name and old_name != report.file.name:
            report.file.storage.delete(old_name)
        report.status, report.error = FollowUpReport.Status.DONE, ""
        report.started_at = report.started_at or timezone.now()
        report.finished_at = timezone.now()
        report.save()
    return report


def report_build(*, report_id: int, task_id: str = "") -> FollowUpReport | None:
    """Render and store the report. Idempotent: a done report is left as it is.

    Two builds of one row can overlap: a report requeued as stale while Redis still
    holds the killed worker's message redelivers it later. Each renders, but the file is
    written only under the row's lock and only while the row is not done yet, so the row
    ends with exactly one PDF.
    """
    report = FollowUpReport.objects.select_related("unit__municipality", "requested_by").filter(pk=report_id).first()
    if report is None or report.status == FollowUpReport.Status.DONE:
        return report
    report.status = FollowUpReport.Status.RUNNING
    report.started_at = timezone.now()
    report.error = ""
    fields = ["status", "started_at", "error"]
    if task_id:
        report.task_id = task_id
        fields.append("task_id")
    report.save(update_fields=fields)
    try:
        _html, pdf = report_render(unit=report.unit, start=report.start, end=report.end)
    except Exception as exc:
        logger.exception("followup report %s failed", report.pk)
        report.status = FollowUpReport.Status.FAILED
        report.error = type(exc).__name__[:300]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        return report
    with transaction.atomic():
        locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == FollowUpReport.Status.DONE:
            return locked  # another build of the same row stored its PDF first
        old_name = locked.file.name
        report.file.save(report.filename, ContentFile(pdf), save=False)
        if old_name and old_name != report.file.name:
            report.file.storage.delete(old_name)
        report.status = FollowUpReport.Status.DONE
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "file", "finished_at"])
        requester = report.requested_by
        if requester is not None and requester.is_active and requester.email:
            # No personal data: the unit, the period and where to fetch it after signing in.
            outbox_enqueue(
                template=NOTICE_TEMPLATE,
                to=[requester.email],
                context={
                    "unit_name": report.unit.name,
                    "start": report.start.isoformat(),
                    "end": report.end.isoformat(),
                    "path": reverse("followup:report_list"),
                },
            )
    return report
