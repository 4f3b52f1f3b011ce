"""Staff pages for the strategic self-assessment (PRODUCT §8).

Managers own the strategic follow-up: the managers of a unit answer its self-assessment.
The unit's consultants may read it, as they read the dashboard's figures of their own
work; another unit's staff get a 404, as for any record outside their units.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import CASEWORK_ROLES, Role, Unit
from anhorigstod.accounts.scoping import casework_units, get_for_user_or_404, unit_ids_for
from followup.assessment.forms import AssessmentForm
from followup.assessment.indicators import INDICATORS, LOKE
from followup.assessment.selectors import assessment_summary
from followup.assessment.services import assessment_save
from followup.models import SelfAssessment

casework = role_required(Role.CONSULTANT, Role.MANAGER)

# Socialstyrelsen's strategic follow-up areas date from its 2023 report (2023c).
FIRST_YEAR = 2023
# The years the index shows side by side, the current one first.
INDEX_YEARS = 3


def _years() -> range:
    return range(timezone.localdate().year, FIRST_YEAR - 1, -1)


@casework
def assessment_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit_code, year = request.GET.get("enhet"), request.GET.get("ar")
    if unit_code and year and year.isdigit() and int(year) in _years() and units.filter(code=unit_code).exists():
        return redirect("followup:assessment_edit", unit_code=unit_code, year=int(year))
    years = list(_years())[:INDEX_YEARS]
    saved = {
        (assessment.unit_id, assessment.year): assessment
        for assessment in SelfAssessment.objects.filter(unit__in=units, year__in=years).annotate(
            own_answers=Count("answers", filter=~Q(answers__answer=""))
        )
    }
    rows = [
        {"unit": unit, "cells": [{"year": year, "assessment": saved.get((unit.pk, year))} for year in years]}
        for unit in units
    ]
    context = {
        "units": units,
        "years": _years(),
        "shown_years": years,
        "rows": rows,
        "total": len(INDICATORS),
    }
    return render(request, "followup/assessment/index.html", context)


@casework
def assessment_edit(request: AuthenticatedHttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = get_for_user_or_404(
        Unit.objects.select_related("municipality"), request.user, unit_field="pk", roles=CASEWORK_ROLES, code=unit_code
    )
    if year not in _years():
        raise Http404
    may_edit = unit.pk in unit_ids_for(request.user, roles={Role.MANAGER})
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    summary = assessment_summary(units=[unit], year=year)[0]
    states = [state for part in summary["areas"] for state in part["indicators"]]
    form = AssessmentForm(request.POST or None, states=states) if may_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            assessment_save(unit=unit, year=year, answers=form.answers(), user=request.user)
        except (ValidationError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The self-assessment is saved."))
            return redirect("followup:assessment_edit", unit_code=unit.code, year=year)
    context: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "summary": summary,
        "assessment": summary["assessment"],
        "may_edit": may_edit,
        "form": form,
        "layout": form.layout() if form is not None else _read_only_layout(summary),
        "loke": LOKE,
    }
    return render(request, "followup/assessment/edit.html", context)


def _read_only_layout(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"area": part["area"], "entries": [{"state": state} for state in part["indicators"]]}
        for part in summary["areas"]
    ]
