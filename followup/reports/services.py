"""The PDF follow-up report (PRODUCT §8): one context builder, one renderer, one row per report.

:func:`report_context` serves the Celery task, the ``followup_report`` command and any
HTML preview; its figures come from :func:`followup.figures.followup_figures`, always
small-cell suppressed, since a PDF leaves the system.

A report's life: :func:`report_request` writes (or reuses) the row and enqueues
:func:`report_build` once the transaction commits; the build marks it running, renders,
stores the file privately and marks it done, or failed with the exception's class name.
Building again is always safe: a worker killed halfway leaves ``running``, which the
re-delivered task (``acks_late``) simply does again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Municipality, Role, Unit
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.lib.pdf import render_pdf
from anhorigstod.outbox.services import outbox_enqueue
from contacts.policy import exemptions_in_force_during
from followup.assessment.selectors import assessment_summary
from followup.figures import FollowUpFigures, followup_figures
from followup.models import FollowUpReport, SelfAssessment
from groups.evaluations import evaluation_summary_for_units
from groups.selectors import co_organised_activities

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "followup/report_pdf.html"
NOTICE_TEMPLATE = "report_ready"


def unit_and_below(unit: Unit) -> list[int]:
    """The unit and every unit under it: a report of an administration covers its units."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(municipality_id=unit.municipality_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [unit.pk]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return sorted(found)


# The figures compared with the previous period and the same period a year before.
COMPARED = (
    "individual_talks",
    "carers_reached",
    "group_talk_sessions",
    "group_talk_participants",
    "respite_carers",
    "education_participants",
    "health_promotion_participants",
)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period as long as [start, end] that ends the day before it starts."""
    return start - (end - start) - dt.timedelta(days=1), start - dt.timedelta(days=1)


def a_year_before(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)


def _shown(value: Any) -> str:
    return _("fewer than 5") if value is None else number_format(value, use_l10n=True, force_grouping=True)


def key_figures_in_words(figures: FollowUpFigures, unit: Unit) -> list[str]:
    """The period's key figures as sentences for the report's first page (counts that are
    hidden read "fewer than 5"; a share is said only where it is shown)."""
    value = figures.value
    sentences = [
        _("%(unit)s had %(talks)s individual support talks with %(carers)s carers in the period.")
        % {
            "unit": unit.name,
            "talks": _shown(value("individual_talks").value),
            "carers": _shown(value("carers_reached").value),
        }
    ]
    anonymous = value("individual_talks_anonymous_share").value
    if anonymous is not None:
        sentences.append(
            _("%(share)s %% of the talks were anonymous.") % {"share": number_format(anonymous, use_l10n=True)}
        )
    sentences.append(
        _("%(sessions)s group talk sessions were held, and %(respite)s carers got respite.")
        % {"sessions": _shown(value("group_talk_sessions").value), "respite": _shown(value("respite_carers").value)}
    )
    informed = value("informed_right_to_apply_share").value
    if informed is not None:
        sentences.append(
            _("In %(share)s %% of the talks where it was answered, the carer was told of the right to apply.")
            % {"share": number_format(informed, use_l10n=True)}
        )
    return sentences


def report_context(*, unit: Unit, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Everything the report prints, for ``unit`` (and the units below it) and [start, end]."""
    below = unit_and_below(unit)
    figures = followup_figures(unit_ids=below, start=start, end=end, suppress_small=True)
    # The same suppressed releases as any output of those periods gives.
    earlier_start, earlier_end = previous_period(start, end)
    earlier = followup_figures(unit_ids=below, start=earlier_start, end=earlier_end, suppress_small=True)
    year_start, year_end = a_year_before(start, end)
    last_year = followup_figures(unit_ids=below, start=year_start, end=year_end, suppress_small=True)
    comparison = [
        {
            "label": figures.value(code).measure.label,
            "now": figures.value(code).value,
            "earlier": earlier.value(code).value,
            "last_year": last_year.value(code).value,
        }
        for code in COMPARED
    ]
    # Decisions whose validity overlaps the period, whether or not a talk used them.
    exemptions = (
        exemptions_in_force_during(municipality_ids=[unit.municipality_id], start=start, end=end)
        .prefetch_related("kinds")
        .order_by("valid_from", "reference")
    )
    # The strategic self-assessment of the report's unit, and of the units below it that
    # have one for the year the period ends in.
    year = end.year
    assessed = set(SelfAssessment.objects.filter(unit__in=below, year=year).values_list("unit_id", flat=True))
    assessed_units = [unit, *Unit.objects.filter(pk__in=assessed - {unit.pk}).order_by("name")]
    return {
        # Over the report's own period, so that the PDF shows one SoL 11:6 share, not two.
        "assessment": assessment_summary(units=assessed_units, year=year, suppress_small=True, period=(start, end)),
        "municipality": unit.municipality,
        "unit": unit,
        "start": start,
        "end": end,
        "generated_at": timezone.localtime(),
        "figures": figures,
        "key_figures": key_figures_in_words(figures, unit),
        "evaluations": evaluation_summary_for_units(unit_ids=below, start=start, end=end),
        "co_organised": co_organised_activities(unit_ids=below, start=start, end=end),
        "comparison": comparison,
        "earlier": earlier,
        "last_year": last_year,
        "exemption_decisions": list(exemptions),
    }


def report_render(*, unit: Unit, start: dt.date, end: dt.date) -> tuple[str, bytes]:
    """The report as ``(html, pdf)``."""
    return render_pdf(PDF_TEMPLATE, report_context(unit=unit, start=start, end=end))


def _enqueue(report: FollowUpReport) -> None:
    from followup.tasks import build_followup_report

    def _send() -> None:
        result = build_followup_report.delay(report.pk)
        # Eager runs have finished by now; only a queued task still needs its id noted.
        FollowUpReport.objects.filter(pk=report.pk, status=FollowUpReport.Status.PENDING).update(task_id=result.id)

    transaction.on_commit(_send)


def report_get_or_create(
    *, unit: Unit, start: dt.date, end: dt.date, kind: str, requested_by: Any = None
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


def report_request(*, user: Any, unit: Unit, start: dt.date, end: dt.date) -> FollowUpReport:
    """A manager of ``unit`` asks for its report of [start, end]."""
    if unit.pk not in unit_ids_for(user, roles={Role.MANAGER}):
        raise PermissionDenied
    return report_get_or_create(unit=unit, start=start, end=end, kind=FollowUpReport.Kind.ON_REQUEST, requested_by=user)


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
                    "path": reverse("reports:report_list"),
                },
            )
    return report


# --------------------------------------------------------------------------
# Stale reports: a worker killed outright (OOM, kill -9) leaves its row "running", and
# with acks_late its message comes back only after Redis's visibility timeout (an hour).
# --------------------------------------------------------------------------

# The build task's hard time limit (followup.tasks): a yearly PDF takes a few seconds, so
# a row "running" for longer than this is no longer being built by anyone.
REPORT_TIME_LIMIT = 10 * 60


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


def reports_stale(reports: Any, *, now: dt.datetime | None = None) -> list[FollowUpReport]:
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


def report_retry(*, report: FollowUpReport, requested_by: Any = None) -> FollowUpReport:
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
