"""Staff administration for the municipality's administrators: add people, change their
roles and units, and close the account of someone who leaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anhorigstod.accounts import selectors, staff_services
from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.forms import MembershipAddForm, MunicipalityForm, RoleChangeForm, StaffCreateForm, UnitForm
from anhorigstod.accounts.models import CASEWORK_ROLES, Membership, Municipality, Role, Unit, User
from anhorigstod.accounts.scoping import (
    forget_unit_cache,
    has_role,
    unit_ids_for,
    unit_ids_reached,
    units_for,
)
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
from anhorigstod.extensions import StaffResponsibility, extensions
from anhorigstod.lib.forms import errors_into_form


@role_required(Role.ADMIN)
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.staff_memberships(admin=request.user), 50).get_page(request.GET.get("sida"))
    return render(request, "accounts/staff_list.html", {"page": page})


@role_required(Role.ADMIN)
def staff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = units_for(request.user, roles={Role.ADMIN})
    form = StaffCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            membership = staff_create_service(created_by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            if not membership.user.is_active:
                messages.warning(
                    request,
                    _("%(name)s now has a role in %(unit)s, but their account is deactivated. Reactivate it here.")
                    % {"name": membership.user, "unit": membership.unit},
                )
                return redirect("staff_detail", code=membership.user.code)
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


def _municipalities_with_admin_units(user: User) -> QuerySet[Municipality]:
    return Municipality.objects.filter(units__id__in=administered_unit_ids(user)).distinct().order_by("name")


@role_required(Role.ADMIN)
def organisation(request: AuthenticatedHttpRequest) -> HttpResponse:
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


def _municipality_for_admin(request: AuthenticatedHttpRequest, kommunkod: str) -> Municipality:
    return get_object_or_404(administered_municipalities(request.user), kommunkod=kommunkod)


@role_required(Role.ADMIN)
def municipality_edit(request: AuthenticatedHttpRequest, kommunkod: str) -> HttpResponse:
    municipality = _municipality_for_admin(request, kommunkod)
    # The form edits its own copy, so the service sees what changed.
    form = MunicipalityForm(request.POST or None, instance=Municipality.objects.get(pk=municipality.pk))
    if request.method == "POST" and form.is_valid():
        try:
            municipality_update(
                updated_by=request.user, municipality=municipality, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            errors_into_form(form, error)
        else:
            messages.success(request, _("The municipality's settings are saved."))
            return redirect("organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "title": _("Settings of %(name)s") % {"name": municipality.name}, "municipality": municipality},
    )


@role_required(Role.ADMIN)
def unit_create(request: AuthenticatedHttpRequest, kommunkod: str) -> HttpResponse:
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
            errors_into_form(form, error)
        else:
            messages.success(request, _("The unit is added."))
            return redirect("organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "title": _("Add a unit"), "municipality": municipality},
    )


@role_required(Role.ADMIN)
def unit_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
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
            errors_into_form(form, error)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "title": _("Change the unit %(name)s") % {"name": unit.name}, "municipality": unit.municipality},
    )


def _detail(
    request: AuthenticatedHttpRequest,
    person: User,
    *,
    add_form: MembershipAddForm | None = None,
    failed_role_form: tuple[str, RoleChangeForm] | None = None,
) -> HttpResponse:
    memberships, elsewhere = selectors.staff_member_memberships(admin=request.user, person=person)
    rows = []
    for membership in memberships:
        if failed_role_form is not None and failed_role_form[0] == membership.unit.code:
            form = failed_role_form[1]
        else:
            form = RoleChangeForm(initial={"role": membership.role}, prefix=membership.unit.code)
        rows.append({"membership": membership, "form": form})
    units = selectors.units_to_add(admin=request.user, person=person)
    if add_form is None:
        add_form = MembershipAddForm(units=units, initial={"role": Role.CONSULTANT})
    context = {
        "person": person,
        "rows": rows,
        "elsewhere": elsewhere,
        "add_form": add_form if units.exists() or add_form.is_bound else None,
        "responsibilities": extensions.staff_responsibilities(
            person=person, unit_ids=unit_ids_for(request.user, roles={Role.ADMIN})
        ),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "accounts/staff_detail.html", context)


def _back_after_change(request: AuthenticatedHttpRequest, person: User) -> HttpResponse:
    """To the person's page while they are still in the administrator's units; to the list
    when they are not; to the start page when administrators stepped down themselves."""
    forget_unit_cache(request.user)
    if not has_role(request.user, Role.ADMIN):
        return redirect("start")
    if Membership.objects.filter(user=person, unit_id__in=unit_ids_for(request.user, roles={Role.ADMIN})).exists():
        return redirect("staff_detail", code=person.code)
    return redirect("staff_list")


@role_required(Role.ADMIN)
def staff_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    person = selectors.staff_member_get(admin=request.user, code=code)
    return _detail(request, person)


@role_required(Role.ADMIN)
@require_POST
def staff_membership_add(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    person = selectors.staff_member_get(admin=request.user, code=code)
    form = MembershipAddForm(request.POST, units=selectors.units_to_add(admin=request.user, person=person))
    if form.is_valid():
        try:
            membership = staff_services.membership_add(
                added_by=request.user, person=person, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now works in %(unit)s as %(role)s.")
                % {"name": person, "unit": membership.unit, "role": membership.get_role_display().lower()},
            )
            return redirect("staff_detail", code=person.code)
    return _detail(request, person, add_form=form)


@role_required(Role.ADMIN)
@require_POST
def staff_role_change(request: AuthenticatedHttpRequest, code: UUID, unit: str) -> HttpResponse:
    person = selectors.staff_member_get(admin=request.user, code=code)
    membership = selectors.staff_membership_get(admin=request.user, person=person, unit_code=unit)
    form = RoleChangeForm(request.POST, prefix=membership.unit.code)
    if form.is_valid():
        try:
            staff_services.membership_role_change(
                changed_by=request.user, membership=membership, role=form.cleaned_data["role"], request=request
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s in %(unit)s.")
                % {"name": person, "unit": membership.unit, "role": membership.get_role_display().lower()},
            )
            return _back_after_change(request, person)
    # The page shows the person as they are; the failed choice stays in its row's form.
    membership.refresh_from_db()
    return _detail(request, person, failed_role_form=(membership.unit.code, form))


def _work_left_behind(person: User, membership: Membership) -> list[StaffResponsibility]:
    """What the person holds in the units they would no longer reach without ``membership``."""
    everything = Membership.objects.filter(user=person)
    lost = unit_ids_reached(everything, roles=CASEWORK_ROLES) - unit_ids_reached(
        everything.exclude(pk=membership.pk), roles=CASEWORK_ROLES
    )
    return extensions.staff_responsibilities(person=person, unit_ids=lost)


@role_required(Role.ADMIN)
def staff_membership_remove(request: AuthenticatedHttpRequest, code: UUID, unit: str) -> HttpResponse:
    person = selectors.staff_member_get(admin=request.user, code=code)
    membership = selectors.staff_membership_get(admin=request.user, person=person, unit_code=unit)
    form = Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.membership_remove(removed_by=request.user, membership=membership, request=request)
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            messages.success(
                request, _("%(name)s no longer works in %(unit)s.") % {"name": person, "unit": membership.unit}
            )
            return _back_after_change(request, person)
    context = {
        "person": person,
        "membership": membership,
        "form": form,
        "responsibilities": _work_left_behind(person, membership),
    }
    return render(request, "accounts/staff_membership_remove.html", context)


@role_required(Role.ADMIN)
def staff_deactivate(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    person = selectors.staff_member_get(admin=request.user, code=code)
    form = Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.account_deactivate(deactivated_by=request.user, person=person, request=request)
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            messages.success(request, _("The account of %(name)s is deactivated.") % {"name": person})
            return redirect("staff_detail", code=person.code)
    context = {
        "person": person,
        "form": form,
        "responsibilities": extensions.staff_responsibilities(
            person=person, unit_ids=unit_ids_for(request.user, roles={Role.ADMIN})
        ),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "accounts/staff_deactivate.html", context)


@role_required(Role.ADMIN)
def staff_reactivate(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    person = selectors.staff_member_get(admin=request.user, code=code)
    form = Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.account_reactivate(reactivated_by=request.user, person=person, request=request)
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            messages.success(request, _("The account of %(name)s is active again.") % {"name": person})
            return redirect("staff_detail", code=person.code)
    return render(request, "accounts/staff_reactivate.html", {"person": person, "form": form})
