"""Writes of the carer's record: register a carer, change, close and reopen the record.

Every function checks the user's reach (accounts.scoping) and writes an access-log row
for the record it creates or changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Unit, User
from anhorigstod.accounts.scoping import require_casework
from anhorigstod.audit.services import Action, access_log
from contacts import rollups
from contacts.models import AgeBand, Carer
from contacts.models.carers import CARER_FIELDS, CARER_IDENTITY_FIELDS
from contacts.personnummer import normalise as normalise_personnummer


def age_band(birth_year: int | None, *, on: dt.date) -> str:
    """The age band of someone born in ``birth_year``, counted by calendar year on ``on``.

    The one rule for age bands: talks copy it from the carer when logged, and the
    follow-up bands carers with it (Socialstyrelsen's bands, PRODUCT §8).
    """
    if birth_year is None:
        return AgeBand.UNKNOWN
    age = on.year - birth_year
    for upper, band in (
        (17, AgeBand.UNDER_18),
        (29, AgeBand.AGE_18_29),
        (44, AgeBand.AGE_30_44),
        (64, AgeBand.AGE_45_64),
        (79, AgeBand.AGE_65_79),
    ):
        if age <= upper:
            return band
    return AgeBand.AGE_80


def _next_carer_number(unit: Unit) -> int:
    # Lock the unit row so two consultants registering at once do not take the same number.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    return (Carer.objects.filter(unit=unit).aggregate(n=Max("number"))["n"] or 0) + 1


def _clean_carer_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in data.items() if key in CARER_FIELDS}
    if cleaned.get("personnummer"):
        cleaned["personnummer"] = normalise_personnummer(cleaned["personnummer"])
        if not cleaned.get("birth_year"):
            cleaned["birth_year"] = int(cleaned["personnummer"][:4])
    return cleaned


# What makes a record worth keeping: who the carer is or how to reach them, or, for a
# record kept without identity (PRODUCT §2: identity is optional for advice), at least one
# fact for the follow-up. Flags and "unknown" answers do not count: a form left as it was
# opened holds only those.
CARER_CONTENT_FIELDS = (
    *CARER_IDENTITY_FIELDS,
    "birth_year",
    "gender",
    "relation",
    "target_group",
    "occupation",
    "first_contact_channel",
)


@transaction.atomic
def carer_create(*, created_by: User, unit: Unit, data: dict[str, Any], request: HttpRequest | None = None) -> Carer:
    require_casework(created_by, unit.pk)
    if not any(data.get(name) for name in CARER_CONTENT_FIELDS):
        raise ValidationError(
            _(
                "The form is empty. Write at least a name, an e-mail address or a phone number. "
                "To keep the record without identity, give at least the birth year, the gender or "
                "the närstående's target group."
            ),
            code="empty",
        )
    carer = Carer(unit=unit, number=_next_carer_number(unit), last_entry_at=timezone.now(), **_clean_carer_data(data))
    if carer.support_contact_id is None:
        carer.support_contact = created_by
    carer.full_clean()
    carer.save()
    access_log(actor=created_by, action=Action.CREATE, record=carer, subject_code=str(carer.code), request=request)
    return carer


@transaction.atomic
def carer_update(*, updated_by: User, carer: Carer, data: dict[str, Any], request: HttpRequest | None = None) -> Carer:
    require_casework(updated_by, carer.unit_id)
    for key, value in _clean_carer_data(data).items():
        setattr(carer, key, value)
    carer.last_entry_at = timezone.now()
    carer.full_clean()
    # Reach and equality count carers as their record says now: their talks' keys follow.
    with rollups.talks_counted(list(carer.talks.values_list("pk", flat=True))):
        carer.save()
    access_log(actor=updated_by, action=Action.UPDATE, record=carer, subject_code=str(carer.code), request=request)
    return carer


@transaction.atomic
def carer_close(
    *, closed_by: User, carer: Carer, reason: str, closed_on: dt.date, request: HttpRequest | None = None
) -> Carer:
    require_casework(closed_by, carer.unit_id)
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A record cannot be closed in the future.")})
    carer.status, carer.close_reason, carer.closed_on = Carer.Status.CLOSED, reason, closed_on
    carer.last_entry_at = timezone.now()
    carer.full_clean()
    carer.save()
    access_log(actor=closed_by, action=Action.UPDATE, record=carer, subject_code=str(carer.code), request=request)
    return carer


@transaction.atomic
def carer_reopen(*, reopened_by: User, carer: Carer, request: HttpRequest | None = None) -> Carer:
    require_casework(reopened_by, carer.unit_id)
    carer.status, carer.close_reason, carer.closed_on = Carer.Status.OPEN, "", None
    carer.last_entry_at = timezone.now()
    carer.save()
    access_log(actor=reopened_by, action=Action.UPDATE, record=carer, subject_code=str(carer.code), request=request)
    return carer


def carer_touch(carer: Carer) -> None:
    """An entry in the carer's record now: gallring counts from the carer's last entry."""
    Carer.objects.filter(pk=carer.pk).update(last_entry_at=timezone.now())
