"""What the follow-up reads for one unit, or for several units together
(:class:`Sources`), and the small functions the declarations compute their values with.

Every value is read from the typed series the writing apps declare (``contacts.rollups``,
``groups.rollups``): a measure never names a series by a string.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from anhorigstod.accounts.models import User
from anhorigstod.rollups.selectors import PeriodCounts
from anhorigstod.rollups.series import Series
from contacts.models import ExemptionDecision
from contacts.rollups import carer_attributes
from contacts.services import age_band
from followup.measures.values import NOT_GIVEN, NOT_GIVEN_CODE, Cell, Computed

UNDER_18 = "0-17"


@dataclass
class Reach:
    """The carers reached in the period by who they are (``contacts.rollups.carer_key``)."""

    carers: int = 0
    under_18: int = 0
    no_municipal_contact: int = 0
    age_band: Counter[str] = field(default_factory=Counter)
    gender: Counter[str] = field(default_factory=Counter)
    target_group: Counter[str] = field(default_factory=Counter)
    language: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, int]], end: dt.date) -> Reach:
        """From the distinct set's members grouped by their attributes: no carer row is read."""
        reach = cls()
        bands: dict[str, str] = {}  # birth year -> age band: a few dozen, for thousands of rows
        for attributes, n in rows:
            birth_year, sex, group, under_18, no_contact, spoken = carer_attributes(attributes)
            if birth_year not in bands:
                bands[birth_year] = age_band(int(birth_year) if birth_year else None, on=end)
            reach.carers += n
            reach.under_18 += n if under_18 else 0
            reach.no_municipal_contact += n if no_contact else 0
            reach.age_band[bands[birth_year]] += n
            reach.gender[sex] += n
            reach.target_group[group or NOT_GIVEN_CODE] += n
            reach.language[spoken] += n
        return reach


@dataclass
class Sources:
    """What the queries found for one unit, or for several units together, in [start, end]."""

    start: dt.date
    end: dt.date
    counts: PeriodCounts
    reach: Reach = field(default_factory=Reach)
    respite_carers: int = 0
    talk_group_people: int = 0
    # Distinct carers per calendar month the period holds only in part.
    edge_carers: dict[dt.date, int] = field(default_factory=dict)
    # (Monday of the ISO week, consultant id) -> talks.
    weekly: dict[tuple[dt.date, str], int] = field(default_factory=dict)
    # KASAM changes (after - before) of the carers measured in the period.
    kasam_changes: list[int] = field(default_factory=list)
    # The names the tables show: exemption decisions and consultants by id.
    decisions: Mapping[int, ExemptionDecision] = field(default_factory=dict)
    consultants: Mapping[int, User] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Computing a value: small combinators the declarations use
# --------------------------------------------------------------------------


def total(series: Series, category: str = "") -> Callable[[Sources], Computed]:
    """The count of one category of a series over the period."""
    return lambda sources: sources.counts.total(series, category)


def by_category(series: Series, *, blank_as: str = "") -> Callable[[Sources], Computed]:
    """The counts of a series by category; ``blank_as`` names the blank category."""

    def compute(sources: Sources) -> Computed:
        found = sources.counts.series(series)
        if blank_as:
            found[blank_as] = found.pop("", 0)
        return found

    return compute


def in_category(series: Series, category: str) -> Callable[[Sources], Computed]:
    return lambda sources: sources.counts.series(series)[category]


def minus(whole: Callable[[Sources], Computed], part: Callable[[Sources], Computed]) -> Callable[[Sources], Computed]:
    """One count less another, both scalars."""

    def compute(sources: Sources) -> Computed:
        a, b = whole(sources), part(sources)
        assert isinstance(a, int) and isinstance(b, int)
        return a - b

    return compute


def answered(series: Series) -> Callable[[Sources], Computed]:
    """Talks or sessions where a yes/no question was answered yes or no."""
    return lambda sources: sources.counts.total(series, "yes") + sources.counts.total(series, "no")


def yes_no(series: Series) -> Callable[[Sources], Computed]:
    return lambda sources: {"yes": sources.counts.total(series, "yes"), "no": sources.counts.total(series, "no")}


def series_sum(series: Series) -> Callable[[Sources], Computed]:
    """The sum over every category of a series."""
    return lambda sources: sum(sources.counts.series(series).values())


def tenths(series: Series) -> Callable[[Sources], Computed]:
    """A sum kept in tenths (hours with one decimal)."""
    return lambda sources: Decimal(sources.counts.total(series)) / 10


def open_cells(found: Mapping[str, int]) -> list[Cell]:
    """Categories found in the data, largest first (a blank one is "not given")."""
    ordered = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    return [Cell(code, code or NOT_GIVEN, n) for code, n in ordered]


def kasam_mean(sources: Sources) -> Computed:
    changes = sources.kasam_changes
    return round(sum(changes) / len(changes), 1) if changes else None


def kasam_improved(sources: Sources) -> Computed:
    return sum(1 for change in sources.kasam_changes if change > 0)


# --------------------------------------------------------------------------
# The tables: talks and carers per month, talks per consultant and week, exemptions
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


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the calendar months that [start, end] touches, in order."""
    found: list[dt.date] = []
    first = start.replace(day=1)
    while first <= end:
        found.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return found


def week_code(year: int, week: int) -> str:
    """An ISO week as a workload column's code: "2025-W11"."""
    return f"{year}-W{week:02d}"


def workload_cell(consultant: str, column: str) -> str:
    """A workload cell's category: the consultant's id and the column's code."""
    return f"{consultant}|{column}"


# The workload is counted per ISO week in a period of up to a quarter, per calendar month
# in a longer one: a year of weeks is 52 columns for each consultant, five years 260, more
# than anyone reads (and a table whose every cell is protected with the rest).
WORKLOAD_WEEKS_UP_TO_DAYS = 92


def workload_by_week(start: dt.date, end: dt.date) -> bool:
    return (end - start).days < WORKLOAD_WEEKS_UP_TO_DAYS


def workload_columns(start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """The workload table's columns: (the code after the consultant's id, the heading),
    each ISO week ("2025-W11", "11") or each calendar month ("2025-03", "2025-03")."""
    if workload_by_week(start, end):
        return [(week_code(year, week), str(week)) for year, week in iso_weeks(start, end)]
    return [(f"{first:%Y-%m}", f"{first:%Y-%m}") for first in months(start, end)]


def per_month(series: Series) -> Callable[[Sources], Computed]:
    """A series' count per calendar month of the period."""
    return lambda sources: [
        Cell(first.isoformat(), first.isoformat(), sources.counts.in_month(first, series))
        for first in months(sources.start, sources.end)
    ]


def distinct_per_month(series: Series) -> Callable[[Sources], Computed]:
    """The distinct members of a set per calendar month: a month held whole by its
    document's size (the sizes of units' sets add up: a carer's talks are all in the
    carer's own unit), a month held in part as counted at the edges."""

    def compute(sources: Sources) -> Computed:
        found = dict(sources.edge_carers)
        for first in sources.counts.whole_months:
            found[first] = sources.counts.size_in_month(first, series)
        return [
            Cell(first.isoformat(), first.isoformat(), found.get(first, 0))
            for first in months(sources.start, sources.end)
        ]

    return compute


def _consultants(sources: Sources, totals: Counter[str]) -> list[tuple[str, str]]:
    """(id, name) of the consultants with talks in the period, by name."""
    people = sorted((sources.consultants[int(pk)] for pk in totals), key=lambda user: (user.full_name, user.pk))
    return [(str(user.pk), user.full_name or user.email) for user in people]


def talks_per_consultant(series: Series) -> Callable[[Sources], Computed]:
    """Talks per consultant over the period (``series``: consultant id -> talks)."""

    def compute(sources: Sources) -> Computed:
        totals = sources.counts.series(series)
        return [Cell(pk, name, totals[pk]) for pk, name in _consultants(sources, totals)]

    return compute


def talks_per_consultant_and_span(series: Series) -> Callable[[Sources], Computed]:
    """Talks per consultant and ISO week (read from the week counts, ``sources.weekly``),
    or per consultant and calendar month in a period longer than a quarter (from the
    period's counts): one cell per consultant and column of :func:`workload_columns`."""

    def compute(sources: Sources) -> Computed:
        cells: Counter[str] = Counter()
        if workload_by_week(sources.start, sources.end):
            for (monday, pk), n in sources.weekly.items():
                year, week, _weekday = monday.isocalendar()
                cells[workload_cell(pk, week_code(year, week))] += n
        else:
            for first, month in sources.counts.by_month.items():
                for pk, n in month.get(series.name, {}).items():
                    cells[workload_cell(pk, f"{first:%Y-%m}")] += n
        columns = workload_columns(sources.start, sources.end)
        found = []
        for pk, name in _consultants(sources, sources.counts.series(series)):
            for code, _heading in columns:
                key = workload_cell(pk, code)
                found.append(Cell(key, f"{name}, {code}", cells.get(key, 0)))
        return found

    return compute


def talks_per_exemption(series: Series) -> Callable[[Sources], Computed]:
    """Talks per exemption decision, by the decision's reference."""

    def compute(sources: Sources) -> Computed:
        found = sources.counts.series(series)
        shown = sorted((sources.decisions[int(pk)] for pk in found), key=lambda decision: decision.reference)
        return [Cell(str(decision.pk), decision.reference, found[str(decision.pk)]) for decision in shown]

    return compute
