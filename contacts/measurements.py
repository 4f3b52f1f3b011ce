"""The one scoring rule of measurements with an instrument (PRODUCT §5), and the scores
and changes read with it (a measurement is recorded by contacts.services.measurements).

Instruments are data (``Instrument`` with its items and sub-scales; SOC-13 ships in
migration 0002), so one scoring rule serves every instrument: an answer is a value on the
instrument's scale, a reversed item counts as ``scale_min + scale_max - value``, and the
total and each sub-scale are sums of the counted values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from contacts.models import Carer, Instrument, InstrumentItem, Measurement, MeasurementAnswer


@dataclass(frozen=True)
class Score:
    total: int
    # Keyed by the sub-scale's code; items outside any sub-scale count only in the total.
    subscales: dict[str, int]


class Change(TypedDict):
    """How far a carer moved between the first "before" and the last "after" measurement."""

    before: Measurement
    after: Measurement
    total: int
    subscales: dict[str, int]


def instrument_items(instrument: Instrument) -> list[InstrumentItem]:
    # One query whatever the instrument: the sub-scale codes come along in the join.
    return list(InstrumentItem.objects.filter(instrument=instrument).select_related("subscale").order_by("number"))


def score_items(*, instrument: Instrument, items: Sequence[InstrumentItem], answers: Mapping[int, int]) -> Score:
    """The scoring rule, with the instrument's items already read (:func:`instrument_items`);
    :func:`score` reads them itself."""
    by_number = {item.number: item for item in items}
    errors: list[ValidationError] = []
    for number in sorted(set(by_number) - set(answers)):
        errors.append(
            ValidationError(_("Question %(number)s has no answer."), code="missing", params={"number": number})
        )
    for number in sorted(set(answers) - set(by_number)):
        errors.append(
            ValidationError(
                _("%(instrument)s has no question %(number)s."),
                code="unknown",
                params={"number": number, "instrument": instrument.name},
            )
        )
    for number in sorted(set(answers) & set(by_number)):
        value = answers[number]
        # bool is an int in Python; a checkbox's True is not an answer on a 1-7 scale.
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not instrument.scale_min <= value <= instrument.scale_max
        ):
            errors.append(
                ValidationError(
                    _("The answer to question %(number)s must be a whole number from %(min)s to %(max)s."),
                    code="out_of_range",
                    params={"number": number, "min": instrument.scale_min, "max": instrument.scale_max},
                )
            )
    if errors:
        raise ValidationError(errors)

    total = 0
    subscales: dict[str, int] = {}
    for number, item in by_number.items():
        value = answers[number]
        counted = instrument.scale_min + instrument.scale_max - value if item.reversed else value
        total += counted
        if item.subscale is not None:
            subscales[item.subscale.code] = subscales.get(item.subscale.code, 0) + counted
    return Score(total=total, subscales=subscales)


def score(*, instrument: Instrument, answers: dict[int, int]) -> Score:
    """Score ``answers`` (item number → value) on ``instrument``; every item must be
    answered, within the scale, and nothing else. Raises ``ValidationError`` listing every
    problem at once, so a form can show them all."""
    return score_items(instrument=instrument, items=instrument_items(instrument), answers=answers)


def measurement_scores(*, measurement: Measurement) -> Score:
    """The scores of a recorded measurement: one query for the answers and one for the
    instrument's items (plus one for the instrument unless it was select_related)."""
    answers = dict(measurement.answers.values_list("item__number", "value"))
    return score(instrument=measurement.instrument, answers=answers)


def kasam_change(*, carer: Carer, instrument: Instrument) -> Change | None:
    """The change from the carer's first "before" to their last "after" measurement with
    ``instrument`` (after minus before, so a rise in KASAM is positive); ``None`` until
    both exist. Sub-scales are those of the instrument, in both measurements."""
    measurements = Measurement.objects.filter(carer=carer, instrument=instrument).select_related("instrument")
    before = measurements.filter(occasion=Measurement.Occasion.BEFORE).order_by("measured_on", "id").first()
    after = measurements.filter(occasion=Measurement.Occasion.AFTER).order_by("measured_on", "id").last()
    if before is None or after is None:
        return None
    first, last = measurement_scores(measurement=before), measurement_scores(measurement=after)
    return Change(
        before=before,
        after=after,
        total=last.total - first.total,
        subscales={code: last.subscales[code] - value for code, value in first.subscales.items()},
    )


# The instrument whose change the follow-up counts (SOC-13, shipped in migration 0002).
KASAM_INSTRUMENT = "soc13"


@dataclass(frozen=True)
class KasamHistory:
    """What the follow-up counts of one carer's measurements with an instrument: their
    unit, their change by the rule of :func:`kasam_change` (first "before" to last
    "after"; ``None`` until both exist), and the days of their "after" measurements."""

    unit_id: int
    change: int | None
    after_days: tuple[dt.date, ...]


def kasam_histories(*, carers: Q, instrument: Instrument) -> dict[int, KasamHistory]:
    """Carer id -> :class:`KasamHistory`, for the carers selected by ``carers`` (a filter
    on ``Measurement``'s carer) measured with ``instrument``: two queries, however many
    carers (for the follow-up counts, ``contacts.rollups``).

    Totals stored at recording are used; a measurement written past the service (no
    total) is scored from its answers with the same rule."""
    firsts: dict[int, tuple[int, int | None]] = {}
    lasts: dict[int, tuple[int, int | None]] = {}
    after_days: dict[int, list[dt.date]] = {}
    unit_of: dict[int, int] = {}
    for measurement_id, carer_id, unit_id, occasion, measured_on, stored in (
        Measurement.objects.filter(carers, instrument=instrument)
        .order_by("measured_on", "id")
        .values_list("pk", "carer_id", "carer__unit_id", "occasion", "measured_on", "total")
    ):
        unit_of[carer_id] = unit_id
        if occasion == Measurement.Occasion.BEFORE:
            firsts.setdefault(carer_id, (measurement_id, stored))
        elif occasion == Measurement.Occasion.AFTER:
            lasts[carer_id] = (measurement_id, stored)
            after_days.setdefault(carer_id, []).append(measured_on)
    pairs = {carer_id: (firsts[carer_id], lasts[carer_id]) for carer_id in firsts.keys() & lasts.keys()}
    items = instrument_items(instrument)
    number_of = {item.pk: item.number for item in items}
    unscored = [measurement_id for pair in pairs.values() for measurement_id, stored in pair if stored is None]
    answers: dict[int, dict[int, int]] = {}
    for measurement_id, item_id, value in MeasurementAnswer.objects.filter(measurement_id__in=unscored).values_list(
        "measurement_id", "item_id", "value"
    ):
        answers.setdefault(measurement_id, {})[number_of[item_id]] = value

    def total(measurement: tuple[int, int | None]) -> int:
        measurement_id, stored = measurement
        if stored is not None:
            return stored
        return score_items(instrument=instrument, items=items, answers=answers.get(measurement_id, {})).total

    return {
        carer_id: KasamHistory(
            unit_id=unit_id,
            change=total(pairs[carer_id][1]) - total(pairs[carer_id][0]) if carer_id in pairs else None,
            after_days=tuple(after_days.get(carer_id, ())),
        )
        for carer_id, unit_id in unit_of.items()
    }
