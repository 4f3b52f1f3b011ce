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
from contacts.models import AgeBand, Gender, Initiator, TalkFocus, TalkMode, TargetGroup, TimeOfDay
from followup.figures import NOT_GIVEN, followup_figures
from groups.evaluations import SUPPRESSION_LIMIT, suppress

FORMAT_NAME = "anhorigstod-national-aggregate"
# MAJOR.MINOR: a new measure or category is a minor change; a renamed or removed code,
# column or field, or a changed meaning, is a major one (docs/national-export.md).
FORMAT_VERSION = "1.0"

# The category of a blank "target group": not a model choice, so it gets a code here.
NOT_GIVEN_CODE = "not_given"
YES_NO = ("yes", "no")

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


@dataclass(frozen=True)
class Measure:
    """One measure of the format.

    ``value_type`` is "count" (an integer), "hours" or "mean" (a number with one decimal).
    A distribution has ``categories``; its ``total`` names the count each of its items is
    counted in at most once (none for focus: a talk may have several). ``part_of`` names
    the published total a single count is a part of.
    """

    code: str
    area: str
    value_type: str = "count"
    categories: tuple[str, ...] = ()
    total: str = ""
    part_of: str = ""


def _codes(choices: Any, *, blank: bool = False) -> tuple[str, ...]:
    return (*choices.values, *((NOT_GIVEN_CODE,) if blank else ()))


MEASURES: tuple[Measure, ...] = (
    # Avlösning
    Measure("respite_referrals", "respite"),
    Measure("respite_carers", "respite"),
    Measure("respite_hours", "respite", value_type="hours"),
    Measure("respite_arranged_during_sessions", "respite"),
    # Stödsamtal: individual talks and group talk sessions
    Measure("individual_talks", "support_talks"),
    Measure("individual_talks_anonymous", "support_talks", part_of="individual_talks"),
    Measure("individual_talks_by_age_band", "support_talks", categories=_codes(AgeBand), total="individual_talks"),
    Measure("individual_talks_by_gender", "support_talks", categories=_codes(Gender), total="individual_talks"),
    Measure(
        "individual_talks_by_target_group",
        "support_talks",
        categories=_codes(TargetGroup, blank=True),
        total="individual_talks",
    ),
    Measure("individual_talks_by_time_of_day", "support_talks", categories=_codes(TimeOfDay), total="individual_talks"),
    Measure("individual_talks_by_initiator", "support_talks", categories=_codes(Initiator), total="individual_talks"),
    Measure("individual_talks_by_focus", "support_talks", categories=_codes(TalkFocus)),
    Measure("individual_talks_by_mode", "support_talks", categories=_codes(TalkMode), total="individual_talks"),
    Measure("individual_talks_by_structured_material", "support_talks", categories=YES_NO, total="individual_talks"),
    Measure("group_talk_sessions", "support_talks"),
    Measure("group_talk_participants", "support_talks"),
    # Utbildning och information
    Measure("education_sessions", "education"),
    Measure("education_participants", "education"),
    # Hälsofrämjande aktiviteter
    Measure("health_promotion_sessions", "health"),
    Measure("health_promotion_participants", "health"),
    # SoL 11 kap. 6 § and the children in the carer's network: the talks answered yes or no
    # (the total is the talks where the question was answered, which is not published).
    Measure("individual_talks_by_informed_right_to_apply", "legal", categories=YES_NO, total="_informed_answered"),
    Measure("individual_talks_by_asked_about_children", "legal", categories=YES_NO, total="_children_answered"),
    # Reach: the carers with an individual talk in the period
    Measure("carers_reached", "reach"),
    Measure("carers_reached_under_18", "reach", part_of="carers_reached"),
    Measure("carers_reached_no_municipal_contact", "reach", part_of="carers_reached"),
    Measure("carers_reached_by_age_band", "reach", categories=_codes(AgeBand), total="carers_reached"),
    Measure("carers_reached_by_gender", "reach", categories=_codes(Gender), total="carers_reached"),
    Measure(
        "carers_reached_by_target_group", "reach", categories=_codes(TargetGroup, blank=True), total="carers_reached"
    ),
    # Outcomes: KASAM (SOC-13) before and after
    Measure("kasam_carers", "outcomes"),
    Measure("kasam_carers_improved", "outcomes", part_of="kasam_carers"),
    Measure("kasam_mean_change", "outcomes", value_type="mean"),
)
MEASURE_CODES: tuple[str, ...] = tuple(measure.code for measure in MEASURES)
AREAS: tuple[str, ...] = tuple(dict.fromkeys(measure.area for measure in MEASURES))

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


def _by_code(rows: Sequence[tuple[Any, int | None]], choices: Any, *, blank: bool = False) -> list[int | None]:
    """The counts of a distribution of ``followup_figures`` in the order of the model's choices.

    The figures label each row; the labels are checked against the choices so that a change
    of order there fails loudly here instead of putting a count under the wrong code.
    """
    expected = [str(label) for label in choices.labels] + ([str(NOT_GIVEN)] if blank else [])
    labels = [str(label) for label, _value in rows]
    if labels != expected:
        raise ValueError(f"the figures' categories changed: {labels} is not {expected}")
    return [value for _label, value in rows]


def _split(part: int | None, whole: int | None) -> list[int | None]:
    """[part, whole − part] of a total, each small-cell suppressed; the rest is exact only
    when both are shown."""
    if part is None or whole is None:
        return [part, None]
    return [part, suppress(whole - part)]


def _unit_values(figures: dict[str, Any]) -> dict[str, Any]:
    """Every measure's value (a list of cells for a distribution), suppressed in full."""
    respite, talks, legal = figures["respite"], figures["support_talks"], figures["legal"]
    reach, outcomes = figures["reach"], figures["outcomes"]
    rows = {key: distribution for _title, key, distribution in talks["distributions"]}
    hours: Decimal | None = respite["hours"]
    mean: float | None = outcomes["kasam_mean_change"]
    values: dict[str, Any] = {
        "respite_referrals": respite["referrals"],
        "respite_carers": respite["carers"],
        "respite_hours": None if hours is None else float(round(hours, 1)),
        "respite_arranged_during_sessions": respite["arranged_during_sessions"],
        "individual_talks": talks["talks"],
        "individual_talks_anonymous": talks["anonymous"],
        "individual_talks_by_age_band": _by_code(rows["age_band"], AgeBand),
        "individual_talks_by_gender": _by_code(rows["gender"], Gender),
        "individual_talks_by_target_group": _by_code(rows["target_group"], TargetGroup, blank=True),
        "individual_talks_by_time_of_day": _by_code(rows["time_of_day"], TimeOfDay),
        "individual_talks_by_initiator": _by_code(rows["initiator"], Initiator),
        "individual_talks_by_focus": _by_code(rows["focus"], TalkFocus),
        "individual_talks_by_mode": _by_code(rows["mode"], TalkMode),
        # Rows "yes" then "no" (figures.py).
        "individual_talks_by_structured_material": [value for _label, value in rows["structured_material"]],
        "group_talk_sessions": talks["group_sessions"],
        "group_talk_participants": talks["group_participants"],
        "education_sessions": figures["education"]["sessions"],
        "education_participants": figures["education"]["participants"],
        "health_promotion_sessions": figures["health"]["sessions"],
        "health_promotion_participants": figures["health"]["participants"],
        "individual_talks_by_informed_right_to_apply": _split(legal["informed_yes"], legal["informed_answered"]),
        "_informed_answered": legal["informed_answered"],
        "individual_talks_by_asked_about_children": _split(legal["children_yes"], legal["children_answered"]),
        "_children_answered": legal["children_answered"],
        "carers_reached": reach["carers"],
        "carers_reached_under_18": reach["under_18"],
        "carers_reached_no_municipal_contact": reach["no_municipal_contact"],
        "carers_reached_by_age_band": _by_code(reach["age_band"], AgeBand),
        "carers_reached_by_gender": _by_code(reach["gender"], Gender),
        "carers_reached_by_target_group": _by_code(reach["target_group"], TargetGroup, blank=True),
        "kasam_carers": outcomes["kasam_n"],
        "kasam_carers_improved": outcomes["kasam_improved"],
        "kasam_mean_change": mean,
    }
    # Complementary suppression. No total below is itself changed by it, so the order of
    # the measures does not matter.
    for measure in MEASURES:
        if measure.categories:
            total = values[measure.total] if measure.total else None
            values[measure.code] = complement_distribution(values[measure.code], total=total)
        elif measure.part_of:
            values[measure.code] = complement_part(values[measure.code], values[measure.part_of])
    return values


def unit_records(*, unit: Unit, start: dt.date, end: dt.date) -> list[Record]:
    """One unit's records for [start, end]: its own aggregate, suppressed on its own."""
    figures = followup_figures(unit_ids=[unit.pk], start=start, end=end, suppress_small=True)
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
        cells = zip(measure.categories, value, strict=True) if measure.categories else [(None, value)]
        for category, cell in cells:
            records.append(
                Record(
                    **common,
                    area=measure.area,
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
