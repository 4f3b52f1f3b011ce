"""Reading the privacy notice: public for everyone, the edit page scoped to administrators."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from anhorigstod.accounts import services as accounts_services
from anhorigstod.accounts.models import Municipality, User
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


def administered_municipalities(user: User) -> QuerySet[Municipality]:
    """The municipalities whose privacy notice ``user`` keeps: a setting of the municipality,
    so the same administrators as its other settings (accounts.services)."""
    return accounts_services.administered_municipalities(user)


def administered_municipality_or_404(user: User, kommunkod: str) -> Municipality:
    """A municipality the user administers; any other (or none) is a 404 (PRODUCT §1)."""
    try:
        return administered_municipalities(user).get(kommunkod=kommunkod)
    except Municipality.DoesNotExist as exc:
        raise Http404 from exc
