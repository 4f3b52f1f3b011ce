"""The platform's own pages: the public start pages, the staff start page, health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Membership, Municipality, Role
from anhorigstod.accounts.scoping import is_staff_member
from anhorigstod.extensions import extensions


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    municipalities = list(Municipality.objects.order_by("name"))
    if len(municipalities) == 1:
        return _municipality_page(request, municipalities[0])
    return render(request, "core/public_home.html", {"municipalities": municipalities})


@require_GET
def municipality_home(request: HttpRequest, kommunkod: str) -> HttpResponse:
    return _municipality_page(request, get_object_or_404(Municipality, kommunkod=kommunkod))


def _municipality_page(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """ "Stöd i din kommun": how to reach the consultants, and what the apps above add
    (anhorigstod.extensions: sections of the page, and links shown with each unit)."""
    units = list(municipality.units.exclude(public_phone="", public_email="").order_by("name"))
    for unit in units:
        unit.links = [  # type: ignore[attr-defined]
            {"url": reverse(link.url_name, args=[unit.code]), "label": link.label}
            for link in extensions.unit_links.values()
        ]
    sections = [
        section
        for provider in extensions.ordered_municipality_sections()
        if (section := provider(municipality)) is not None
    ]
    context = {"municipality": municipality, "units": units, "sections": sections}
    return render(request, "core/municipality_home.html", context)


def start(request: HttpRequest) -> HttpResponse:
    """Where sign-in lands: staff on "Idag", everyone else on the public pages."""
    if is_staff_member(request.user):
        return redirect("today")
    return redirect("public_home")


@role_required(Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
@never_cache
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Idag": the signed-in user's day. The sections (sessions, follow-ups, requests,
    notes, drafts) come from the apps above (anhorigstod.extensions), each scoped to the
    user's units and each drawn from a fixed number of queries."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("unit__municipality", "unit__parent")
        .order_by("unit__municipality__name", "unit__name")
    )
    now = timezone.localtime()
    sections = [
        section
        for provider in extensions.ordered_today_sections()
        if (section := provider(request=request, today=now.date())) is not None
    ]
    context = {"memberships": memberships, "now": now, "sections": sections}
    return render(request, "core/today.html", context)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
