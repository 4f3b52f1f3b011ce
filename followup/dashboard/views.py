"""The follow-up pages: the managers' dashboard, its CSV export, a consultant's own workload."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role, Unit
from anhorigstod.audit.services import Action, access_log_many
from contacts.selectors import FOLLOW_UP_DAYS, follow_up_lines, follow_ups_due
from followup.assessment.selectors import assessment_summary
from followup.dashboard.export import figures_csv, figures_xlsx
from followup.dashboard.filters import chosen_period_and_units
from followup.dashboard.selectors import own_work_per_week
from followup.disclosure import released_figures
from followup.figures import followup_figures
from followup.measures import Hidden, Number

management = role_required(Role.MANAGER)
own_work = role_required(Role.CONSULTANT, Role.MANAGER)

# How many follow-ups the workload lists (how far ahead it looks is contacts' FOLLOW_UP_DAYS,
# as on "Idag"), and how many weeks it shows.
FOLLOW_UP_LIMIT = 100
WORKLOAD_WEEKS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workload_rows(rows: list[Any]) -> list[dict[str, Any]]:
    """The workload table's rows with their week cells as one piece of HTML each: a year
    of weeks for every consultant is thousands of cells, too many to render one by one
    through the template engine. A cell is a whole number (no locale, nothing to escape)
    or the mark of a hidden one ("&lt;5", "x")."""

    def text(value: Number | Hidden) -> str:
        return str(value)

    def cell(value: Number | Hidden) -> str:
        return f"<td>{escape(value)}</td>" if isinstance(value, Hidden) else f"<td>{int(value)}</td>"

    return [
        {
            "consultant": row["consultant"],
            "cells": mark_safe("".join(cell(value) for value in row["cells"])),  # noqa: S308 - integers only
            "total": text(row["total"]),
        }
        for row in rows
    ]


@management
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    chosen, start, end, unit_ids, suppress_small = chosen_period_and_units(request)
    if suppress_small:
        figures = released_figures(unit_ids=unit_ids, start=start, end=end)
    else:
        figures = followup_figures(unit_ids=unit_ids, start=start, end=end)
    # The PDF report is of one unit: offer it for this period, and for the unit if one is chosen.
    report = {"start": start.isoformat(), "end": end.isoformat()}
    if len(request.GET.getlist("unit")) == 1 and len(unit_ids) == 1:
        report["unit"] = str(unit_ids[0])
    # The strategic self-assessment of the year the period ends in: in full for one unit,
    # else a link to each unit's (each unit costs a figures run of its own).
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("name"))
    assessment = (
        assessment_summary(units=units, year=end.year, suppress_small=suppress_small) if len(units) == 1 else None
    )
    context = {
        "workload_rows": _workload_rows(figures.workload["rows"]),
        "assessment": assessment,
        "assessment_units": units,
        "assessment_year": end.year,
        "filter": chosen,
        "figures": figures,
        "query": request.GET.urlencode(),
        "report_query": urlencode(report),
    }
    return render(request, "followup/dashboard.html", context)


@management
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _filter, start, end, unit_ids, _suppress = chosen_period_and_units(request)
    # An export leaves the system: always small-cell suppressed.
    figures = released_figures(unit_ids=unit_ids, start=start, end=end)
    # "för Excel": semicolons, decimal commas and a byte-order mark, as Swedish Excel reads a CSV.
    excel = request.GET.get("format") == "excel"
    response = HttpResponse(figures_csv(figures, excel=excel), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    return response


@management
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _filter, start, end, unit_ids, _suppress = chosen_period_and_units(request)
    figures = released_figures(unit_ids=unit_ids, start=start, end=end)
    response = HttpResponse(figures_xlsx(figures), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response


@own_work
def my_workload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in consultant's own talks and sessions per week, and follow-ups due."""
    user = request.user
    today = timezone.localdate()
    end = today
    start = today - dt.timedelta(weeks=WORKLOAD_WEEKS - 1, days=today.weekday())
    rows = own_work_per_week(user=user, start=start, end=end)
    # Overdue first (they stay until marked done), then today's and the coming ones: the
    # same follow-ups as "Idag", by the same selector.
    follow_ups = follow_ups_due(user=user, today=today, days=FOLLOW_UP_DAYS, limit=FOLLOW_UP_LIMIT)
    access_log_many(
        actor=user, action=Action.VIEW, records=[row.record for row in follow_ups.rows if row.carer], request=request
    )
    context = {
        "rows": rows,
        "due": follow_ups.rows,
        "due_lines": follow_up_lines(follow_ups=follow_ups.rows),
        "more_due": follow_ups.more,
        "follow_up_limit": FOLLOW_UP_LIMIT,
        "follow_up_days": FOLLOW_UP_DAYS,
        "start": start,
        "end": end,
    }
    return render(request, "followup/my_workload.html", context)
