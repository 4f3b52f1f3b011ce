"""Staff pages for the support catalogue: each unit answers the 2019 survey per year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import CASEWORK_ROLES, Role, Unit
from anhorigstod.accounts.scoping import casework_units, get_for_user_or_404, has_role, scope_to_user
from anhorigstod.lib.csv_export import csv_response
from followup.catalogue.forms import CatalogueForm
from followup.catalogue.questions import (
    CLOSING_QUESTION,
    DEFINITIONS,
    DISTRICT_LABEL,
    ITEMS,
    MUNICIPALITY_LABEL,
    SURVEY_DATE,
    SURVEY_KIND,
    SURVEY_TITLE,
)
from followup.catalogue.selectors import catalogue_answers
from followup.catalogue.services import catalogue_save
from followup.models import CatalogueResponse, SupportCatalogue

casework = role_required(Role.CONSULTANT, Role.MANAGER)
managers = role_required(Role.MANAGER)

FIRST_YEAR = 2019


def _years() -> range:
    return range(timezone.localdate().year, FIRST_YEAR - 1, -1)


@casework
def catalogue_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit_code, year = request.GET.get("enhet"), request.GET.get("ar")
    if unit_code and year and year.isdigit() and units.filter(code=unit_code).exists():
        return redirect("followup:catalogue_edit", unit_code=unit_code, year=int(year))
    catalogues = scope_to_user(SupportCatalogue.objects.select_related("unit", "updated_by"), request.user)
    context = {
        "units": units,
        "years": _years(),
        "catalogues": catalogues.order_by("unit__name", "-year"),
        "is_manager": has_role(request.user, Role.MANAGER),
    }
    return render(request, "followup/catalogue/index.html", context)


@casework
def catalogue_edit(request: AuthenticatedHttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = get_for_user_or_404(Unit.objects.all(), request.user, unit_field="pk", roles=CASEWORK_ROLES, code=unit_code)
    if year not in _years():
        raise Http404
    catalogue = SupportCatalogue.objects.filter(unit=unit, year=year).first()
    form = CatalogueForm(
        request.POST or None,
        initial_answers=catalogue_answers(catalogue=catalogue),
        other_views=catalogue.other_views if catalogue else "",
        district=catalogue.district if catalogue else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_save(
                unit=unit,
                year=year,
                answers=form.answers(),
                other_views=form.cleaned_data["other_views"].strip(),
                district=form.cleaned_data["district"].strip(),
                user=request.user,
            )
        except (ValidationError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The catalogue is saved."))
            return redirect("followup:catalogue_edit", unit_code=unit.code, year=year)
    context = {
        "unit": unit,
        "year": year,
        "catalogue": catalogue,
        "form": form,
        "layout": form.layout(),
        "survey": {
            "kind": SURVEY_KIND,
            "date": SURVEY_DATE,
            "title": SURVEY_TITLE,
            "definitions": DEFINITIONS,
            "municipality_label": MUNICIPALITY_LABEL,
        },
    }
    return render(request, "followup/catalogue/edit.html", context)


@managers
def catalogue_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Every answer of the catalogues of the units the manager leads, one row per item,
    and the closing item ("övriga synpunkter") once per catalogue."""
    catalogues = scope_to_user(
        SupportCatalogue.objects.select_related("unit__municipality"), request.user, roles={Role.MANAGER}
    ).order_by("unit__name", "year")
    responses = (
        CatalogueResponse.objects.filter(catalogue__in=catalogues, item_code__in=ITEMS.keys())
        .select_related("catalogue__unit__municipality")
        .order_by("catalogue__unit__name", "catalogue__year", "id")
    )
    header = [
        "kommunkod",
        "kommun",
        "enhet",
        "enhetsnamn",
        "ar",
        "fraga",
        "delfraga",
        "fragetext",
        "svarsskala",
        "svar",
        "svarstext",
        "fritext",
    ]

    def where(catalogue: SupportCatalogue) -> list[Any]:
        unit = catalogue.unit
        return [unit.municipality.kommunkod, unit.municipality.name, unit.code, unit.name, catalogue.year]

    def rows() -> Iterator[list[Any]]:
        for response in responses.iterator(chunk_size=2000):
            question, text, _kind = ITEMS[response.item_code]
            scale = question.scale
            answered = bool(response.answer)
            yield [
                *where(response.catalogue),
                question.number,
                response.item_code,
                text,
                scale.code if answered else "",
                response.answer,
                scale.label(response.answer) if answered else "",
                response.text,
            ]
        for catalogue in catalogues.exclude(district="").iterator(chunk_size=2000):
            yield [*where(catalogue), "", "stadsdel", DISTRICT_LABEL, "", "", "", catalogue.district]
        for catalogue in catalogues.exclude(other_views="").iterator(chunk_size=2000):
            yield [*where(catalogue), "", "ovriga", CLOSING_QUESTION, "", "", "", catalogue.other_views]

    return csv_response(header, rows(), filename="stodkatalog.csv")
