"""The municipality's administration in this app: kinds of support and partners
(administrators), and the nämnd's exemption decisions (managers and administrators).
Thin: parse, call one service, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.models import Role
from anhorigstod.accounts.services import administered_municipalities
from contacts.admin_forms import ExemptionEndForm, SupportKindCreateForm, SupportKindEditForm
from contacts.forms import ExemptionForm, PartnerForm, raise_into_form
from contacts.models import SupportKind
from contacts.services import documentation as administration

administrator = role_required(Role.ADMIN)
management = role_required(Role.MANAGER, Role.ADMIN)


def _page(request: HttpRequest, form: Any, title: str, **extra: Any) -> HttpResponse:
    return render(request, "contacts/admin_form.html", {"form": form, "title": title, **extra})


# --- Kinds of support ---------------------------------------------------------------------


@administrator
def support_kind_create(request: HttpRequest) -> HttpResponse:
    municipalities = administered_municipalities(request.user)
    wanted = request.POST.get("kommun") or request.GET.get("kommun")
    municipality = get_object_or_404(municipalities, kommunkod=wanted) if wanted else municipalities.first()
    if municipality is None:
        raise Http404
    form = SupportKindCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration.support_kind_create(
                created_by=request.user, municipality=municipality, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The kind of support is added."))
            return redirect("contacts:policy")
    return _page(request, form, _("Add a kind of support"), municipality=municipality, kommun=municipality.kommunkod)


@administrator
def support_kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kind = get_object_or_404(administration.support_kinds_administered(user=request.user), pk=pk)
    # The form edits its own copy, so the service sees what changed.
    form = SupportKindEditForm(request.POST or None, instance=SupportKind.objects.get(pk=kind.pk))
    if request.method == "POST" and form.is_valid():
        try:
            administration.support_kind_update(
                updated_by=request.user, kind=kind, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The kind of support is saved."))
            return redirect("contacts:policy")
    return _page(
        request,
        form,
        _("Change the kind of support %(name)s") % {"name": kind.name},
        municipality=kind.municipality,
        kind=kind,
    )


# --- Partners -----------------------------------------------------------------------------


@administrator
def partner_edit(request: HttpRequest, code: Any) -> HttpResponse:
    partner = get_object_or_404(administration.partners_administered(user=request.user), code=code)
    form = PartnerForm(request.POST or None, instance=type(partner).objects.get(pk=partner.pk))
    if request.method == "POST" and form.is_valid():
        try:
            administration.partner_update(
                updated_by=request.user, partner=partner, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("contacts:partner_list")
    return _page(request, form, _("Change the partner %(name)s") % {"name": partner.name}, unit=partner.unit)


@administrator
@require_POST
def partner_retire(request: HttpRequest, code: Any) -> HttpResponse:
    partner = get_object_or_404(administration.partners_administered(user=request.user), code=code)
    retired = request.POST.get("retired") != "0"
    administration.partner_set_retired(changed_by=request.user, partner=partner, retired=retired, request=request)
    if retired:
        messages.success(
            request, _("%(name)s is retired: no longer offered for new referrals.") % {"name": partner.name}
        )
    else:
        messages.success(request, _("%(name)s is in use again.") % {"name": partner.name})
    return redirect("contacts:partner_list")


# --- Exemption decisions ------------------------------------------------------------------


@management
def exemption_edit(request: HttpRequest, code: Any) -> HttpResponse:
    decision = administration.exemption_get_for_manager(user=request.user, code=code)
    kinds = SupportKind.objects.filter(municipality_id=decision.municipality_id).order_by("-active", "name")
    form = ExemptionForm(
        request.POST or None,
        request.FILES or None,
        instance=type(decision).objects.get(pk=decision.pk),
        kinds=kinds,
    )
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key not in ("kinds", "minutes_file")}
        try:
            administration.exemption_amend(
                amended_by=request.user,
                decision=decision,
                data=data,
                kinds=list(form.cleaned_data["kinds"]),
                minutes=form.cleaned_data.get("minutes_file"),
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The exemption decision is saved."))
            return redirect("contacts:policy")
    return _page(
        request,
        form,
        _("Amend the exemption decision %(reference)s") % {"reference": decision.reference},
        municipality=decision.municipality,
        decision=decision,
        files=True,
    )


@management
def exemption_end(request: HttpRequest, code: Any) -> HttpResponse:
    decision = administration.exemption_get_for_manager(user=request.user, code=code)
    form = ExemptionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration.exemption_end_early(
                ended_by=request.user, decision=decision, last_day=form.cleaned_data["last_day"], request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The exemption decision now ends on %(date)s.") % {"date": decision.valid_to})
            return redirect("contacts:policy")
    return _page(
        request,
        form,
        _("End the exemption decision %(reference)s early") % {"reference": decision.reference},
        municipality=decision.municipality,
        decision=decision,
    )


@management
def exemption_minutes(request: HttpRequest, code: Any) -> Any:  # a FileResponse streams
    decision = administration.exemption_get_for_manager(user=request.user, code=code)
    if not decision.minutes:
        raise Http404
    filename = f"protokollsutdrag-{decision.decided_on.isoformat()}.pdf"
    response = FileResponse(decision.minutes.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
