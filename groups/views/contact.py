"""Contact requests, "Bli kontaktad" (PRODUCT §6): the public form and the staff inbox
behind it. Thin: parse, call one service or selector, render.

The public form is limited per client address and per e-mail address by
anhorigstod.lib.ratelimit.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role, Unit
from anhorigstod.lib.ratelimit import limit_message, over_limit
from contacts.forms import raise_into_form
from groups.forms.contact import ContactRequestForm
from groups.selectors.staff import contact_request_get_for_user, contact_request_list, contact_requests_log_shown
from groups.services import inbox

casework = role_required(Role.CONSULTANT, Role.MANAGER)

PAGE_SIZE = 50


# --------------------------------------------------------------------------
# "Bli kontaktad" (public)
# --------------------------------------------------------------------------


def _public_unit(unit_code: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("municipality"), code=unit_code)


def _contact(unit: Unit) -> dict[str, str]:
    return {
        "contact_phone": unit.public_phone or unit.municipality.public_phone,
        "contact_email": inbox.contact_address(unit=unit),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact_request_form(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _public_unit(unit_code)
    form = ContactRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, form="contact_request", email=form.cleaned_data.get("email") or ""):
            # Nothing is saved and no notice goes out; the form keeps what was typed.
            form.add_error(None, limit_message())
            status = 429
        else:
            try:
                inbox.contact_request_create(unit=unit, data=form.cleaned_data)
            except ValidationError as error:
                raise_into_form(form, error)
            else:
                # Nothing of what was typed goes into the URL or the session.
                return redirect("groups:contact_request_thanks", unit_code=unit.code)
    context = {"unit": unit, "form": form, **_contact(unit)}
    return render(request, "groups/extra/contact_request_form.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def contact_request_thanks(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _public_unit(unit_code)
    return render(request, "groups/extra/contact_request_thanks.html", {"unit": unit, **_contact(unit)})


# --------------------------------------------------------------------------
# Inbox (staff)
# --------------------------------------------------------------------------


@casework
@never_cache
def inbox_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(contact_request_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    contact_requests_log_shown(user=request.user, contact_requests=list(page), request=request)
    return render(request, "groups/extra/inbox_list.html", {"page": page, "query": ""})


@casework
@never_cache
def inbox_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    contact_request = contact_request_get_for_user(user=request.user, code=code, request=request)
    return render(request, "groups/extra/inbox_detail.html", {"contact_request": contact_request})


@casework
@require_POST
def inbox_mark_handled(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    try:
        inbox.contact_request_mark_handled(code=code, handled_by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is marked as handled."))
    return redirect("groups:inbox_list")
