"""The follow-up figures for a period and units (PRODUCT §8): one context builder.

The dashboard, the CSV export, the PDF report and the command-line renderer all call
:func:`followup_figures`, so a number means the same everywhere. Every figure is an
aggregate: the number of queries is fixed, whatever the number of talks, carers or
measurements (the KASAM outcome is scored in bulk by ``contacts.measurements.kasam_changes``
with the one scoring rule of ``kasam_change``).

With ``suppress_small`` every count under 5 is ``None`` (shown as "<5"), through
``groups.evaluations.suppress``, the one small-cell rule; a share, mean or sum is shown
only when the count it is built on may be shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Subquery, Sum
from django.db.models.functions import ExtractIsoYear, ExtractWeek, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import User
from anhorigstod.lib.dates import local_range
from contacts.measurements import kasam_changes
from contacts.models import (
    AgeBand,
    Answer,
    Carer,
    Gender,
    Initiator,
    Instrument,
    Measurement,
    Referral,
    RespiteGrant,
    SupportKind,
    Talk,
    TalkFocus,
    TalkFocusEntry,
    TalkMode,
    TargetGroup,
    TimeOfDay,
    YesNoUnknown,
)
from groups.evaluations import suppress
from groups.selectors import session_counts_by_area

KASAM_INSTRUMENT = "soc13"
NOT_GIVEN = _("Not given")

# (key, field on Talk, choices) of the distributions Socialstyrelsen asks for (seed 004 L3029-3041).
TALK_DISTRIBUTIONS: tuple[tuple[str, str, Any], ...] = (
    ("age_band", "age_band", AgeBand),
    ("gender", "gender", Gender),
    ("target_group", "target_group", TargetGroup),
    ("time_of_day", "time_of_day", TimeOfDay),
    ("initiator", "initiator", Initiator),
    ("mode", "mode", TalkMode),
)
DISTRIBUTION_TITLES: dict[str, Any] = {
    "age_band": _("Age band"),
    "gender": _("Gender"),
    "target_group": _("The närstående's target group"),
    "time_of_day": _("Time of day"),
    "initiator": _("Initiated by"),
    "focus": _("Focus"),
    "mode": _("Mode"),
    "structured_material": _("Structured material used"),
    "language": _("Language"),
}


def _age_band(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return AgeBand.UNKNOWN
    age = year - birth_year
    for band, low in (
        (AgeBand.AGE_80, 80),
        (AgeBand.AGE_65_79, 65),
        (AgeBand.AGE_45_64, 45),
        (AgeBand.AGE_30_44, 30),
        (AgeBand.AGE_18_29, 18),
    ):
        if age >= low:
            return band
    return AgeBand.UNDER_18


def iso_weeks(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The ISO (year, week) pairs that [start, end] touches, in order."""
    weeks: list[tuple[int, int]] = []
    day = start - dt.timedelta(days=start.weekday())
    while day <= end:
        year, week, _weekday = day.isocalendar()
        weeks.append((year, week))
        day += dt.timedelta(days=7)
    return weeks


def months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The (year, month) pairs that [start, end] touches, in order."""
    found: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def followup_figures(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, suppress_small: bool = False
) -> dict[str, Any]:
    """Every dashboard section for the units and the period [start, end] (local dates)."""
    unit_ids = list(unit_ids)

    def count(n: int) -> int | None:
        return suppress(n) if suppress_small else n

    def share(part: int, whole: int) -> float | None:
        # A share is shown only with both of its counts.
        if not whole or count(part) is None or count(whole) is None:
            return None
        return round(100 * part / whole, 1)

    def distribution(choices: Any, counts: dict[str, int], *, blank: bool = False) -> list[tuple[Any, int | None]]:
        rows = [(label, count(counts.get(value, 0))) for value, label in choices.choices]
        if blank:
            rows.append((NOT_GIVEN, count(counts.get("", 0))))
        return rows

    begins, ends = local_range(start, end)
    talks = Talk.objects.filter(unit_id__in=unit_ids, started_at__gte=begins, started_at__lt=ends)
    sessions = session_counts_by_area(unit_ids=unit_ids, start=start, end=end)

    def area(code: str) -> dict[str, int | None]:
        row = sessions.get(code) or {}
        return {key: count(row.get(key, 0)) for key in ("sessions", "participants", "respite_arranged")}

    # --- Talks: one aggregate for every count and distribution ---------------------
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "carers": Count("carer", distinct=True),
        "anonymous": Count("pk", filter=Q(carer__isnull=True)),
        "informed_yes": Count("pk", filter=Q(informed_right_to_apply=Answer.YES)),
        "informed_no": Count("pk", filter=Q(informed_right_to_apply=Answer.NO)),
        "children_yes": Count("pk", filter=Q(asked_about_children=Answer.YES)),
        "children_no": Count("pk", filter=Q(asked_about_children=Answer.NO)),
        "material_yes": Count("pk", filter=~Q(structured_material="")),
    }
    for key, field, choices in TALK_DISTRIBUTIONS:
        for value in [*choices.values, ""]:
            aggregates[f"{key}__{value}"] = Count("pk", filter=Q(**{field: value}))
    row = talks.aggregate(**aggregates)
    n_talks: int = row["n"]
    distributions: dict[str, list[tuple[Any, int | None]]] = {}
    for key, _field, choices in TALK_DISTRIBUTIONS:
        counts = {value: row[f"{key}__{value}"] for value in [*choices.values, ""]}
        distributions[key] = distribution(choices, counts, blank=key == "target_group")
    focus_counts = dict(
        TalkFocusEntry.objects.filter(
            talk__unit_id__in=unit_ids, talk__started_at__gte=begins, talk__started_at__lt=ends
        )
        .values_list("focus")
        .annotate(n=Count("pk"))
        .order_by()
    )
    distributions["focus"] = distribution(TalkFocus, focus_counts)
    distributions["structured_material"] = [
        (_("Yes"), count(row["material_yes"])),
        (_("No"), count(n_talks - row["material_yes"])),
    ]
    exemptions = [
        {"board": item["exemption__board"], "reference": item["exemption__reference"], "talks": count(item["n"])}
        for item in talks.filter(exemption__isnull=False)
        .values("exemption__board", "exemption__reference")
        .annotate(n=Count("pk"))
        .order_by("exemption__reference")
    ]

    # --- Respite ---------------------------------------------------------------
    referrals = Referral.objects.filter(unit_id__in=unit_ids, referred_on__gte=start, referred_on__lte=end)
    respite_referrals = referrals.filter(respite=True).count()
    grants = RespiteGrant.objects.filter(carer__unit_id__in=unit_ids, given_on__gte=start, given_on__lte=end).aggregate(
        hours=Sum("hours"), carers=Count("carer", distinct=True)
    )
    respite_carers: int = grants["carers"]
    respite_hours: Decimal = grants["hours"] or Decimal(0)

    # --- Reach: the carers with a talk in the period, by who they are ------------
    # Without order_by() the subquery would sort the talks by Talk's default ordering.
    reached = Carer.objects.filter(pk__in=Subquery(talks.filter(carer__isnull=False).order_by().values("carer_id")))
    # One pass over the reached carers, grouped by birth year and language, the other
    # distributions counted within each group and summed here.
    reach_aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "under_18": Count("pk", filter=Q(under_18=True)),
        "no_municipal_contact": Count("pk", filter=Q(close_person_has_municipal_contact=YesNoUnknown.NO)),
    }
    for value in [*Gender.values]:
        reach_aggregates[f"gender__{value}"] = Count("pk", filter=Q(gender=value))
    for value in [*TargetGroup.values, ""]:
        reach_aggregates[f"target_group__{value}"] = Count("pk", filter=Q(target_group=value))
    reach_row: dict[str, int] = dict.fromkeys(reach_aggregates, 0)
    age_counts: dict[str, int] = {}
    language_counts: dict[str, int] = {}
    groups: Any = reached.values("birth_year", "language").annotate(**reach_aggregates).order_by()
    for group in groups:
        for key in reach_aggregates:
            reach_row[key] += group[key]
        band = _age_band(group["birth_year"], end.year)
        age_counts[band] = age_counts.get(band, 0) + group["n"]
        language_counts[group["language"]] = language_counts.get(group["language"], 0) + group["n"]
    languages = sorted(language_counts.items(), key=lambda item: (-item[1], item[0]))
    reach = {
        "carers": count(reach_row["n"]),
        "under_18": count(reach_row["under_18"]),
        "no_municipal_contact": count(reach_row["no_municipal_contact"]),
        "age_band": distribution(AgeBand, age_counts),
        "gender": distribution(Gender, {v: reach_row[f"gender__{v}"] for v in Gender.values}),
        "target_group": distribution(
            TargetGroup, {v: reach_row[f"target_group__{v}"] for v in [*TargetGroup.values, ""]}, blank=True
        ),
        "language": [(language or NOT_GIVEN, count(n)) for language, n in languages],
    }

    # --- Trend: talks and carers reached per calendar month of the period -----------
    tz = timezone.get_current_timezone()
    monthly = {
        (month.year, month.month): (n, reached_in_month)
        for month, n, reached_in_month in talks.annotate(month=TruncMonth("started_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("pk"), carers=Count("carer", distinct=True))
        .values_list("month", "n", "carers")
        .order_by()
    }
    trend = [
        {
            "month": dt.date(year, month, 1),
            "talks": count(monthly.get((year, month), (0, 0))[0]),
            "carers": count(monthly.get((year, month), (0, 0))[1]),
        }
        for year, month in months(start, end)
    ]

    # --- Outcomes: KASAM, for carers whose "after" falls in the period ------------
    instrument = Instrument.objects.filter(code=KASAM_INSTRUMENT).first()
    changes: list[int] = []
    if instrument is not None:
        measured = Measurement.objects.filter(instrument=instrument, carer__unit_id__in=unit_ids)
        carer_ids = set(
            measured.filter(
                occasion=Measurement.Occasion.AFTER, measured_on__gte=start, measured_on__lte=end
            ).values_list("carer_id", flat=True)
        ) & set(measured.filter(occasion=Measurement.Occasion.BEFORE).values_list("carer_id", flat=True))
        changes = list(kasam_changes(carer_ids=carer_ids, instrument=instrument).values())
    n_kasam = len(changes)
    kasam_shown = count(n_kasam) is not None and n_kasam > 0
    outcomes = {
        "kasam_n": count(n_kasam),
        "kasam_mean_change": round(sum(changes) / n_kasam, 1) if kasam_shown else None,
        "kasam_improved": count(sum(1 for change in changes if change > 0)),
        "kasam_share_improved": share(sum(1 for change in changes if change > 0), n_kasam),
    }

    # --- Workload: talks per consultant per ISO week ------------------------------
    weeks = iso_weeks(start, end)
    per_week = (
        talks.annotate(iso_year=ExtractIsoYear("started_at"), iso_week=ExtractWeek("started_at"))
        .values_list("consultant_id", "iso_year", "iso_week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[int, dict[tuple[int, int], int]] = {}
    for consultant_id, iso_year, iso_week, n in per_week:
        cells.setdefault(consultant_id, {})[(iso_year, iso_week)] = n
    consultants = User.objects.filter(pk__in=cells).order_by("full_name", "pk")
    workload = {
        "weeks": weeks,
        "rows": [
            {
                "consultant": consultant.full_name or consultant.email,
                "cells": [count(cells[consultant.pk].get(week, 0)) for week in weeks],
                "total": count(sum(cells[consultant.pk].values())),
            }
            for consultant in consultants
        ],
    }

    return {
        "start": start,
        "end": end,
        "suppressed": suppress_small,
        "respite": {
            "referrals": count(respite_referrals),
            "hours": respite_hours if count(respite_carers) is not None else None,
            "carers": count(respite_carers),
            # Respite arranged so a carer could come to a session, whatever the session's area.
            "arranged_during_sessions": count(sum(item.get("respite_arranged", 0) for item in sessions.values())),
        },
        "support_talks": {
            "talks": count(n_talks),
            "carers": count(row["carers"]),
            "anonymous": count(row["anonymous"]),
            "anonymous_share": share(row["anonymous"], n_talks),
            "exemptions": exemptions,
            "group_sessions": area(SupportKind.Area.SUPPORT_TALKS)["sessions"],
            "group_participants": area(SupportKind.Area.SUPPORT_TALKS)["participants"],
            "distributions": [(DISTRIBUTION_TITLES[key], key, rows) for key, rows in distributions.items()],
        },
        "education": {key: area(SupportKind.Area.EDUCATION)[key] for key in ("sessions", "participants")},
        "health": {key: area(SupportKind.Area.HEALTH)[key] for key in ("sessions", "participants")},
        "legal": {
            "informed_yes": count(row["informed_yes"]),
            "informed_answered": count(row["informed_yes"] + row["informed_no"]),
            "informed_share": share(row["informed_yes"], row["informed_yes"] + row["informed_no"]),
            "children_yes": count(row["children_yes"]),
            "children_answered": count(row["children_yes"] + row["children_no"]),
            "children_share": share(row["children_yes"], row["children_yes"] + row["children_no"]),
        },
        "reach": reach,
        "trend": trend,
        "outcomes": outcomes,
        "workload": workload,
    }
