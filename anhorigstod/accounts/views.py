"""Staff administration for the municipality's administrators."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.forms import MunicipalityForm, StaffCreateForm, UnitForm
from anhorigstod.accounts.models import Membership, Municipality, Role, Unit
from anhorigstod.accounts.scoping import scope_to_user, units_for
from anhorigstod.accounts.services import (
    administered_municipalities,
    administered_unit_ids,
    municipality_update,
    unit_descendant_ids,
    unit_tree,
    unit_update,
)
from anhorigstod.accounts.services import staff_create as staff_create_service
from anhorigstod.accounts.services import unit_create as unit_create_service


@role_required(Role.ADMIN)
def staff_list(request: HttpRequest) -> HttpResponse:
    memberships = scope_to_user(
        Membership.objects.select_related("user", "unit__municipality").order_by("unit__name", "user__full_name"),
        request.user,
        roles={Role.ADMIN},
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("sida"))
    return render(request, "accounts/staff_list.html", {"page": page})


@role_required(Role.ADMIN)
def staff_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request.user, roles={Role.ADMIN})
    form = StaffCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            staff_create_service(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("The account is created and an invitation has been sent."))
            return redirect("staff_list")
    return render(request, "accounts/staff_form.html", {"form": form})


# --- The organisation: the municipality's settings and its unit tree --------------------


@dataclass
class UnitNode:
    unit: Unit
    children: list[UnitNode] = field(default_factory=list)


def _tree(municipality: Municipality) -> list[UnitNode]:
    nodes: dict[int, UnitNode] = {}
    roots: list[UnitNode] = []
    for unit, depth in unit_tree(municipality):
        node = nodes[unit.pk] = UnitNode(unit)
        if depth == 0:
            roots.append(node)
        else:
            nodes[unit.parent_id].children.append(node)  # type: ignore[index]
    return roots


def _municipalities_with_admin_units(user: Any) -> Any:
    return Municipality.objects.filter(units__id__in=administered_unit_ids(user)).distinct().order_by("name")


@role_required(Role.ADMIN)
def organisation(request: HttpRequest) -> HttpResponse:
    """Every municipality where the user administers a unit, with its whole tree (the
    organisation is public); the user changes the units they administer, and the
    municipality's settings when they administer it as a whole."""
    whole = set(administered_municipalities(request.user).values_list("pk", flat=True))
    municipalities = [
        (municipality, _tree(municipality), municipality.pk in whole)
        for municipality in _municipalities_with_admin_units(request.user)
    ]
    return render(
        request,
        "accounts/organisation.html",
        {"municipalities": municipalities, "admin_unit_ids": administered_unit_ids(request.user)},
    )


def _municipality_for_admin(request: HttpRequest, kommunkod: str) -> Municipality:
    return get_object_or_404(administered_municipalities(request.user), kommunkod=kommunkod)


def _errors_into(form: Any, error: ValidationError) -> None:
    for name, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@role_required(Role.ADMIN)
def municipality_edit(request: HttpRequest, kommunkod: str) -> HttpResponse:
    municipality = _municipality_for_admin(request, kommunkod)
    # The form edits its own copy, so the service sees what changed.
    form = MunicipalityForm(request.POST or None, instance=Municipality.objects.get(pk=municipality.pk))
    if request.method == "POST" and form.is_valid():
        try:
            municipality_update(
                updated_by=request.user, municipality=municipality, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("The municipality's settings are saved."))
            return redirect("organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "title": _("Settings of %(name)s") % {"name": municipality.name}, "municipality": municipality},
    )


@role_required(Role.ADMIN)
def unit_create(request: HttpRequest, kommunkod: str) -> HttpResponse:
    municipality = get_object_or_404(_municipalities_with_admin_units(request.user), kommunkod=kommunkod)
    parents = Unit.objects.filter(municipality=municipality, pk__in=administered_unit_ids(request.user))
    top_allowed = administered_municipalities(request.user).filter(pk=municipality.pk).exists()
    initial = {"parent": parents.filter(code=request.GET.get("under", "")).first()}
    form = UnitForm(
        request.POST or None, municipality=municipality, parents=parents, top_allowed=top_allowed, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit_create_service(
                created_by=request.user, municipality=municipality, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("The unit is added."))
            return redirect("organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "title": _("Add a unit"), "municipality": municipality},
    )


@role_required(Role.ADMIN)
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    admin_unit_ids = administered_unit_ids(request.user)
    unit = get_object_or_404(Unit.objects.select_related("municipality"), code=code, pk__in=admin_unit_ids)
    # A unit moves only below units the user administers, never below itself or a unit under it.
    parents = Unit.objects.filter(municipality=unit.municipality, pk__in=admin_unit_ids).exclude(
        pk__in=unit_descendant_ids(unit)
    )
    if unit.parent_id is not None and unit.parent_id not in admin_unit_ids:
        parents |= Unit.objects.filter(pk=unit.parent_id)  # where it is now stays a valid answer
    top_allowed = (
        unit.parent_id is None or administered_municipalities(request.user).filter(pk=unit.municipality_id).exists()
    )
    form = UnitForm(
        request.POST or None,
        instance=Unit.objects.get(pk=unit.pk),
        municipality=unit.municipality,
        parents=parents,
        top_allowed=top_allowed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(updated_by=request.user, unit=unit, data=form.cleaned_data, request=request)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "title": _("Change the unit %(name)s") % {"name": unit.name}, "municipality": unit.municipality},
    )
