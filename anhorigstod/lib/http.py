"""Small helpers for views."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme


def chosen_unit(request: HttpRequest, units: QuerySet[Any]) -> Any:
    """The unit a new record goes to: the one posted or asked for (by code), else the first.

    ``units`` is already scoped to the user, so a code outside it is a 404.
    """
    wanted = request.POST.get("unit") or request.GET.get("enhet")
    if wanted:
        return get_object_or_404(units, code=wanted)
    unit = units.first()
    if unit is None:
        raise Http404
    return unit


def next_or(request: HttpRequest, default: str) -> str:
    """Where a form posted from another page goes back to: the posted ``next`` when it is a
    page of this site (never another host: an open redirect), else ``default``."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default
