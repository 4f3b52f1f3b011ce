"""Staff administration for the municipality's administrators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.forms import StaffCreateForm
from anhorigstod.accounts.models import Membership, Role
from anhorigstod.accounts.scoping import scope_to_user, units_for
from anhorigstod.accounts.services import staff_create as staff_create_service


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
