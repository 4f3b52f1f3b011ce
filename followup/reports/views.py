"""The PDF follow-up reports: a manager's list and request form, progress, download.

A report's file is only ever sent through :func:`report_download`, which checks that the
user manages the report's unit (404 otherwise); the private storage has no URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.models import Role, Unit
from anhorigstod.accounts.scoping import get_for_user_or_404, units_for
from followup.models import FollowUpReport
from followup.reports.services import report_request, report_retry, reports_stale

management = role_required(Role.MANAGER)
MANAGER_ONLY = {Role.MANAGER}


class DateInput(forms.DateInput):
    input_type = "date"


class ReportRequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = units_for(user, roles=MANAGER_ONLY).order_by("name")
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(month=1, day=1)
        self.fields["end"].initial = today

    def prefill(self, query: Any) -> None:
        """Take the unit and period offered by a link (the dashboard's), where valid."""
        for name in ("unit", "start", "end"):
            value = query.get(name)
            if not value:
                continue
            try:
                self.initial[name] = self.fields[name].clean(value)
            except forms.ValidationError:
                continue

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        return data


def _reports(user: Any) -> Any:
    return FollowUpReport.objects.filter(unit__in=units_for(user, roles=MANAGER_ONLY)).select_related("unit")


@management
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
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
            return redirect(reverse("reports:report_list"))
        form = ReportRequestForm(request.POST, user=user)
        if form.is_valid():
            report_request(
                user=user,
                unit=form.cleaned_data["unit"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
            return redirect(reverse("reports:report_list"))
    reports = list(_reports(user)[:100])
    stale = {report.pk for report in reports_stale(reports)}
    for report in reports:
        report.is_stale = report.pk in stale
    waiting = any(
        report.status in (FollowUpReport.Status.PENDING, FollowUpReport.Status.RUNNING) and report.pk not in stale
        for report in reports
    )
    return render(request, "followup/report_list.html", {"form": form, "reports": reports, "waiting": waiting})


@management
def report_status(request: HttpRequest, code: UUID) -> JsonResponse:
    report = get_for_user_or_404(FollowUpReport.objects.all(), request.user, roles=MANAGER_ONLY, code=code)
    return JsonResponse(
        {
            "code": str(report.code),
            "status": report.status,
            # "running" with no build behind it any more: offer the retry (followup.reports).
            "stale": bool(reports_stale([report])),
            "start": report.start.isoformat(),
            "end": report.end.isoformat(),
            "kind": report.kind,
            "error": report.error,
            "finished_at": report.finished_at.isoformat() if report.finished_at else None,
            "download": reverse("reports:report_download", args=[report.code])
            if report.status == FollowUpReport.Status.DONE
            else None,
        }
    )


@management
def report_download(request: HttpRequest, code: UUID) -> Any:  # a FileResponse streams
    report = get_for_user_or_404(
        FollowUpReport.objects.select_related("unit"), request.user, roles=MANAGER_ONLY, code=code
    )
    if report.status != FollowUpReport.Status.DONE or not report.file:
        raise Http404
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response
