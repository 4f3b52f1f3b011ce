"""The national export (PRODUCT §8): a de-identified, small-cell-suppressed aggregate per
unit and period for a national follow-up database such as Nka/SKA's Databasprojektet.

The dataset is a flat list of records in long format, one per (unit, period, measure,
category), written as CSV or JSON; ``docs/national-export.md`` documents the format and
``docs/national-export.schema.json`` is the JSON Schema of the JSON document.

Every number comes from :func:`followup.figures.followup_figures` with
``suppress_small=True`` (one way of counting, one small-cell rule), one call per unit, so
each unit's cells are suppressed on their own and no sum over units is ever published:
a sum next to its parts would give the suppressed parts away. On top of that rule this
module adds complementary suppression, where a published total would let a reader work a
suppressed count out (:func:`complement_distribution`, :func:`complement_part`).

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
from followup.disclosure import released_figures
from followup.figures import FollowUpFigures
from followup.measures import NATIONAL_MEASURES, CountUnit, Measure
from groups.evaluations import SUPPRESSION_LIMIT, suppress

FORMAT_NAME = "anhorigstod-national-aggregate"
# MAJOR.MINOR: a new measure or category is a minor change; a renamed or removed code,
# column or field, or a changed meaning, is a major one (docs/national-export.md).
FORMAT_VERSION = "1.0"

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
)

# The measures of the format: those declared national in followup.measures, in their order.
MEASURES: tuple[Measure, ...] = NATIONAL_MEASURES
MEASURE_CODES: tuple[str, ...] = tuple(measure.code for measure in MEASURES)
AREAS: tuple[str, ...] = tuple(dict.fromkeys(str(measure.section) for measure in MEASURES))

Value = int | float | None


@dataclass(frozen=True)
class Record:
    kommunkod: str
    unit_code: str
    period_start: dt.date
    period_end: dt.date
    area: str
    measure: str
    category: str | None
    value: Value
    suppressed: bool


# --------------------------------------------------------------------------
# Complementary suppression
# --------------------------------------------------------------------------


def complement_distribution(cells: Sequence[int | None], *, total: int | None = None) -> list[int | None]:
    """Suppress one more cell of a distribution whose single suppressed cell could be derived.

    ``cells`` are already small-cell suppressed (``None`` is a count under 5). When exactly
    one is suppressed, a reader who knows the total (or the other units, or a later
    release) can subtract, so the smallest shown cell is suppressed too (the first of
    equals). Not when ``total`` proves the suppressed cell empty: the total of the items
    that are each counted in at most one cell, so that it minus the shown cells bounds
    the suppressed one. Zero is no one to protect.
    """
    result = list(cells)
    hidden = [index for index, value in enumerate(result) if value is None]
    shown = [index for index, value in enumerate(result) if value is not None]
    if len(hidden) != 1 or not shown:
        return result
    if total is not None and total - sum(value for value in result if value is not None) == 0:
        return result
    smallest = min(shown, key=lambda index: result[index] or 0)
    result[smallest] = None
    return result


def complement_part(part: int | None, total: int | None) -> int | None:
    """A count that is part of a published total, unless the rest of the total is 1–4.

    The rest is an unpublished cell that the reader gets by subtraction, so when it is
    small the part is suppressed. With the part or the total suppressed, nothing is exact.
    """
    if part is None or total is None:
        return part
    rest = total - part
    return None if 0 < rest < SUPPRESSION_LIMIT else part


# --------------------------------------------------------------------------
# From the figures to the records
# --------------------------------------------------------------------------


def _unit_values(figures: FollowUpFigures) -> dict[str, Any]:
    """Every national measure's value (a list of cells for a distribution), suppressed in
    full: the figures' own small-cell suppression, then complementary suppression."""
    values: dict[str, Any] = {}
    for measure in MEASURES:
        item = figures.value(measure.code)
        if measure.categories:
            values[measure.code] = [cell.value for cell in item.cells]
        elif measure.unit == CountUnit.HOURS:
            values[measure.code] = None if item.value is None else float(round(Decimal(item.value), 1))
        else:
            values[measure.code] = item.value
    # Format 1.x withholds every count under 5, the number of sessions held too (the
    # report shows those: they are not people), and the hours when the carers are withheld.
    for measure in MEASURES:
        if measure.unit == CountUnit.SESSIONS:
            values[measure.code] = None if values[measure.code] is None else suppress(values[measure.code])
    if values.get("respite_carers") is None and "respite_hours" in values:
        values["respite_hours"] = None
    # Complementary suppression. No total below is itself changed by it, so the order of
    # the measures does not matter. A total may be a measure the format does not publish.
    for measure in MEASURES:
        if measure.categories:
            total = _total(figures, values, measure.total) if measure.total else None
            values[measure.code] = complement_distribution(values[measure.code], total=total)
        elif measure.part_of:
            values[measure.code] = complement_part(values[measure.code], _total(figures, values, measure.part_of))
    return values


def _total(figures: FollowUpFigures, values: dict[str, Any], code: str) -> Any:
    return values[code] if code in values else figures.value(code).value


def unit_records(*, unit: Unit, start: dt.date, end: dt.date) -> list[Record]:
    """One unit's records for [start, end]: its own aggregate, suppressed on its own."""
    figures = released_figures(unit_ids=[unit.pk], start=start, end=end)
    values = _unit_values(figures)
    common: dict[str, Any] = {
        "kommunkod": unit.municipality.kommunkod,
        "unit_code": unit.code,
        "period_start": start,
        "period_end": end,
    }
    records: list[Record] = []
    for measure in MEASURES:
        value = values[measure.code]
        cells = (
            zip([category.code for category in measure.categories], value, strict=True)
            if measure.categories
            else [(None, value)]
        )
        for category, cell in cells:
            records.append(
                Record(
                    **common,
                    area=str(measure.section),
                    measure=measure.code,
                    category=category,
                    value=cell,
                    suppressed=cell is None,
                )
            )
    return records


def national_dataset(*, units: Iterable[Unit], start: dt.date, end: dt.date) -> list[Record]:
    """The records of every unit for [start, end], unit after unit (by kommunkod, code).

    The caller decides which units: a view passes only the user's own.
    """
    ordered = sorted(units, key=lambda unit: (unit.municipality.kommunkod, unit.code))
    return [record for unit in ordered for record in unit_records(unit=unit, start=start, end=end)]


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
