"""The small forms on a carer's record: consents, the support plan (stödplan), respite and
measurements. Thin: parse, call one service, redirect to the record."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.lib.http import next_or
from contacts.forms import ConsentForm, MeasurementForm, PlanItemEditForm, PlanItemForm, RespiteForm, raise_into_form
from contacts.models import Consent, Instrument
from contacts.selectors import carers as selectors
from contacts.selectors.partners import partners_for_unit
from contacts.services import support as services
from contacts.services.measurements import measurement_record
from contacts.views.carers import carer_url
from contacts.views.common import casework, simple_form_context


def _carer_subform(
    request: AuthenticatedHttpRequest, code: UUID, form_class: Any, title: str, save: Any, **form_kwargs: Any
) -> HttpResponse:
    """The small forms on a carer's record (consent, plan item, respite): one shape."""
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(carer, form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/simple_form.html", simple_form_context(form, carer, title))


@casework
def consent_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _carer_subform(
        request,
        code,
        ConsentForm,
        _("Record a consent"),
        lambda carer, data: services.consent_record(recorded_by=request.user, carer=carer, request=request, **data),
    )


@casework
@require_POST
def consent_revoke(request: AuthenticatedHttpRequest, code: UUID, consent_id: int) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=False)
    consent = get_object_or_404(Consent, pk=consent_id, carer=carer)
    try:
        services.consent_revoke(
            revoked_by=request.user, consent=consent, revoked_on=timezone.localdate(), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is revoked."))
    return redirect("contacts:carer_detail", code=carer.code)


@casework
def plan_item_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _carer_subform(
        request,
        code,
        PlanItemForm,
        _("Add to the support plan"),
        lambda carer, data: services.plan_item_add(added_by=request.user, carer=carer, request=request, **data),
    )


@casework
def plan_item_edit(request: AuthenticatedHttpRequest, code: UUID, item_code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    item = selectors.plan_item_get(carer=carer, code=item_code)
    form = PlanItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(updated_by=request.user, item=item, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The support plan is saved."))
            return redirect(f"{carer_url(carer)}#plan-{item.code}")
    return render(
        request, "contacts/simple_form.html", simple_form_context(form, carer, _("Change the support plan"), item=item)
    )


@casework
@require_POST
def plan_item_done(request: AuthenticatedHttpRequest, code: UUID, item_code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    item = selectors.plan_item_get(carer=carer, code=item_code)
    try:
        services.plan_item_mark_done(item=item, by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The support plan item of %(label)s is marked done.") % {"label": carer.label},
        )
    return redirect(next_or(request, f"{carer_url(carer)}#plan-{item.code}"))


@casework
def respite_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    return _carer_subform(
        request,
        code,
        RespiteForm,
        _("Record respite"),
        lambda carer, data: services.respite_record(recorded_by=request.user, carer=carer, request=request, **data),
        partners=partners_for_unit(unit=carer.unit),
    )


@casework
def measurement_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    instrument = get_object_or_404(
        Instrument.objects.prefetch_related("items"), code=request.GET.get("instrument", "soc13")
    )
    form = MeasurementForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            measurement_record(
                recorded_by=request.user,
                carer=carer,
                instrument=instrument,
                occasion=form.cleaned_data["occasion"],
                measured_on=form.cleaned_data["measured_on"],
                answers=form.answers(),
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The measurement is saved."))
            return redirect("contacts:carer_detail", code=carer.code)
    title = _("Record %(instrument)s") % {"instrument": instrument.name}
    return render(request, "contacts/simple_form.html", simple_form_context(form, carer, title))
