"""Writing the privacy notice."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from anhorigstod.accounts.models import User
from anhorigstod.audit.services import Action, access_log
from anhorigstod.legal.models import PrivacyNotice

EDITABLE_FIELDS = ("controller", "controller_contact", "dpo_email", "dpo_phone", "text")


@transaction.atomic
def privacy_notice_save(
    *, notice: PrivacyNotice, data: dict[str, Any], user: User, request: HttpRequest | None = None
) -> PrivacyNotice:
    """Save an administrator's changes to their municipality's notice, and log who did it.

    The caller has checked that ``user`` administers ``notice.municipality``
    (:func:`anhorigstod.legal.selectors.administered_municipality_or_404`).
    """
    created = notice.pk is None
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(notice, name, data[name].strip() if isinstance(data[name], str) else data[name])
    notice.updated_by = user
    notice.full_clean()
    notice.save()
    access_log(
        actor=user,
        action=Action.CREATE if created else Action.UPDATE,
        record=notice,
        unit=None,  # the municipality's text, not a unit's record
        request=request,
    )
    return notice


def privacy_notice_viewed(*, notice: PrivacyNotice, user: User, request: HttpRequest) -> None:
    """The edit page was opened: log it like any read on a staff page."""
    if notice.pk is not None:
        access_log(actor=user, action=Action.VIEW, record=notice, unit=None, request=request)
