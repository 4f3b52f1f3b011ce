"""Recording a carer's answers to an instrument (PRODUCT §5), scored by the one scoring
rule (contacts.measurements)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import CASEWORK_ROLES, User
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.audit.services import Action, access_log
from contacts.measurements import instrument_items, score_items
from contacts.models import Carer, Instrument, Measurement, MeasurementAnswer
from contacts.rollups import measurements_counted


def measurement_record(
    *,
    recorded_by: User,
    carer: Carer,
    instrument: Instrument,
    occasion: str,
    measured_on: dt.date,
    answers: dict[int, int],
    request: HttpRequest | None = None,
) -> Measurement:
    """Record a carer's answers to an instrument, with the access-log row, in one transaction."""
    # The view has already fetched the carer through the user's scope; a service that
    # writes personal records checks again rather than trusting every caller to.
    if carer.unit_id not in unit_ids_for(recorded_by, roles=CASEWORK_ROLES):
        raise PermissionDenied
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date of a measurement cannot be in the future.")})
    items = instrument_items(instrument)
    scored = score_items(instrument=instrument, items=items, answers=answers)
    by_number = {item.number: item for item in items}

    with transaction.atomic(), measurements_counted([carer.pk]):
        measurement = Measurement(
            carer=carer,
            instrument=instrument,
            occasion=occasion,
            measured_on=measured_on,
            recorded_by=recorded_by,
            total=scored.total,
        )
        measurement.full_clean()
        measurement.save()
        # The values were checked by score_items and the dict keys make one answer per item;
        # the unique constraint backs that up without a query per row from full_clean().
        MeasurementAnswer.objects.bulk_create(
            MeasurementAnswer(measurement=measurement, item=by_number[number], value=value)
            for number, value in sorted(answers.items())
        )
        # Gallring counts from the carer's last entry, and a measurement is one. An update
        # rather than save(): the caller's carer object changes only once this commits.
        now = timezone.now()
        Carer.objects.filter(pk=carer.pk).update(last_entry_at=now, updated_at=now)
        access_log(
            actor=recorded_by,
            action=Action.CREATE,
            record=measurement,
            unit=carer.unit,
            subject_code=str(carer.code),
            request=request,
        )
    carer.last_entry_at = carer.updated_at = now
    return measurement
