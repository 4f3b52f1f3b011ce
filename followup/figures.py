"""The follow-up figures for a period and units (PRODUCT §8): one builder, from the
pre-aggregated counts.

The dashboard, the CSV/XLSX export, the PDF report, the national export and the
self-assessment all call :func:`followup_figures`, so a number means the same everywhere.
It computes a value for every measure declared in :mod:`followup.measures` and returns a
typed :class:`FollowUpFigures`.

Where the numbers come from. Talks, referrals and respite (``contacts.rollups``) and held
sessions (``groups.rollups``) are read from the rollups (:mod:`anhorigstod.rollups`): at
most about two small documents per unit and month of the period, whatever the number of
talks. Distinct carers are exact: the union of the per-month distinct sets of carer ids
(see :mod:`anhorigstod.rollups.services` for why not HyperLogLog or a raw distinct
query); their ages, genders, target groups and languages are read from the carers
themselves in one grouped query. KASAM is scored in bulk from the measurements
(``contacts.measurements.kasam_changes``). The number of queries is fixed.

With ``suppress_small`` the figures are released as every suppressed output releases them,
by :mod:`followup.disclosure` (primary and complementary suppression, consistent across the
outputs and the unit hierarchy): a hidden count is ``None`` (shown as "<5"), and a share,
mean or sum is shown only when the counts it is built on may be shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from anhorigstod.accounts.models import User
from anhorigstod.rollups.selectors import (
    PeriodCounts,
    edge_members_by_month,
    members_count,
    members_grouped,
    period_counts,
    period_spans,
    weekly_series,
    year_attributes,
)
from anhorigstod.rollups.services import SIZE
from contacts.measurements import kasam_changes
from contacts.models import ExemptionDecision, Instrument, SupportKind
from contacts.rollups import carer_attributes
from contacts.services import age_band
from followup.measures import BY_CODE, MEASURES, NOT_GIVEN, NOT_GIVEN_CODE, Category, CountUnit, Measure, Section

KASAM_INSTRUMENT = "soc13"

Number = int | float | Decimal


# --------------------------------------------------------------------------
# The typed result
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One category of a distribution: ``value`` is ``None`` when suppressed."""

    code: str
    label: Any
    value: Number | None


@dataclass(frozen=True)
class MeasureValue:
    measure: Measure
    value: Number | None = None
    cells: tuple[Cell, ...] = ()

    @property
    def rows(self) -> list[tuple[Any, Number | None]]:
        """A distribution as (label, value) rows, in the declared order."""
        return [(cell.label, cell.value) for cell in self.cells]


class ExemptionRow(TypedDict):
    board: str
    reference: str
    talks: int | None


class TrendRow(TypedDict):
    month: dt.date
    talks: int | None
    carers: int | None


class WorkloadRow(TypedDict):
    consultant: str
    cells: list[int | None]
    total: int | None


class Workload(TypedDict):
    weeks: list[tuple[int, int]]
    rows: list[WorkloadRow]


class SectionView(Mapping[str, Any]):
    """A section's measures by their key: a scalar's value or a distribution's rows.
    ``support_talks`` also has ``distributions`` (title, key, rows) and ``exemptions``."""

    def __init__(self, figures: FollowUpFigures, section: Section) -> None:
        self._figures = figures
        self._section = section
        self._values = {
            item.measure.key: item.rows if item.measure.is_distribution else item.value
            for item in figures.measures(section)
        }

    def __getitem__(self, key: str) -> Any:
        if self._section == Section.SUPPORT_TALKS and key == "distributions":
            return [
                (item.measure.label, item.measure.key, item.rows) for item in self._figures.distributions(self._section)
            ]
        if self._section == Section.SUPPORT_TALKS and key == "exemptions":
            return self._figures.exemptions
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class SectionFigures:
    section: Section
    scalars: list[MeasureValue]
    distributions: list[MeasureValue]


@dataclass(frozen=True)
class FollowUpFigures:
    start: dt.date
    end: dt.date
    suppressed: bool
    values: dict[str, MeasureValue]
    exemptions: list[ExemptionRow] = field(default_factory=list)
    trend: list[TrendRow] = field(default_factory=list)
    workload: Workload = field(default_factory=lambda: Workload(weeks=[], rows=[]))

    def value(self, code: str) -> MeasureValue:
        return self.values[code]

    def measures(self, section: Section, *, dashboard: bool = True) -> list[MeasureValue]:
        return [self.values[m.code] for m in MEASURES if m.section == section and (m.dashboard or not dashboard)]

    def distributions(self, section: Section) -> list[MeasureValue]:
        return [item for item in self.measures(section) if item.measure.is_distribution]

    @property
    def sections(self) -> list[SectionFigures]:
        """The dashboard's sections in order, each with its scalar measures and its distributions."""
        return [
            SectionFigures(
                section=section,
                scalars=[item for item in self.measures(section) if not item.measure.is_distribution],
                distributions=self.distributions(section),
            )
            for section in Section
        ]

    def __getitem__(self, key: str) -> Any:
        """A section by its code (``figures["respite"]["hours"]``), or the period, trend and workload."""
        if key in ("start", "end", "suppressed", "trend", "workload"):
            return getattr(self, key)
        return SectionView(self, Section(key))


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


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


# The distinct sets of people (their categories are ids): counted in SQL, never loaded.
MEMBER_SERIES = ("talk__carer", "respite__carer", "session__talk_group_person")


def _reach(rows: Iterable[tuple[str, int]], end: dt.date) -> dict[str, Any]:
    """The carers reached in the period by who they are, from the distinct set of the
    rollups, whose keys carry each carer's reach attributes (``contacts.rollups.carer_key``):
    no carer row is read."""
    result: dict[str, Any] = {
        "carers": 0,
        "under_18": 0,
        "no_municipal_contact": 0,
        "age_band": Counter(),
        "gender": Counter(),
        "target_group": Counter(),
        "language": Counter(),
    }
    bands: dict[str, str] = {}  # birth year -> age band: a few dozen, for thousands of rows
    age, gender, target, language = (result[key] for key in ("age_band", "gender", "target_group", "language"))
    for attributes, n in rows:
        birth_year, sex, group, under_18, no_contact, spoken = carer_attributes(attributes)
        if birth_year not in bands:
            bands[birth_year] = age_band(int(birth_year) if birth_year else None, on=end)
        result["carers"] += n
        if under_18:
            result["under_18"] += n
        if no_contact:
            result["no_municipal_contact"] += n
        age[bands[birth_year]] += n
        gender[sex] += n
        target[group or NOT_GIVEN_CODE] += n
        language[spoken] += n
    return result


def _kasam(unit_ids: list[int], start: dt.date, end: dt.date, *, by_unit: bool) -> dict[int | None, list[int]]:
    """KASAM changes of the carers whose "after" falls in the period and who have a
    "before", per unit or together (key ``None``)."""
    instrument = Instrument.objects.filter(code=KASAM_INSTRUMENT).first()
    if instrument is None:
        return {}
    changes: dict[int | None, list[int]] = {}
    for unit_id, change in kasam_changes(
        unit_ids=unit_ids, instrument=instrument, after_from=start, after_to=end
    ).values():
        changes.setdefault(unit_id if by_unit else None, []).append(change)
    return changes


# --------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------


def followup_figures(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, suppress_small: bool = False
) -> FollowUpFigures:
    """Every follow-up measure for the units and the period [start, end] (local dates);
    with ``suppress_small``, as every suppressed output releases them
    (:mod:`followup.disclosure`: primary and complementary suppression, consistent
    across outputs and across the unit hierarchy)."""
    ids = list(unit_ids)
    if not suppress_small:
        return _figures(ids, start, end, by_unit=False).get(None) or _empty(start, end)
    from followup.disclosure import released_figures

    def each(unit_ids: list[int]) -> dict[int, FollowUpFigures]:
        found = _figures(unit_ids, start, end, by_unit=True)
        return {unit_id: found.get(unit_id) or _empty(start, end) for unit_id in unit_ids}

    return released_figures(
        unit_ids=ids,
        start=start,
        end=end,
        raw=lambda units: followup_figures(unit_ids=units, start=start, end=end),
        raw_each=each,
    )


def _empty(start: dt.date, end: dt.date) -> FollowUpFigures:
    """The figures of units with nothing recorded in the period."""
    return _assemble(_Gathered(counts=PeriodCounts(whole_months=set(period_spans(start, end)[0]))), start, end, {}, {})


@dataclass
class _Gathered:
    """What the queries found for one unit, or for the units together."""

    counts: PeriodCounts
    reach: list[tuple[str, int]] = field(default_factory=list)
    respite_carers: int = 0
    talk_group_people: int = 0
    edge_carers: dict[dt.date, int] = field(default_factory=dict)
    weekly: dict[tuple[dt.date, str], int] = field(default_factory=dict)
    changes: list[int] = field(default_factory=list)


def _figures(unit_ids: list[int], start: dt.date, end: dt.date, *, by_unit: bool) -> dict[int | None, FollowUpFigures]:
    """Every measure, unsuppressed (what :mod:`followup.disclosure` releases from): for
    the units together (key ``None``), or for each unit on its own (``by_unit``) with the
    same queries, each grouped by unit."""
    found = period_counts(unit_ids=unit_ids, start=start, end=end, without=MEMBER_SERIES, by_unit=by_unit)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        # A whole calendar year: its reach is counted per attributes in the year documents.
        reach = year_attributes(unit_ids=unit_ids, year=start.year, name="talk__carer", by_unit=by_unit)
    else:
        reach = members_grouped(unit_ids=unit_ids, start=start, end=end, name="talk__carer", by_unit=by_unit)
    respite = members_count(unit_ids=unit_ids, start=start, end=end, name="respite__carer", by_unit=by_unit)
    talk_group = members_count(
        unit_ids=unit_ids, start=start, end=end, name="session__talk_group_person", by_unit=by_unit
    )
    edges = edge_members_by_month(unit_ids=unit_ids, start=start, end=end, name="talk__carer", by_unit=by_unit)
    weekly = weekly_series(unit_ids=unit_ids, start=start, end=end, name="talk__consultant", by_unit=by_unit)
    changes = _kasam(unit_ids, start, end, by_unit=by_unit)
    keys = set(found) | set(reach) | set(respite) | set(talk_group) | set(weekly) | set(changes)
    whole_months = set(period_spans(start, end)[0])
    gathered = {
        key: _Gathered(
            counts=found.get(key) or PeriodCounts(whole_months=whole_months),
            reach=reach.get(key, []),
            respite_carers=respite.get(key, 0),
            talk_group_people=talk_group.get(key, 0),
            edge_carers=edges.get(key, {}),
            weekly=weekly.get(key, {}),
            changes=changes.get(key, []),
        )
        for key in keys
    }
    # The names the figures show, once for every unit.
    exemption_ids = {int(pk) for item in gathered.values() for pk in item.counts.series("talk__exemption")}
    decisions = {decision.pk: decision for decision in ExemptionDecision.objects.filter(pk__in=exemption_ids)}
    consultant_ids = {int(pk) for item in gathered.values() for _week, pk in item.weekly}
    consultants = {user.pk: user for user in User.objects.filter(pk__in=consultant_ids)}
    return {key: _assemble(item, start, end, decisions, consultants) for key, item in gathered.items()}


def _assemble(
    gathered: _Gathered,
    start: dt.date,
    end: dt.date,
    decisions: dict[int, ExemptionDecision],
    consultants: dict[int, User],
) -> FollowUpFigures:
    """The figures of one group of units from what the queries found."""
    counts = gathered.counts

    # --- The raw numbers, by measure code ------------------------------------------
    sessions = counts.series("session")
    participants = counts.series("session__participants")
    staff = counts.series("session__staff")
    staff_participants = counts.series("session__staff_participants")
    talks = counts.total("talk")
    reach = _reach(gathered.reach, end)
    informed = counts.series("talk__informed_right_to_apply")
    children = counts.series("talk__asked_about_children")
    informed_groups = counts.series("session__informed")
    changes = gathered.changes
    improved = sum(1 for change in changes if change > 0)
    raw: dict[str, Any] = {
        "respite_referrals": counts.total("referral__respite"),
        "respite_hours": Decimal(counts.total("respite__tenths")) / 10,
        "respite_carers": gathered.respite_carers,
        "respite_arranged_during_sessions": sum(counts.series("session__respite").values()),
        "individual_talks": talks,
        "individual_talks_carers": reach["carers"],
        "individual_talks_anonymous": counts.total("talk__anonymous"),
        "group_talk_sessions": counts.total("session__talk_group"),
        "group_talk_participants": counts.total("session__talk_group_attendances"),
        "group_talk_people": gathered.talk_group_people,
        "support_talks_other_sessions": sessions[SupportKind.Area.SUPPORT_TALKS] - counts.total("session__talk_group"),
        "support_talks_other_attendances": participants[SupportKind.Area.SUPPORT_TALKS]
        - counts.total("session__talk_group_attendances"),
        # Education for carers and the public: the area's sessions but staff training.
        "education_sessions": sessions[SupportKind.Area.EDUCATION] - staff[SupportKind.Area.EDUCATION],
        "education_participants": participants[SupportKind.Area.EDUCATION]
        - staff_participants[SupportKind.Area.EDUCATION],
        "staff_education_sessions": sum(staff.values()),
        "staff_education_participants": sum(staff_participants.values()),
        "health_promotion_sessions": sessions[SupportKind.Area.HEALTH],
        "health_promotion_participants": participants[SupportKind.Area.HEALTH],
        "informed_right_to_apply_yes": informed["yes"],
        "informed_right_to_apply_answered": informed["yes"] + informed["no"],
        "informed_right_to_apply_groups_yes": informed_groups["yes"],
        "informed_right_to_apply_groups_answered": informed_groups["yes"] + informed_groups["no"],
        "asked_about_children_yes": children["yes"],
        "asked_about_children_answered": children["yes"] + children["no"],
        "individual_talks_by_informed_right_to_apply": {"yes": informed["yes"], "no": informed["no"]},
        "individual_talks_by_asked_about_children": {"yes": children["yes"], "no": children["no"]},
        "individual_talks_by_structured_material": counts.series("talk__structured_material"),
        "individual_talks_by_focus": counts.series("talk__focus"),
        "carers_reached": reach["carers"],
        "carers_reached_under_18": reach["under_18"],
        "carers_reached_no_municipal_contact": reach["no_municipal_contact"],
        "carers_reached_by_age_band": reach["age_band"],
        "carers_reached_by_gender": reach["gender"],
        "carers_reached_by_target_group": reach["target_group"],
        "carers_reached_by_language": reach["language"],
        "referrals_by_partner_type": counts.series("referral__partner_type"),
        "carers_reached_under_18_by_birth_year": reach["age_band"]["0-17"],
        "carers_reached_under_18_by_flag": reach["under_18"],
        "kasam_carers": len(changes),
        "kasam_mean_change": round(sum(changes) / len(changes), 1) if changes else None,
        "kasam_carers_improved": improved,
    }
    for name in ("age_band", "gender", "time_of_day", "initiator", "mode"):
        raw[f"individual_talks_by_{name}"] = counts.series(f"talk__{name}")
    raw["individual_talks_carer_under_18"] = raw["individual_talks_by_age_band"]["0-17"]
    target = counts.series("talk__target_group")
    target[NOT_GIVEN_CODE] = target.pop("", 0)
    raw["individual_talks_by_target_group"] = target

    values = _finish(raw)

    # --- Exemption decisions under which talks were anonymous -------------------------
    by_exemption = counts.series("talk__exemption")
    shown_decisions = sorted((decisions[int(pk)] for pk in by_exemption), key=lambda decision: decision.reference)
    exemptions = [
        ExemptionRow(board=decision.board, reference=decision.reference, talks=by_exemption[str(decision.pk)])
        for decision in shown_decisions
    ]

    # --- Trend: talks and carers reached per calendar month ---------------------------
    trend = []
    # A whole month: the sizes of its units' sets add up (a carer's talks are all in the
    # carer's own unit, so no carer is in two units' sets); a month held in part: counted.
    carers_by_month = dict(gathered.edge_carers)
    for first in counts.whole_months:
        carers_by_month[first] = counts.by_month.get(first, {}).get("talk__carer" + SIZE, Counter()).get("", 0)
    for year, month in months(start, end):
        first = dt.date(year, month, 1)
        talks_in = counts.by_month.get(first, {}).get("talk", Counter()).get("", 0)
        trend.append(TrendRow(month=first, talks=talks_in, carers=carers_by_month.get(first, 0)))

    # --- Workload: talks per consultant per ISO week ----------------------------------
    weeks = iso_weeks(start, end)
    cells: dict[int, Counter[tuple[int, int]]] = {}
    for (monday, consultant_id), n in gathered.weekly.items():
        year, week, _weekday = monday.isocalendar()
        cells.setdefault(int(consultant_id), Counter())[(year, week)] += n
    shown_consultants = sorted((consultants[pk] for pk in cells), key=lambda user: (user.full_name, user.pk))
    workload = Workload(
        weeks=weeks,
        rows=[
            WorkloadRow(
                consultant=consultant.full_name or consultant.email,
                cells=[cells[consultant.pk].get(week, 0) for week in weeks],
                total=sum(cells[consultant.pk].values()),
            )
            for consultant in shown_consultants
        ],
    )
    return FollowUpFigures(
        start=start,
        end=end,
        suppressed=False,
        values=values,
        exemptions=exemptions,
        trend=trend,
        workload=workload,
    )


def _finish(raw: dict[str, Any]) -> dict[str, MeasureValue]:
    """Each measure's value from the raw numbers (a mean of nobody is ``None``)."""
    values: dict[str, MeasureValue] = {}
    # Counts first; then the shares and the values shown only with a count.
    for measure in MEASURES:
        if measure.is_share or measure.shown_with:
            continue
        if measure.open_categories:
            found: Mapping[str, int] = raw[measure.code]
            ordered = sorted(found.items(), key=lambda item: (-item[1], item[0]))
            cells = tuple(Cell(code, code or NOT_GIVEN, n) for code, n in ordered)
            values[measure.code] = MeasureValue(measure, cells=cells)
        elif measure.categories:
            counted: Mapping[str, int] = raw[measure.code]
            values[measure.code] = MeasureValue(
                measure,
                cells=tuple(_cell(category, counted.get(category.code, 0)) for category in measure.categories),
            )
        else:
            values[measure.code] = MeasureValue(measure, value=raw[measure.code])
    for measure in MEASURES:
        if measure.is_share:
            part_code, whole_code = measure.share_of
            part, whole = raw[part_code], raw[whole_code]
            visible = whole and values[part_code].value is not None and values[whole_code].value is not None
            values[measure.code] = MeasureValue(measure, value=round(100 * part / whole, 1) if visible else None)
        elif measure.shown_with:
            base = BY_CODE[measure.shown_with]
            # A mean of nobody is no number; a sum of nothing is 0.
            visible = values[base.code].value is not None and (measure.unit != CountUnit.MEAN or raw[base.code] > 0)
            values[measure.code] = MeasureValue(measure, value=raw[measure.code] if visible else None)
    return {measure.code: values[measure.code] for measure in MEASURES}


def _cell(category: Category, value: int | None) -> Cell:
    return Cell(category.code, category.label, value)
