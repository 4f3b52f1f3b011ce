"""The dashboard rows the benchmark times: periods × scopes × the suppression option.

A period is named relative to the data year (the last whole calendar year of the dataset):

- ``1m``: one month, March of the data year;
- ``1y``, ``2y``, ``3y``, ``5y`` (any ``<n>y``): whole calendar years ending with the data year;
- ``22m``: 22 months ending with the data year, from 1 March of the year before (not whole
  years: the months at the edges count apart);
- ``2024-03-01..2025-06-30``: any dates.

A period longer than the data reads empty months, as the dashboard would in a young
installation. A scope is the manager's whole förvaltning (no unit chosen: all the units
under it) or one team unit of it (the dashboard's ``unit`` parameter); suppression is the
dashboard's "Dölj antal under 5" (``suppress_small=on``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

PERIODS = ("1m", "1y", "22m", "2y", "3y", "5y")
SCOPES = ("förvaltning", "unit")
SUPPRESSION = ("off", "on")
# The row of the whole municipality's data year, unsuppressed, keeps the name it had
# before the matrix, so that runs saved then still compare (``--table``).
MUNICIPALITY_YEAR = "dashboard, municipality-year"
SMALLEST = "dashboard, smallest municipality"
# A suppressed row timed with the unit tree's protection computed at every request.
FRESH = ", protection afresh"

_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")
_YEARS = re.compile(r"([1-9]\d?)y")


@dataclass(frozen=True)
class Row:
    name: str
    url: str
    who: Any  # the manager who requests it


def period_dates(name: str, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the named period; ``year`` is the data year."""
    end = dt.date(year, 12, 31)
    if name == "1m":
        return dt.date(year, 3, 1), dt.date(year, 3, 31)
    if name == "22m":
        return dt.date(year - 1, 3, 1), end
    if match := _YEARS.fullmatch(name):
        return dt.date(year - int(match[1]) + 1, 1, 1), end
    if match := _RANGE.fullmatch(name):
        start, last = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        if last < start:
            raise ValueError(f"period {name}: ends before it starts")
        return start, last
    raise ValueError(f"period {name!r}: not one of {', '.join(PERIODS)}, <n>y or YYYY-MM-DD..YYYY-MM-DD")


def parse_list(value: str, *, allowed: tuple[str, ...] | None = None, what: str) -> list[str]:
    """A comma list from the command line, checked against ``allowed`` (``all`` is all of them)."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    if allowed is not None:
        if items == ["all"]:
            return list(allowed)
        items = ["förvaltning" if item == "forvaltning" else item for item in items]
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise ValueError(f"{what}: {', '.join(unknown)} (choose among {', '.join(allowed)})")
    if not items:
        raise ValueError(f"{what}: none given")
    return list(dict.fromkeys(items))  # each once, in the order given


def row_name(*, period: str, scope: str, suppressed: bool) -> str:
    if (period, scope, suppressed) == ("1y", "förvaltning", False):
        return MUNICIPALITY_YEAR
    where = "förvaltning" if scope == "förvaltning" else "one unit"
    return f"dashboard, {where}, {period}" + (", suppressed" if suppressed else "")


def dashboard_rows(data: Any, *, periods: list[str], scopes: list[str], suppression: list[str]) -> list[Row]:
    """The dashboard's rows in the order they are timed: by period, then scope, then suppression.

    The smallest municipality's data year follows the largest's, for the query count that
    must not grow with the data."""
    rows = []
    for period in periods:
        start, end = period_dates(period, data.year)
        for scope in scopes:
            for option in suppression:
                suppressed = option == "on"
                query = f"start={start}&end={end}"
                if scope == "unit":
                    query += f"&unit={data.team.pk}"
                if suppressed:
                    query += "&suppress_small=on"
                name = row_name(period=period, scope=scope, suppressed=suppressed)
                rows.append(Row(name, f"/uppfoljning/?{query}", data.manager))
                if suppressed:
                    # The same page with the tree's protection computed afresh at every request
                    # (as after any write of the tree's counts), not taken from the cache.
                    rows.append(Row(name + FRESH, f"/uppfoljning/?{query}", data.manager))
                if name == MUNICIPALITY_YEAR:
                    rows.append(Row(SMALLEST, f"/uppfoljning/?{query}", data.small_manager))
    return rows


def describe(data: Any, periods: list[str], scopes: list[str]) -> str:
    """What the rows' names stand for, printed before they are timed."""
    spans = ", ".join(f"{name} = {'..'.join(map(str, period_dates(name, data.year)))}" for name in periods)
    lines = [f"dashboard periods (data year {data.year}): {spans}"]
    if "förvaltning" in scopes:
        lines.append(f"  förvaltning: all the units of {data.municipality.name}, by its manager")
    if "unit" in scopes:
        lines.append(
            f"  one unit: {data.team.name} of {data.municipality.name} (unit={data.team.pk}), by the same manager"
        )
    return "\n".join(lines)
