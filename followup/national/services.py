"""The national export (PRODUCT §8): a de-identified, small-cell-suppressed aggregate per
unit and period for a national follow-up database such as Nka/SKA's Databasprojektet.

The dataset is a flat list of records in long format, one per (unit, period, measure,
category), written as CSV or JSON; ``docs/national-export.md`` documents the format and
``docs/national-export.schema.json`` is the JSON Schema of the JSON document.

Every number is a released figure: :func:`followup.disclosure.released_figures` of the unit
alone, as the format carries it (:func:`followup.disclosure.released_for_national_format`),
one call per unit, so each unit's cells are suppressed on their own and no sum over units
is ever published. This module decides nothing about what may be shown: a hidden value is
written empty, ``suppressed``, with its mark (the SDMX CL_CONF_STATUS code of
:class:`followup.measures.Mark`) saying why.

Only codes and counts leave: no names, personnummer, carer or talk codes, free text
(languages, exemption references) or per-consultant figures. An aggregate is not a
personal record, so producing one is not written to the access log (PRODUCT §9).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anhorigstod.accounts.models import Unit
from anhorigstod.lib.csv_export import spreadsheet_safe
from followup.disclosure import SUPPRESSION_LIMIT, released_by_unit, released_figures, released_for_national_format
from followup.figures import FollowUpFigures
from followup.measures import NATIONAL_MEASURES, CountUnit, Hidden, Measure, Number

FORMAT_NAME = "anhorigstod-national-aggregate"
# MAJOR.MINOR: a new measure, category, column or field is a minor change; a renamed or
# removed code, column or field, or a changed meaning, is a major one
# (docs/national-export.md). 1.1 added the column ``mark``.
FORMAT_VERSION = "1.1"

CSV_COLUMNS = (
    "format_version",
    "kommunkod",
    "unit_code",
    "period_start",
    "period_end",
    "area",
    "measure",
    "category",
    "value",
    "suppressed",
    "mark",
)

# The measures of the format: those declared national in followup.measures, in their order.
MEASURES: tuple[Measure, ...] = NATIONAL_MEASURES
MEASURE_CODES: tuple[str, ...] = tuple(measure.code for measure in MEASURES)
AREAS: tuple[str, ...] = tuple(dict.fromkeys(str(measure.section) for measure in MEASURES))

Value = int | float | None


@dataclass(frozen=True)
class Record:
    """One value of a unit's aggregate. ``suppressed``: the value is withheld (``None``);
    ``mark``: why, as the SDMX CL_CONF_STATUS code of :class:`followup.measures.Mark`
    ("A" a count under 5, "D" hidden to protect another, "N" not available because a count
    it is built on is hidden), empty when the value is shown."""

    kommunkod: str
    unit_code: str
    period_start: dt.date
    period_end: dt.date
    area: str
    measure: str
    category: str | None
    value: Value
    suppressed: bool
    mark: str


# --------------------------------------------------------------------------
# From the released figures to the records
# --------------------------------------------------------------------------


def _value(measure: Measure, shown: Number | Hidden) -> tuple[Value, str]:
    """A released value as the format writes it: (value, mark); hours with one decimal."""
    if isinstance(shown, Hidden):
        return None, str(shown.mark.value)
    if measure.unit == CountUnit.HOURS:
        return float(round(Decimal(shown), 1)), ""
    return (float(shown) if isinstance(shown, Decimal) else shown), ""


def unit_records(*, unit: Unit, start: dt.date, end: dt.date, released: FollowUpFigures | None = None) -> list[Record]:
    """One unit's records for [start, end]: its own figures as released (``released``, when
    the caller has them already)."""
    released = released or released_figures(unit_ids=[unit.pk], start=start, end=end)
    figures = released_for_national_format(released)
    common: dict[str, Any] = {
        "kommunkod": unit.municipality.kommunkod,
        "unit_code": unit.code,
        "period_start": start,
        "period_end": end,
    }
    records: list[Record] = []
    for measure in MEASURES:
        item = figures.value(measure.code)
        cells = [(cell.code, cell.shown) for cell in item.cells] if measure.is_distribution else [(None, item.shown)]
        for category, shown in cells:
            value, mark = _value(measure, shown)
            records.append(
                Record(
                    **common,
                    area=str(measure.section),
                    measure=measure.code,
                    category=category,
                    value=value,
                    suppressed=value is None,
                    mark=mark,
                )
            )
    return records


def national_dataset(*, units: Iterable[Unit], start: dt.date, end: dt.date) -> list[Record]:
    """The records of every unit for [start, end], unit after unit (by kommunkod, code).

    The caller decides which units: a view passes only the user's own.
    """
    ordered = sorted(units, key=lambda unit: (unit.municipality.kommunkod, unit.code))
    # Each unit tree is protected once for all its units.
    released = released_by_unit(unit_ids=[unit.pk for unit in ordered], start=start, end=end)
    return [
        record
        for unit in ordered
        for record in unit_records(unit=unit, start=start, end=end, released=released[unit.pk])
    ]


# --------------------------------------------------------------------------
# The two formats
# --------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    """A cell as text: booleans as true / false, missing as empty, numbers as they are.

    A number we format ourselves ("-1.5") is not a formula to a spreadsheet; every text
    goes through ``spreadsheet_safe`` (PRODUCT §9).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return spreadsheet_safe(value)


def national_csv(records: Iterable[Record]) -> str:
    """The records as CSV (RFC 4180, a header row, no byte-order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = {"format_version": FORMAT_VERSION, **asdict(record)}
        writer.writerow([_csv_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def national_document(
    records: Sequence[Record], *, start: dt.date, end: dt.date, generated_at: dt.datetime | None = None
) -> dict[str, Any]:
    """The JSON document (docs/national-export.schema.json) as a dict."""
    generated = generated_at or timezone.now()
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.localtime(generated).isoformat(timespec="seconds"),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "suppression_limit": SUPPRESSION_LIMIT,
        "records": [
            {
                **asdict(record),
                "period_start": record.period_start.isoformat(),
                "period_end": record.period_end.isoformat(),
            }
            for record in records
        ],
    }


def national_json(records: Sequence[Record], *, start: dt.date, end: dt.date) -> str:
    return json.dumps(national_document(records, start=start, end=end), ensure_ascii=False, indent=2) + "\n"
