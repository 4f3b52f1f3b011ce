"""The documentation policy's pages (PRODUCT §2): the overview of the kinds of support and
their tiers with the nämnd's exemption decisions; a kind's tier (managers); adding,
changing and retiring kinds (administrators); recording, amending and ending exemption
decisions and their minutes (managers and administrators). Thin: parse, call one service,
render or redirect."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.accounts.models import Role
from anhorigstod.accounts.scoping import units_for
from anhorigstod.accounts.services import administered_municipalities
from anhorigstod.lib.http import chosen_unit
from contacts.forms import (
    ExemptionEndForm,
    ExemptionForm,
    SupportKindCreateForm,
    SupportKindEditForm,
    TierChangeForm,
    raise_into_form,
)
from contacts.models import SupportKind
from contacts.selectors import documentation as selectors
from contacts.services import documentation as services
from contacts.views.common import admin_form_page, administrator, management, simple_form_context


@management
def policy_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality_ids = units_for(request.user, roles=None).values("municipality_id")
    kinds = (
        SupportKind.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality")
        .prefetch_related("tier_changes__changed_by")
        .order_by("municipality__name", "name")
    )
    exemptions = selectors.exemption_list(user=request.user)
    today = timezone.localdate()
    # Administrators add, rename and retire kinds of their municipalities (support_kind_create and
    # support_kind_edit, below).
    admin_municipality_ids = set(administered_municipalities(request.user).values_list("pk", flat=True))
    manager_municipality_ids = set(
        units_for(request.user, roles={Role.MANAGER, Role.ADMIN}).values_list("municipality_id", flat=True)
    )
    return render(
        request,
        "contacts/policy.html",
        {
            "kinds": kinds,
            "exemptions": exemptions,
            "today": today,
            "admin_municipality_ids": admin_municipality_ids,
            "manager_municipality_ids": manager_municipality_ids,
        },
    )


@management
def support_kind_tier(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    municipality_ids = units_for(request.user, roles={Role.MANAGER, Role.ADMIN}).values("municipality_id")
    kind = get_object_or_404(SupportKind, pk=pk, municipality_id__in=municipality_ids)
    form = TierChangeForm(request.POST or None, initial={"tier": kind.tier})
    if request.method == "POST" and form.is_valid():
        try:
            services.support_kind_set_tier(changed_by=request.user, kind=kind, request=request, **form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The documentation tier is changed."))
            return redirect("contacts:policy")
    return render(
        request,
        "contacts/simple_form.html",
        simple_form_context(form, None, _("Change the documentation tier"), kind=kind),
    )


@management
def exemption_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = units_for(request.user, roles={Role.MANAGER, Role.ADMIN})
    unit = chosen_unit(request, units)
    municipality = unit.municipality
    kinds = SupportKind.objects.filter(municipality=municipality, active=True).order_by("name")
    form = ExemptionForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key not in ("kinds", "minutes_file")}
        try:
            services.exemption_record(
                recorded_by=request.user,
                municipality=municipality,
                data=data,
                kinds=list(form.cleaned_data["kinds"]),
                minutes=form.cleaned_data.get("minutes_file"),
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The exemption decision is recorded."))
            return redirect("contacts:policy")
    return render(
        request,
        "contacts/admin_form.html",
        {"form": form, "title": _("Record an exemption decision"), "municipality": municipality, "files": True},
    )


@administrator
def support_kind_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipalities = administered_municipalities(request.user)
    wanted = request.POST.get("kommun") or request.GET.get("kommun")
    municipality = get_object_or_404(municipalities, kommunkod=wanted) if wanted else municipalities.first()
    if municipality is None:
        raise Http404
    form = SupportKindCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_kind_create(
                created_by=request.user, municipality=municipality, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The kind of support is added."))
            return redirect("contacts:policy")
    return admin_form_page(
        request, form, _("Add a kind of support"), municipality=municipality, kommun=municipality.kommunkod
    )


@administrator
def support_kind_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kind = get_object_or_404(selectors.support_kinds_administered(user=request.user), pk=pk)
    # The form edits its own copy, so the service sees what changed.
    form = SupportKindEditForm(request.POST or None, instance=SupportKind.objects.get(pk=kind.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.support_kind_update(updated_by=request.user, kind=kind, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The kind of support is saved."))
            return redirect("contacts:policy")
    return admin_form_page(
        request,
        form,
        _("Change the kind of support %(name)s") % {"name": kind.name},
        municipality=kind.municipality,
        kind=kind,
    )


@management
def exemption_edit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    decision = selectors.exemption_get_for_manager(user=request.user, code=code)
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
            services.exemption_amend(
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
    return admin_form_page(
        request,
        form,
        _("Amend the exemption decision %(reference)s") % {"reference": decision.reference},
        municipality=decision.municipality,
        decision=decision,
        files=True,
    )


@management
def exemption_end(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    decision = selectors.exemption_get_for_manager(user=request.user, code=code)
    form = ExemptionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_end_early(
                ended_by=request.user, decision=decision, last_day=form.cleaned_data["last_day"], request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The exemption decision now ends on %(date)s.") % {"date": decision.valid_to})
            return redirect("contacts:policy")
    return admin_form_page(
        request,
        form,
        _("End the exemption decision %(reference)s early") % {"reference": decision.reference},
        municipality=decision.municipality,
        decision=decision,
    )


@management
def exemption_minutes(request: AuthenticatedHttpRequest, code: UUID) -> FileResponse:
    decision = selectors.exemption_get_for_manager(user=request.user, code=code)
    if not decision.minutes:
        raise Http404
    filename = f"protokollsutdrag-{decision.decided_on.isoformat()}.pdf"
    response = FileResponse(decision.minutes.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
