"""The partner directory (vägvisare): the list and adding a partner (casework), changing and
retiring one (the unit's administrators). Thin: parse, call one service, render or redirect."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import CASEWORK_ROLES, Role
from anhorigstod.accounts.scoping import casework_units, unit_ids_for
from anhorigstod.lib.http import chosen_unit
from contacts.forms import PartnerForm, raise_into_form
from contacts.selectors import partners as selectors
from contacts.services import partners as services
from contacts.views.common import admin_form_page, administrator, casework, simple_form_context


@role_required(Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    partners = selectors.partner_list(user=request.user)
    # Administrators edit and retire the partners of their units (partner_edit and partner_retire, below).
    admin_unit_ids = unit_ids_for(request.user, roles={Role.ADMIN})
    can_add = bool(unit_ids_for(request.user, roles=CASEWORK_ROLES))  # adding is casework (partner_create)
    return render(
        request,
        "contacts/partner_list.html",
        {"partners": partners, "admin_unit_ids": admin_unit_ids, "can_add": can_add},
    )


@casework
def partner_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_create(created_by=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The partner is added."))
            return redirect("contacts:partner_list")
    return render(
        request,
        "contacts/simple_form.html",
        simple_form_context(form, None, _("Add a partner"), units=units, unit=unit),
    )


@administrator
def partner_edit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    partner = get_object_or_404(selectors.partners_administered(user=request.user), code=code)
    form = PartnerForm(request.POST or None, instance=type(partner).objects.get(pk=partner.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(updated_by=request.user, partner=partner, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("contacts:partner_list")
    return admin_form_page(request, form, _("Change the partner %(name)s") % {"name": partner.name}, unit=partner.unit)


@administrator
@require_POST
def partner_retire(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    partner = get_object_or_404(selectors.partners_administered(user=request.user), code=code)
    retired = request.POST.get("retired") != "0"
    services.partner_set_retired(changed_by=request.user, partner=partner, retired=retired, request=request)
    if retired:
        messages.success(
            request, _("%(name)s is retired: no longer offered for new referrals.") % {"name": partner.name}
        )
    else:
        messages.success(request, _("%(name)s is in use again.") % {"name": partner.name})
    return redirect("contacts:partner_list")
