"""The privacy notice and the accessibility statement (public), and the administrators'
page for their municipality's notice."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Municipality, Role
from anhorigstod.legal.forms import PrivacyNoticeForm
from anhorigstod.legal.models import PrivacyNotice
from anhorigstod.legal.selectors import (
    administered_municipalities,
    administered_municipality_or_404,
    privacy_notice_for,
    processing_items,
)
from anhorigstod.legal.services import privacy_notice_save, privacy_notice_viewed
from anhorigstod.lib.forms import errors_into_form


@require_GET
def privacy_index(request: HttpRequest) -> HttpResponse:
    """The footer's link: the notice itself when the installation serves one
    municipality, otherwise a choice of municipality."""
    municipalities = list(Municipality.objects.order_by("name"))
    if len(municipalities) == 1:
        return _privacy_page(request, municipalities[0])
    return render(request, "legal/privacy_index.html", {"municipalities": municipalities})


@require_GET
def privacy_notice(request: HttpRequest, kommunkod: str) -> HttpResponse:
    return _privacy_page(request, get_object_or_404(Municipality, kommunkod=kommunkod))


def _privacy_page(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "legal/privacy_notice.html", _notice_context(privacy_notice_for(municipality)))


def _notice_context(notice: PrivacyNotice) -> dict[str, object]:
    return {
        "notice": notice,
        "municipality": notice.municipality,
        "items": processing_items(notice.municipality),
    }


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    context = {
        "organisation": settings.ANHORIGSTOD_ACCESSIBILITY_ORGANISATION,
        "email": settings.ANHORIGSTOD_ACCESSIBILITY_EMAIL,
        "phone": settings.ANHORIGSTOD_ACCESSIBILITY_PHONE,
        "assessed_on": settings.ANHORIGSTOD_ACCESSIBILITY_ASSESSED_ON,
        "updated_on": settings.ANHORIGSTOD_ACCESSIBILITY_UPDATED_ON,
        # Without an installation-wide contact, each municipality's carer support answers.
        "municipalities": (
            []
            if settings.ANHORIGSTOD_ACCESSIBILITY_EMAIL or settings.ANHORIGSTOD_ACCESSIBILITY_PHONE
            else list(Municipality.objects.exclude(public_email="", public_phone="").order_by("name"))
        ),
    }
    return render(request, "legal/accessibility_statement.html", context)


@role_required(Role.ADMIN)
def privacy_admin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipalities = list(administered_municipalities(request.user).select_related("privacy_notice__updated_by"))
    rows = [(municipality, getattr(municipality, "privacy_notice", None)) for municipality in municipalities]
    if len(rows) == 1:
        return redirect("legal:privacy_admin_edit", kommunkod=rows[0][0].kommunkod)
    return render(request, "legal/privacy_admin_list.html", {"rows": rows})


@role_required(Role.ADMIN)
@never_cache
def privacy_admin_edit(request: AuthenticatedHttpRequest, kommunkod: str) -> HttpResponse:
    municipality = administered_municipality_or_404(request.user, kommunkod)
    notice = privacy_notice_for(municipality)
    form = PrivacyNoticeForm(request.POST or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_notice_save(notice=notice, data=form.cleaned_data, user=request.user, request=request)
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            messages.success(request, _("The privacy notice is saved and published."))
            return redirect("legal:privacy_admin_edit", kommunkod=municipality.kommunkod)
    elif request.method == "GET":
        privacy_notice_viewed(notice=notice, user=request.user, request=request)
    # The preview shows the default text with what is saved (not what was just typed).
    preview = privacy_notice_for(municipality)
    context = {"form": form, "municipality": municipality, **_notice_context(preview), "notice": preview}
    return render(request, "legal/privacy_admin_form.html", context)
