"""The follow-up figures for a period and units (PRODUCT §8): one builder, from the
pre-aggregated counts.

The dashboard, the CSV/XLSX export, the PDF report, the national export and the
self-assessment all read these figures, so a number means the same everywhere. Every
measure declared in :mod:`followup.measures` is computed with its own ``compute`` from
one :class:`~followup.measures.sources.Sources` per unit (or for the units together),
and the result is a typed :class:`FollowUpFigures`.

Where the numbers come from. Talks, referrals and respite (``contacts.rollups``) and held
sessions (``groups.rollups``) are read from the rollups (:mod:`anhorigstod.rollups`): at
most about two small documents per unit and month of the period, whatever the number of
talks. Distinct carers are exact (see :mod:`anhorigstod.rollups.services`); their ages,
genders, target groups and languages are read from the keys of the distinct set, and
the KASAM changes from the keys of the set kept at recording (``contacts.rollups``). The
number of queries is fixed.

These are the raw figures, for staff who may see every count. What a suppressed output
shows is decided by :mod:`followup.disclosure` alone (``released_figures``), which
builds on this module and is never imported by it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypedDict, TypeVar

from anhorigstod.accounts.models import User
from anhorigstod.rollups.selectors import (
    Groups,
    PeriodCounts,
    edge_members_by_month,
    members_count,
    members_grouped,
    period_counts,
    period_spans,
    units_of,
    weekly_series,
    year_attributes,
)
from anhorigstod.rollups.series import Series
from contacts.models import ExemptionDecision
from contacts.rollups import MEASUREMENT_KASAM, RESPITE_CARER, TALK_CARER, TALK_CONSULTANT, TALK_EXEMPTION
from followup.measures import MEASURES, Cell, Hidden, Label, Mark, Measure, Number, Section
from followup.measures.sources import (
    Reach,
    Sources,
    iso_weeks,
    months,
    workload_by_week,
    workload_cell,
    workload_columns,
)
from groups.rollups import SESSION_TALK_GROUP_PERSON

T = TypeVar("T")

__all__ = [
    "Cell",
    "FollowUpFigures",
    "MeasureValue",
    "figures_by_unit",
    "figures_of_groups",
    "followup_figures",
    "iso_weeks",
    "months",
]


# --------------------------------------------------------------------------
# The typed result
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureValue:
    """A measure's value: a scalar's ``value`` or a distribution's ``cells``; a hidden
    scalar is ``None`` with the ``mark`` saying why."""

    measure: Measure
    value: Number | None = None
    cells: tuple[Cell, ...] = ()
    mark: Mark | None = None

    @property
    def shown(self) -> Number | Hidden:
        """The number, or the mark of why it is hidden."""
        return self.value if self.value is not None else Hidden(self.mark or Mark.UNAVAILABLE)

    @property
    def rows(self) -> list[tuple[Label, Number | Hidden]]:
        """A distribution as (label, number or mark) rows, in the declared order."""
        return [(cell.label, cell.shown) for cell in self.cells]

    def cell(self, code: str) -> Cell:
        return next(cell for cell in self.cells if cell.code == code)


class ExemptionRow(TypedDict):
    board: str
    reference: str
    talks: Number | Hidden


class TrendRow(TypedDict):
    month: dt.date
    talks: Number | Hidden
    carers: Number | Hidden


class WorkloadRow(TypedDict):
    consultant: str
    cells: list[Number | Hidden]
    total: Number | Hidden


class Workload(TypedDict):
    # (code, heading) of each column: ISO weeks, or months in a period longer than a quarter
    columns: list[tuple[str, str]]
    by_week: bool
    rows: list[WorkloadRow]


class SectionView(Mapping[str, object]):
    """A section's measures by their key: a scalar's value (or mark) or a distribution's
    rows. ``support_talks`` also has ``distributions`` (title, key, rows) and ``exemptions``."""

    def __init__(self, figures: FollowUpFigures, section: Section) -> None:
        self._figures = figures
        self._section = section
        self._values: dict[str, object] = {
            item.measure.key: item.rows if item.measure.is_distribution else item.shown
            for item in figures.measures(section)
        }

    def __getitem__(self, key: str) -> object:
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
    """Every measure's value for a period and some units; ``suppressed``: as released by
    :mod:`followup.disclosure` (hidden values are ``None`` with their mark)."""

    start: dt.date
    end: dt.date
    suppressed: bool
    values: dict[str, MeasureValue]
    # The board that took each exemption decision, by the decision's id (the tables' labels).
    boards: Mapping[str, str] = field(default_factory=dict)

    def value(self, code: str) -> MeasureValue:
        return self.values[code]

    def measures(self, section: Section, *, dashboard: bool = True) -> list[MeasureValue]:
        return [self.values[m.code] for m in MEASURES if m.section == section and (m.dashboard or not dashboard)]

    def distributions(self, section: Section) -> list[MeasureValue]:
        return [item for item in self.measures(section) if item.measure.is_distribution]

    @cached_property
    def sections(self) -> list[SectionFigures]:
        """The dashboard's sections in order, each with its scalar measures and its distributions."""
        return [
            SectionFigures(
                section=section,
                scalars=[item for item in self.measures(section) if not item.measure.is_distribution],
                distributions=self.distributions(section),
            )
            for section in Section
            if section != Section.TABLES
        ]

    @cached_property
    def trend(self) -> list[TrendRow]:
        """Talks and carers reached per calendar month."""
        talks, carers = self.values["trend_talks"].cells, self.values["trend_carers"].cells
        return [
            TrendRow(month=dt.date.fromisoformat(talk.code), talks=talk.shown, carers=carer.shown)
            for talk, carer in zip(talks, carers, strict=True)
        ]

    @cached_property
    def workload(self) -> Workload:
        """Talks per consultant and ISO week (or month, :func:`workload_columns`), with
        each consultant's total."""
        columns = workload_columns(self.start, self.end)
        cells = {cell.code: cell for cell in self.values["workload"].cells}
        return Workload(
            columns=columns,
            by_week=workload_by_week(self.start, self.end),
            rows=[
                WorkloadRow(
                    consultant=str(total.label),
                    cells=[cells[workload_cell(total.code, code)].shown for code, _heading in columns],
                    total=total.shown,
                )
                for total in self.values["workload_total"].cells
            ],
        )

    @cached_property
    def exemptions(self) -> list[ExemptionRow]:
        """The anonymous talks under each exemption decision."""
        return [
            ExemptionRow(board=self.boards.get(cell.code, ""), reference=str(cell.label), talks=cell.shown)
            for cell in self.values["exemption_talks"].cells
        ]

    @cached_property
    def _section_views(self) -> dict[Section, SectionView]:
        return {}

    def __getitem__(self, key: str) -> SectionView:
        """A section by its code (``figures["respite"]["hours"]``, as templates read it);
        each section's view is built once (a template reads many values of it)."""
        if key not in Section.values or key == Section.TABLES:
            raise KeyError(key)
        section = Section(key)
        if section not in self._section_views:
            self._section_views[section] = SectionView(self, section)
        return self._section_views[section]


# --------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------


def followup_figures(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> FollowUpFigures:
    """Every follow-up measure for the units together over [start, end] (local dates),
    unsuppressed. A suppressed output uses ``followup.disclosure.released_figures``."""
    return figures_of_groups(groups={None: list(unit_ids)}, start=start, end=end)[None]


def figures_by_unit(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, FollowUpFigures]:
    """Every measure for each unit on its own, with the same queries grouped by unit."""
    ids = list(unit_ids)
    found = figures_of_groups(groups={unit_id: [unit_id] for unit_id in ids}, start=start, end=end)
    return {unit_id: found[unit_id] for unit_id in ids}


def figures_of_groups(*, groups: Groups, start: dt.date, end: dt.date) -> dict[Hashable, FollowUpFigures]:
    """Every measure for each group of units together (keyed as ``groups`` is; a unit may
    be in several groups), all read with the same fixed number of queries."""
    found = _gather(groups, start, end)
    return {key: _figures(found.get(key) or _empty(start, end)) for key in groups}


def _empty(start: dt.date, end: dt.date) -> Sources:
    """What units with nothing recorded in the period have."""
    return Sources(start=start, end=end, counts=PeriodCounts(whole_months=set(period_spans(start, end)[0])))


def _whole_year(start: dt.date, end: dt.date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year


def _attributes(groups: Groups, start: dt.date, end: dt.date, series: Series) -> dict[Hashable, list[tuple[str, int]]]:
    """The members of a yearly distinct set per attributes, for each group: a whole
    calendar year from its year documents alone, any other period from the set."""
    if not _whole_year(start, end):
        return members_grouped(groups=groups, start=start, end=end, series=series)
    by_unit = year_attributes(unit_ids=units_of(groups), year=start.year, series=series, by_unit=True)
    found: dict[Hashable, list[tuple[str, int]]] = {}
    for key, ids in groups.items():
        total: Counter[str] = Counter()
        for unit_id in ids:
            for attributes, n in by_unit.get(unit_id, []):
                total[attributes] += n
        if total:
            found[key] = list(total.items())
    return found


def _per_group(groups: Groups, by_unit: Mapping[int | None, T], combine: Callable[[list[T]], T]) -> dict[Hashable, T]:
    """Each group's value, combined from its units' values (the units with none left out)."""
    found: dict[Hashable, T] = {}
    for key, ids in groups.items():
        parts = [by_unit[unit_id] for unit_id in ids if unit_id in by_unit]
        if parts:
            found[key] = combine(parts)
    return found


def _sum_weekly(parts: list[dict[tuple[dt.date, str], int]]) -> dict[tuple[dt.date, str], int]:
    total: Counter[tuple[dt.date, str]] = Counter()
    for part in parts:
        total.update(part)
    return dict(total)


def _gather(groups: Groups, start: dt.date, end: dt.date) -> dict[Hashable, Sources]:
    """What the figures of each group of units are computed from. The counts that add up
    over units are read per unit and summed per group; the distinct sets are counted per
    group in SQL (the union of its units' sets), every group in the same query."""
    ids = units_of(groups)
    found = _per_group(groups, period_counts(unit_ids=ids, start=start, end=end, by_unit=True), PeriodCounts.combined)
    # The week counts only where the workload is shown per week.
    weeks = (
        weekly_series(unit_ids=ids, start=start, end=end, series=TALK_CONSULTANT, by_unit=True)
        if workload_by_week(start, end)
        else {}
    )
    weekly = _per_group(groups, weeks, _sum_weekly)
    reach = _attributes(groups, start, end, TALK_CARER)
    changes = {
        key: [int(change) for change, n in rows for _ in range(n)]
        for key, rows in _attributes(groups, start, end, MEASUREMENT_KASAM).items()
    }
    respite = members_count(groups=groups, start=start, end=end, series=RESPITE_CARER)
    talk_group = members_count(groups=groups, start=start, end=end, series=SESSION_TALK_GROUP_PERSON)
    edges = edge_members_by_month(groups=groups, start=start, end=end, series=TALK_CARER)
    keys = set(found) | set(reach) | set(respite) | set(talk_group) | set(weekly) | set(changes)
    whole_months = set(period_spans(start, end)[0])
    gathered = {
        key: Sources(
            start=start,
            end=end,
            counts=found.get(key) or PeriodCounts(whole_months=whole_months),
            reach=Reach.of(reach.get(key, []), end),
            respite_carers=respite.get(key, 0),
            talk_group_people=talk_group.get(key, 0),
            edge_carers=edges.get(key, {}),
            weekly=weekly.get(key, {}),
            kasam_changes=changes.get(key, []),
        )
        for key in keys
    }
    # The names the tables show, once for every unit.
    exemption_ids = {int(pk) for item in gathered.values() for pk in item.counts.series(TALK_EXEMPTION)}
    decisions = {decision.pk: decision for decision in ExemptionDecision.objects.filter(pk__in=exemption_ids)}
    consultant_ids = {int(pk) for item in gathered.values() for pk in item.counts.series(TALK_CONSULTANT)}
    consultants = {user.pk: user for user in User.objects.filter(pk__in=consultant_ids)}
    for item in gathered.values():
        item.decisions, item.consultants = decisions, consultants
    return gathered


def _figures(sources: Sources) -> FollowUpFigures:
    """Every measure's value from what the queries found: counts first, then the shares
    and the values shown only with a count (a mean of nobody is no number)."""
    values: dict[str, MeasureValue] = {}
    for measure in MEASURES:
        if not measure.is_derived:
            values[measure.code] = _value(measure, sources)
    for measure in MEASURES:
        if measure.is_share:
            part, whole = (values[code].value for code in measure.share_of)
            share = round(100 * float(part) / float(whole), 1) if part is not None and whole else None
            values[measure.code] = MeasureValue(
                measure, value=share, mark=None if share is not None else Mark.UNAVAILABLE
            )
        elif measure.shown_with:
            value = measure.compute(sources)
            assert not isinstance(value, Mapping | Sequence)
            values[measure.code] = MeasureValue(
                measure, value=value, mark=None if value is not None else Mark.UNAVAILABLE
            )
    boards = {str(pk): decision.board for pk, decision in sources.decisions.items()}
    return FollowUpFigures(
        start=sources.start,
        end=sources.end,
        suppressed=False,
        values={measure.code: values[measure.code] for measure in MEASURES},
        boards=boards,
    )


def _value(measure: Measure, sources: Sources) -> MeasureValue:
    computed = measure.compute(sources)
    if measure.open_categories:
        assert isinstance(computed, Sequence)
        return MeasureValue(measure, cells=tuple(computed))
    if measure.categories:
        assert isinstance(computed, Mapping)
        return MeasureValue(
            measure,
            cells=tuple(
                Cell(category.code, category.label, computed.get(category.code, 0)) for category in measure.categories
            ),
        )
    assert not isinstance(computed, Mapping | Sequence)
    return MeasureValue(measure, value=computed)
