"""The carer's record: the carer list, registering a carer, the record's page, changing and
closing it, and the register extract. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.accounts.scoping import casework_units
from anhorigstod.audit.services import Action, access_log_many
from anhorigstod.lib.http import chosen_unit
from contacts.filters import CarerFilter
from contacts.forms import CarerForm, CloseCarerForm, NoteForm, raise_into_form
from contacts.measurements import KASAM_INSTRUMENT, Change, kasam_change, measurement_scores
from contacts.models import Carer, Instrument
from contacts.selectors import carers as selectors
from contacts.selectors.extract import carer_extract_json, carer_extract_pdf
from contacts.services import carers as services
from contacts.views.common import casework, list_page, simple_form_context


@casework
def carer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A name is searched by POST and answered directly: it never reaches a URL, and
    # nothing keeps it (not even the session), so no table ever holds a searched name.
    data = request.GET.copy()
    data["q"] = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    carers = CarerFilter(data, queryset=selectors.carer_list(user=request.user))
    page = list_page(carers.qs, request.GET.get("sida") if not data["q"] else 1)
    rows = selectors.carer_rows(carers=list(page))
    access_log_many(actor=request.user, action=Action.VIEW, records=[row.carer for row in rows], request=request)
    query = request.GET.copy()
    query.pop("sida", None)
    context = {"filter": carers, "page": page, "rows": rows, "search": data["q"], "query": query.urlencode()}
    return render(request, "contacts/carer_list.html", context)


@casework
def carer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    form = CarerForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            carer = services.carer_create(created_by=request.user, unit=unit, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The carer %(label)s is registered.") % {"label": carer.label})
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/carer_form.html", {"form": form, "unit": unit, "units": units})


@casework
@never_cache
def carer_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request)
    context = {
        "carer": carer,
        "timeline": selectors.carer_timeline(carer=carer),
        "consents": carer.consents.all(),
        "plan_items": carer.plan_items.select_related("done_by"),
        "today": timezone.localdate(),
        # Each measurement's total as stored when it was recorded (two queries a measurement
        # fewer); a row written in bulk past the service has none and is scored from its answers.
        "measurements": [
            (
                measurement,
                measurement.total
                if measurement.total is not None
                else measurement_scores(measurement=measurement).total,
            )
            for measurement in carer.measurements.select_related("instrument").order_by("measured_on")
        ],
        "kasam_change": _kasam_change(carer),
        "note_form": NoteForm(),
    }
    return render(request, "contacts/carer_detail.html", context)


def _kasam_change(carer: Carer) -> Change | None:
    instrument = Instrument.objects.filter(code=KASAM_INSTRUMENT).first()
    return kasam_change(carer=carer, instrument=instrument) if instrument else None


@casework
def carer_edit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request)
    form = CarerForm(request.POST or None, instance=carer, unit=carer.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.carer_update(updated_by=request.user, carer=carer, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/carer_form.html", {"form": form, "carer": carer, "unit": carer.unit})


@casework
def carer_close(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request)
    form = CloseCarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.carer_close(
                closed_by=request.user,
                carer=carer,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The record is closed."))
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/simple_form.html", simple_form_context(form, carer, _("Close the record")))


def carer_url(carer: Carer) -> str:
    return reverse("contacts:carer_detail", args=[carer.code])


@casework
def carer_extract(request: AuthenticatedHttpRequest, code: UUID, fmt: str) -> HttpResponse:
    if fmt not in ("json", "pdf"):
        raise Http404
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    if fmt == "json":
        body = carer_extract_json(carer=carer, requested_by=request.user, request=request)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = carer_extract_pdf(carer=carer, requested_by=request.user, request=request)
        response = HttpResponse(body, content_type="application/pdf")
    # The file name carries the record's label, never the carer's name.
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{carer.label}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
