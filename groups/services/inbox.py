"""Contact requests, "Bli kontaktad" (PRODUCT §6): a carer asks a unit to get in touch, and
the unit's staff read and handle the request in their inbox.

A contact request names a person, so every staff read and write of one is logged
(PRODUCT §9), with the request's code as whose record it is (the reads are in
groups.selectors.staff). The e-mail that tells the unit about a new request carries no
personal details, only a link to the inbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Municipality, Unit, User
from anhorigstod.accounts.scoping import get_for_user_or_404
from anhorigstod.audit.services import Action, access_log
from anhorigstod.outbox.services import outbox_enqueue
from groups.models import ContactRequest

NOTICE_TEMPLATE = "contact_request_notice"
CONTACT_FIELDS = ("name", "phone", "email", "preferred_channel", "message")


def contact_address(*, unit: Unit) -> str:
    """Where the unit is told about new requests: its own address, else the municipality's."""
    return unit.public_email or unit.municipality.public_email


# --------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------


@transaction.atomic
def contact_request_create(*, unit: Unit, data: dict[str, Any]) -> ContactRequest:
    """Save a request from the public form and queue the notice to the unit.

    The notice goes out only once the request is committed (the outbox), and says
    nothing about who asked: names travel in e-mail that nobody can recall.
    """
    contact_request = ContactRequest(unit=unit, **{name: data.get(name) or "" for name in CONTACT_FIELDS})
    contact_request.full_clean()
    contact_request.save()
    address = contact_address(unit=unit)
    if address:
        outbox_enqueue(template=NOTICE_TEMPLATE, to=[address], context={"unit_name": unit.name})
    return contact_request


@transaction.atomic
def contact_request_mark_handled(*, code: UUID, handled_by: User, request: HttpRequest | None = None) -> ContactRequest:
    """Mark a request of ``handled_by``'s units as handled (404 outside them); logged."""
    # Locked, so two people pressing the button at once record one of them, not both.
    contact_request = get_for_user_or_404(
        ContactRequest.objects.select_for_update(of=("self",)).select_related("unit"), handled_by, code=code
    )
    if contact_request.handled_at is not None:
        raise ValidationError(_("The request is already marked as handled."))
    contact_request.handled_at = timezone.now()
    contact_request.handled_by = handled_by
    contact_request.full_clean()
    contact_request.save(update_fields=["handled_at", "handled_by", "updated_at"])
    access_log(
        actor=handled_by,
        action=Action.UPDATE,
        record=contact_request,
        subject_code=str(contact_request.code),
        request=request,
    )
    return contact_request


# --------------------------------------------------------------------------
# Retention (rules of the register of personal data, groups.personal_data)
# --------------------------------------------------------------------------


def cull_handled_requests(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """Requests handled before ``cutoff``: what came of them lives in the carer's record."""
    due = ContactRequest.objects.filter(unit__municipality=municipality, handled_at__lt=cutoff)
    number = due.count()
    if number and not dry_run:
        due.delete()
    return {"handled_contact_requests": number}


def cull_unhandled_requests(
    *, municipality: Municipality | None, cutoff: dt.datetime, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """Requests nobody handled, received before ``cutoff`` (the municipality's retention time)."""
    due = ContactRequest.objects.filter(unit__municipality=municipality, handled_at__isnull=True, created_at__lt=cutoff)
    number = due.count()
    if number and not dry_run:
        due.delete()
    return {"unhandled_contact_requests": number}
