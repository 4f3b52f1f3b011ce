"""The benchmark's dashboard matrix (bench/dashboards.py): what each period name spans, how
the rows are named and which URLs they request."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from bench.dashboards import MUNICIPALITY_YEAR, PERIODS, SMALLEST, dashboard_rows, parse_list, period_dates

D = dt.date


@pytest.mark.parametrize(
    ("name", "span"),
    [
        ("1m", (D(2025, 3, 1), D(2025, 3, 31))),
        ("1y", (D(2025, 1, 1), D(2025, 12, 31))),
        ("22m", (D(2024, 3, 1), D(2025, 12, 31))),
        ("2y", (D(2024, 1, 1), D(2025, 12, 31))),
        ("3y", (D(2023, 1, 1), D(2025, 12, 31))),
        ("5y", (D(2021, 1, 1), D(2025, 12, 31))),
        ("2024-11-15..2025-02-10", (D(2024, 11, 15), D(2025, 2, 10))),
    ],
)
def test_a_period_name_spans_its_dates_around_the_data_year(name: str, span: tuple[dt.date, dt.date]) -> None:
    assert period_dates(name, 2025) == span


@pytest.mark.parametrize("name", ["0y", "2w", "1q", "2025-02-10..2024-11-15", ""])
def test_an_unknown_or_backwards_period_is_refused(name: str) -> None:
    with pytest.raises(ValueError):
        period_dates(name, 2025)


def test_lists_from_the_command_line() -> None:
    assert parse_list("forvaltning, unit", allowed=("förvaltning", "unit"), what="--scopes") == ["förvaltning", "unit"]
    assert parse_list("all", allowed=("off", "on"), what="--suppression") == ["off", "on"]
    with pytest.raises(ValueError, match="maybe"):
        parse_list("on,maybe", allowed=("off", "on"), what="--suppression")


def test_the_rows_of_the_matrix_keep_the_old_names_and_ask_for_what_they_say() -> None:
    manager, small_manager = object(), object()
    data = SimpleNamespace(year=2025, team=SimpleNamespace(pk=42), manager=manager, small_manager=small_manager)

    rows = dashboard_rows(data, periods=list(PERIODS), scopes=["förvaltning", "unit"], suppression=["off", "on"])

    # Each suppressed row is also timed with the protection computed afresh.
    assert len(rows) == 6 * 2 * 3 + 1
    by_name = {row.name: row for row in rows}
    assert len(by_name) == len(rows)
    assert [row.name for row in rows[:8]] == [
        "dashboard, förvaltning, 1m",
        "dashboard, förvaltning, 1m, suppressed",
        "dashboard, förvaltning, 1m, suppressed, protection afresh",
        "dashboard, one unit, 1m",
        "dashboard, one unit, 1m, suppressed",
        "dashboard, one unit, 1m, suppressed, protection afresh",
        MUNICIPALITY_YEAR,
        SMALLEST,
    ]
    assert by_name[MUNICIPALITY_YEAR].url == "/uppfoljning/?start=2025-01-01&end=2025-12-31"
    assert by_name[SMALLEST].url == by_name[MUNICIPALITY_YEAR].url
    assert by_name[SMALLEST].who is small_manager
    assert by_name["dashboard, förvaltning, 22m, suppressed"].url == (
        "/uppfoljning/?start=2024-03-01&end=2025-12-31&suppress_small=on"
    )
    assert by_name["dashboard, one unit, 5y"].url == "/uppfoljning/?start=2021-01-01&end=2025-12-31&unit=42"
    assert all(row.who is manager for row in rows if row.name != SMALLEST)
