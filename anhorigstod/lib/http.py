"""Small helpers for views."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404


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
