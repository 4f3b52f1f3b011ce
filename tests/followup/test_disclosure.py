"""Disclosure control across every output of one period (issue: no cell recoverable by
subtraction).

An attacker holds, for March 2025, the PDF report of the förvaltning and of each of its
units, the CSV/XLSX export and the dashboard (with "hide counts under 5") for each unit
and for all of them, and the national export of every unit. The attacker's knowledge is
every count any of these shows, per unit set; then every subtraction is tried, to
closure: each distribution against its total, each part against its total with its
unpublished rest (SoL 11:6 "ej relevant" = talks − yes − no), the trend and the
workload against the talks, and a parent against its units. No hidden count of 1-4
may come out. The relations are written here from the declared measures, not taken from
the disclosure module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from followup.dashboard.export import figures_csv
from followup.disclosure import released_figures
from followup.figures import FollowUpFigures, followup_figures
from followup.measures import MEASURES, CountUnit
from followup.national.services import national_dataset
from followup.reports.context import report_context, unit_and_below
from tests.followup.test_national import dataset  # noqa: F401  (the fixture)
from tests.groups.conftest import activity_booking, activity_drop_in  # noqa: F401  (fixtures)

START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
Node = frozenset[int]
Cell = tuple[str, str]


def counts_of(figures: FollowUpFigures) -> dict[Cell, int | None]:
    """What an output shows of the counts (None: hidden), by (measure, category)."""
    shown: dict[Cell, int | None] = {}
    for measure in MEASURES:
        if measure.unit in (CountUnit.PERCENT, CountUnit.MEAN, CountUnit.HOURS):
            continue
        item = figures.value(measure.code)
        if measure.is_distribution:
            for cell in item.cells:
                shown[(measure.code, cell.code)] = cell.value  # type: ignore[assignment]
        else:
            shown[(measure.code, "")] = item.value  # type: ignore[assignment]
    # The trend, the workload and the exemptions are declared measures too (issue 16).
    return shown


def relations(cells: set[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Every subtraction within one unit set: (total, parts); ("rest", x) is never shown."""
    found: list[tuple[Cell, list[Cell]]] = []
    for measure in MEASURES:
        parts = [cell for cell in cells if cell[0] == measure.code]
        if measure.total and parts:
            found.append(((measure.total, ""), parts))
        if measure.part_of:
            own = parts if measure.is_distribution else [(measure.code, "")]
            found.append(((measure.part_of, ""), [*own, ("rest", measure.code)]))
        if measure.group_total:
            for group in {cell[1].split("|")[0] for cell in parts}:
                found.append(((measure.group_total, group), [c for c in parts if c[1].split("|")[0] == group]))
    for question in ("informed_right_to_apply", "asked_about_children"):
        found.append(((f"{question}_yes", ""), [(f"individual_talks_by_{question}", "yes")]))
        found.append(((f"{question}_answered", ""), [(f"individual_talks_by_{question}", c) for c in ("yes", "no")]))
        found.append((("individual_talks", ""), [(f"{question}_answered", ""), ("rest", f"{question}_other")]))
    found.append((("individual_talks_carers", ""), [("carers_reached", "")]))
    found.append((("individual_talks_carer_under_18", ""), [("individual_talks_by_age_band", "0-17")]))
    found.append((("carers_reached_under_18_by_birth_year", ""), [("carers_reached_by_age_band", "0-17")]))
    found.append((("carers_reached_under_18_by_flag", ""), [("carers_reached_under_18", "")]))
    return [(total, parts) for total, parts in found if parts]


def attack(releases: list[tuple[Node, FollowUpFigures]], truth: dict[Node, dict[Cell, int]]) -> list[str]:
    """Every small hidden count the releases give away."""
    known: dict[tuple[Node, Cell], int] = {}
    for node, figures in releases:
        for cell, value in counts_of(figures).items():
            if value is not None:
                known[(node, cell)] = value
    nodes = list(truth)
    rules: list[list[tuple[Node, Cell, int]]] = []  # each: total (+1) and parts (−1)
    for node in nodes:
        cells = set(truth[node])
        for total, parts in relations(cells):
            rules.append([(node, total, 1), *((node, part, -1) for part in parts)])
    # A set of units is the sum of its units, each own (a parent against its children).
    for node in nodes:
        if len(node) > 1 and all(frozenset([unit]) in truth for unit in node):
            for cell in truth[node]:
                rules.append([(node, cell, 1), *((frozenset([unit]), cell, -1) for unit in node)])

    def value_of(node: Node, cell: Cell) -> int:
        if cell[0] != "rest":
            return truth[node].get(cell, 0)
        for total, parts in relations(set(truth[node])):
            if ("rest", cell[1]) in parts:
                return truth[node].get(total, 0) - sum(truth[node].get(part, 0) for part in parts if part[0] != "rest")
        raise KeyError(cell)

    progress = True
    while progress:
        progress = False
        for rule in rules:
            unknown = [(node, cell, sign) for node, cell, sign in rule if (node, cell) not in known]
            if len(unknown) == 1:
                node, cell, sign = unknown[0]
                rest = sum(known[(n, c)] * s for n, c, s in rule if (n, c) != (node, cell))
                known[(node, cell)] = -rest * sign
                progress = True
    leaks = []
    for (node, cell), value in known.items():
        actual = value_of(node, cell)
        assert value == actual, (node, cell, value, actual)  # the attack itself is sound
        shown_somewhere = any(counts_of(figures).get(cell) is not None for n, figures in releases if n == node)
        if 0 < actual < 5 and not shown_somewhere:
            leaks.append(f"{sorted(node)} {cell} = {actual}")
    return sorted(set(leaks))


def test_no_hidden_count_is_recovered_across_the_outputs_of_a_period(dataset, login_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    org = dataset
    parent = org.unit_a.parent
    units = [parent, org.unit_a, org.unit_a2]
    truth: dict[Node, dict[Cell, int]] = {}
    releases: list[tuple[Node, FollowUpFigures]] = []
    everything = frozenset(unit_and_below(parent))

    def remember(node: Node) -> None:
        raw = followup_figures(unit_ids=sorted(node), start=START, end=END)
        truth[node] = {cell: value or 0 for cell, value in counts_of(raw).items()}

    for unit in units:
        remember(frozenset([unit.pk]))
        # The PDF report of the unit and the units below it.
        node = frozenset(unit_and_below(unit))
        remember(node)
        releases.append((node, report_context(unit=unit, start=START, end=END)["figures"]))
        # The dashboard with small counts hidden, and the CSV / XLSX export, of the unit.
        releases.append((frozenset([unit.pk]), released_figures(unit_ids=[unit.pk], start=START, end=END)))
    remember(everything)
    releases.append((everything, released_figures(unit_ids=sorted(everything), start=START, end=END)))

    # The CSV export as downloaded holds what the figures it is written from hold.
    client = login_as("manager_a")
    downloaded = list(
        csv.reader(io.StringIO(client.get("/uppfoljning/export.csv", {"start": START, "end": END}).content.decode()))
    )
    figures_all = released_figures(unit_ids=sorted(everything), start=START, end=END)
    assert downloaded == list(csv.reader(io.StringIO(figures_csv(figures_all))))

    # The national export: each unit's own figures, by code.
    national: dict[Node, dict[Cell, Any]] = {}
    for record in national_dataset(units=units, start=START, end=END):
        unit_id = next(unit.pk for unit in units if unit.code == record.unit_code)
        national.setdefault(frozenset([unit_id]), {})[(record.measure, record.category or "")] = record.value
    for node, cells in national.items():
        own = released_figures(unit_ids=sorted(node), start=START, end=END)
        for cell, value in cells.items():
            if cell in counts_of(own) and isinstance(value, int):
                # The national export shows no count its unit's own release hides.
                assert counts_of(own)[cell] is not None, (node, cell, value)

    assert attack(releases, truth) == []
