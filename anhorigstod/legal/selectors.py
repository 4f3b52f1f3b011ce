"""Reading the privacy notice: public for everyone, the edit page scoped to administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from anhorigstod.accounts.models import Municipality, Role, Unit
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.extensions import ProcessingItem, extensions
from anhorigstod.legal.models import PrivacyNotice


def privacy_notice_for(municipality: Municipality) -> PrivacyNotice:
    """The municipality's notice, or an unsaved empty one (which shows the default text)."""
    try:
        return PrivacyNotice.objects.select_related("updated_by").get(municipality=municipality)
    except PrivacyNotice.DoesNotExist:
        return PrivacyNotice(municipality=municipality)


def processing_items(municipality: Municipality) -> list[ProcessingItem]:
    """What the default notice lists: every app's purposes, in the apps' order."""
    return extensions.processing_items(municipality)


def administered_municipalities(user: Any) -> QuerySet[Municipality]:
    """The municipalities where ``user`` is an administrator of some unit."""
    unit_ids = unit_ids_for(user, roles={Role.ADMIN})
    municipality_ids = Unit.objects.filter(id__in=unit_ids).values("municipality_id")
    return Municipality.objects.filter(id__in=municipality_ids).order_by("name")


def administered_municipality_or_404(user: Any, kommunkod: str) -> Municipality:
    """A municipality the user administers; any other (or none) is a 404 (PRODUCT §1)."""
    try:
        return administered_municipalities(user).get(kommunkod=kommunkod)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
