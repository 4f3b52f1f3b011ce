"""The national export page (PRODUCT §8): a manager chooses units and a period, sees how
many records the dataset holds, and downloads it as CSV or JSON.

Managers only, like the dashboard, and only their own units: a unit outside them is a
404. The dataset holds aggregates, not personal records, so it is not written to the
access log (followup/national/services.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role, Unit
from followup.dashboard.filters import FollowUpFilter, chosen_period_and_units
from followup.measures import Mark
from followup.national.services import national_csv, national_dataset, national_json, unit_records

management = role_required(Role.MANAGER)

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# The marks of the records (their ``mark`` column), in the preview's column order.
MARKS = (Mark.SMALL.value, Mark.PROTECTS.value, Mark.UNAVAILABLE.value)


class NationalExportFilter(FollowUpFilter):
    """The dashboard's period and units, without the choice to show small counts: the
    national export is always suppressed."""

    suppress_small = None


def _chosen(request: HttpRequest) -> tuple[NationalExportFilter, dt.date, dt.date, list[Unit]]:
    chosen, start, end, unit_ids, _suppress = chosen_period_and_units(request, NationalExportFilter)
    wanted = set(unit_ids)
    return chosen, start, end, [unit for unit in chosen.units if unit.pk in wanted]


@management
def national_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    chosen, start, end, units = _chosen(request)
    context: dict[str, Any] = {"filter": chosen, "start": start, "end": end}
    # A wrong date shows the form's errors, not a dataset for a period nobody asked for.
    if not (chosen.is_bound and not chosen.is_valid()):
        rows: list[dict[str, Any]] = []
        for unit in sorted(units, key=lambda unit: (unit.municipality.kommunkod, unit.code)):
            records = unit_records(unit=unit, start=start, end=end)
            rows.append(
                {
                    "unit": unit,
                    "records": len(records),
                    "suppressed": sum(r.suppressed for r in records),
                    # The hidden values by their mark, in the order of MARKS.
                    "by_mark": [sum(r.mark == mark for r in records) for mark in MARKS],
                }
            )
        context.update(
            rows=rows,
            records=sum(row["records"] for row in rows),
            suppressed=sum(row["suppressed"] for row in rows),
            by_mark=[sum(row["by_mark"][index] for row in rows) for index in range(len(MARKS))],
        )
    return render(request, "followup/national/export.html", context)


@management
def national_download(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    chosen, start, end, units = _chosen(request)
    if chosen.is_bound and not chosen.is_valid():
        return redirect(f"{reverse('followup:national_export')}?{request.GET.urlencode()}")
    records = national_dataset(units=units, start=start, end=end)
    body = national_csv(records) if fmt == "csv" else national_json(records, start=start, end=end)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="nationell-export-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
