"""The PDF follow-up reports: a manager's list and request form, progress, download.

A report's file is only ever sent through :func:`report_download`, which checks that the
user manages the report's unit (404 otherwise); the private storage has no URL.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role
from anhorigstod.accounts.scoping import get_for_user_or_404
from followup.models import FollowUpReport
from followup.reports import selectors
from followup.reports.forms import ReportRequestForm
from followup.reports.selectors import MANAGER_ONLY
from followup.reports.services import report_request, report_retry, reports_stale

management = role_required(Role.MANAGER)


@management
@require_http_methods(["GET", "POST"])
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ReportRequestForm(user=user)
    form.prefill(request.GET)
    if request.method == "POST":
        retry = request.POST.get("retry")
        if retry:
            try:
                code = UUID(retry)
            except ValueError:
                code = None
            if code is not None:
                failed = get_for_user_or_404(FollowUpReport.objects.all(), user, roles=MANAGER_ONLY, code=code)
                report_retry(report=failed, requested_by=user)
            return redirect(reverse("followup:report_list"))
        form = ReportRequestForm(request.POST, user=user)
        if form.is_valid():
            report_request(
                user=user,
                unit=form.cleaned_data["unit"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
            return redirect(reverse("followup:report_list"))
    # Any: each row gets an is_stale for the template.
    reports: list[Any] = list(selectors.report_list(user=user)[:100])
    stale = {report.pk for report in reports_stale(reports)}
    for report in reports:
        report.is_stale = report.pk in stale
    waiting = any(
        report.status in (FollowUpReport.Status.PENDING, FollowUpReport.Status.RUNNING) and report.pk not in stale
        for report in reports
    )
    return render(request, "followup/report_list.html", {"form": form, "reports": reports, "waiting": waiting})


@management
def report_status(request: AuthenticatedHttpRequest, code: UUID) -> JsonResponse:
    report = get_for_user_or_404(FollowUpReport.objects.all(), request.user, roles=MANAGER_ONLY, code=code)
    return JsonResponse(
        {
            "code": str(report.code),
            "status": report.status,
            # "running" with no build behind it any more: offer the retry (followup.reports.services).
            "stale": bool(reports_stale([report])),
            "start": report.start.isoformat(),
            "end": report.end.isoformat(),
            "kind": report.kind,
            "error": report.error,
            "finished_at": report.finished_at.isoformat() if report.finished_at else None,
            "download": reverse("followup:report_download", args=[report.code])
            if report.status == FollowUpReport.Status.DONE
            else None,
        }
    )


@management
def report_download(request: AuthenticatedHttpRequest, code: UUID) -> FileResponse:
    report = get_for_user_or_404(
        FollowUpReport.objects.select_related("unit"), request.user, roles=MANAGER_ONLY, code=code
    )
    if report.status != FollowUpReport.Status.DONE or not report.file:
        raise Http404
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response
