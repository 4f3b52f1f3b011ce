"""The acceptance property of issue 16, on seeded random months of an administration with
two or three units (:mod:`tests.followup.random_period`).

The outputs of March 2025: for the administration and each unit its own release (the
dashboard with "hide counts under 5", the CSV/XLSX export and the national export show
it), the PDF report of each unit and of the administration (all its units), and the
dashboard of every selection of two or more units. For every dataset:

- every output is released: each shown count is the true count, no count under 5 is
  shown, and two outputs of the same units show the same;
- the attack (:mod:`tests.followup.disclosure_attack`, written from the declarations, not
  from ``followup.disclosure``) finds no hidden count of 1-4, and is sound; without the
  complementary suppression it does find one (the negative control: it bites);
- every hidden count is marked for why: "<5" exactly when it is under 5, "x" when it is
  hidden to protect another; a hidden share or mean is "..";
- no sentence of a PDF's "Perioden i korthet" says "fewer than 5" of a count that is not.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from django.db import transaction
from django.utils import translation

from anhorigstod.accounts.models import Unit
from followup.dashboard.export import figures_csv
from followup.disclosure import released_figures
from followup.figures import FollowUpFigures, followup_figures
from followup.measures import BY_CODE, MEASURES, Mark
from followup.national.services import national_dataset
from followup.reports.context import key_figures_in_words, report_context, unit_and_below
from tests.followup.disclosure_attack import (
    LIMIT,
    Key,
    Node,
    Seen,
    attack,
    is_count,
    leaks,
    seen_counts,
    subsets,
    true_counts,
    unsound,
)
from tests.followup.random_period import END, START, random_period

CASES = [(units, seed) for units in (2, 3) for seed in range(6)]
# The outputs are built once per dataset, in a module fixture that rolls its rows back; the
# mark has the test database set up for it.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Output:
    name: str
    node: Node
    figures: FollowUpFigures
    # Downloaded from the dashboard as CSV/XLSX too.
    exported: bool = True
    # Units chosen together that are not a unit with all the units below it: a count is
    # shown only where every unit shows its own, else it is not available ("..").
    selection: bool = False


@dataclass
class Period:
    """Every output of one random month, and the truth behind them."""

    parent: Unit
    units: list[Unit]
    outputs: list[Output]
    raw: dict[Node, FollowUpFigures]
    truth: dict[Node, dict[Key, int]]
    # The PDF reports: the unit, its figures and its units.
    pdfs: list[tuple[Unit, FollowUpFigures, Node]]
    # The national export of each unit: (measure, category) -> value, by unit.
    national: dict[Node, dict[Key, Any]]

    @property
    def releases(self) -> list[tuple[Node, dict[Key, Seen]]]:
        return [(output.node, seen_counts(output.figures)) for output in self.outputs]

    @property
    def facts(self) -> dict[tuple[Node, Key], int]:
        """The administration records nothing of its own, and a reader may know it: the
        attacker is given its zeros."""
        own = frozenset([self.parent.pk])
        return {(own, key): value for key, value in self.truth[own].items()}


def released(parent: Unit, units: list[Unit]) -> Period:
    """Every output of the period, as the portal releases it."""
    names = {unit.pk: unit.name for unit in [parent, *units]}
    outputs: list[Output] = []
    pdfs: list[tuple[Unit, FollowUpFigures, Node]] = []
    for unit in [parent, *units]:
        own = frozenset([unit.pk])
        figures = released_figures(unit_ids=[unit.pk], start=START, end=END)
        outputs.append(Output(f"{unit.name}: dashboard, CSV/XLSX, national export", own, figures))
    for unit in [*units, parent]:
        node = frozenset(unit_and_below(unit))
        context = report_context(unit=unit, start=START, end=END)
        outputs.append(Output(f"{unit.name}: PDF report", node, context["figures"], exported=False))
        pdfs.append((unit, context["figures"], node))
    everything = frozenset(unit_and_below(parent))
    for node in [*subsets([unit.pk for unit in units]), everything]:
        figures = released_figures(unit_ids=sorted(node), start=START, end=END)
        name = f"dashboard of {' + '.join(names[pk] for pk in sorted(node))}"
        outputs.append(Output(name, node, figures, selection=node != everything))
    raw = {node: followup_figures(unit_ids=sorted(node), start=START, end=END) for node in {o.node for o in outputs}}
    national: dict[Node, dict[Key, Any]] = {}
    by_code = {unit.code: unit.pk for unit in [parent, *units]}
    for record in national_dataset(units=[parent, *units], start=START, end=END):
        national.setdefault(frozenset([by_code[record.unit_code]]), {})[(record.measure, record.category or "")] = (
            record.value
        )
    return Period(
        parent=parent,
        units=units,
        outputs=outputs,
        raw=raw,
        truth={node: true_counts(figures) for node, figures in raw.items()},
        pdfs=pdfs,
        national=national,
    )


@pytest.fixture(scope="module", params=CASES, ids=[f"{units}-units-seed-{seed}" for units, seed in CASES])
def period(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[Period]:
    """One random month's outputs, built once for the tests below and rolled back."""
    units, seed = request.param
    with django_db_blocker.unblock(), transaction.atomic():
        organisation = random_period(units, seed)
        found = released(organisation.parent, organisation.units)
        transaction.set_rollback(True)
    yield found


def test_every_output_is_released(period: Period) -> None:
    wrong: list[str] = []
    first: dict[Node, Output] = {}
    for output in period.outputs:
        figures, raw, truth = output.figures, period.raw[output.node], period.truth[output.node]
        assert figures.suppressed, output.name
        for key, seen in seen_counts(figures).items():
            if seen.value is not None and seen.value != truth[key]:
                wrong.append(f"{output.name}: {key} shows {seen.value}, the count is {truth[key]}")
            if seen.value is not None and BY_CODE[key[0]].suppressed and seen.value < LIMIT:
                wrong.append(f"{output.name}: {key} shows {seen.value}, under {LIMIT}")
        for measure in MEASURES:
            item = figures.value(measure.code)
            if not is_count(measure.code) and item.value is not None and item.value != raw.value(measure.code).value:
                wrong.append(f"{output.name}: {measure.code} shows {item.value}, not {raw.value(measure.code).value}")
        # Two outputs of the same units show the same.
        same = first.setdefault(output.node, output)
        if seen_counts(same.figures) != seen_counts(figures):
            wrong.append(f"{output.name} and {same.name} differ")
    # The national export shows a count only where its unit's own release shows it.
    for node, records in period.national.items():
        own = seen_counts(first[node].figures)
        for key, value in records.items():
            if key in own and is_count(key[0]) and value is not None and value != own[key].value:
                wrong.append(f"the national export of {sorted(node)}: {key} is {value}, released {own[key]}")
    assert wrong == []


def test_the_attack_finds_no_hidden_small_count(period: Period) -> None:
    found = attack(period.releases, facts=period.facts)
    assert unsound(found, period.truth) == []
    assert leaks(found, period.truth) == []


def test_the_attack_bites_without_complementary_suppression(period: Period) -> None:
    """The negative control: the same outputs with every cell hidden only to protect
    another shown ("x" un-hidden), as primary suppression alone would release them."""
    primary = [
        (
            node,
            {key: Seen(period.truth[node][key]) if seen.mark == Mark.PROTECTS else seen for key, seen in seen.items()},
        )
        for node, seen in period.releases
    ]
    found = attack(primary, facts=period.facts)
    assert unsound(found, period.truth) == []
    assert leaks(found, period.truth), "the attack finds nothing even without complementary suppression"


def test_every_hidden_value_is_marked_for_why(period: Period) -> None:
    wrong: list[str] = []
    for output in period.outputs:
        truth = period.truth[output.node]
        for key, seen in seen_counts(output.figures).items():
            if seen.value is None:
                expected = Mark.SMALL if truth[key] < LIMIT else Mark.PROTECTS
                if output.selection and seen.mark == Mark.UNAVAILABLE:
                    continue  # built on a count one of the chosen units hides
                if seen.mark != expected:
                    wrong.append(f"{output.name}: {key} = {truth[key]} is marked {seen.mark!r}, not {expected!r}")
        for measure in MEASURES:
            item = output.figures.value(measure.code)
            if not is_count(measure.code) and item.value is None and item.mark != Mark.UNAVAILABLE:
                wrong.append(f"{output.name}: {measure.code} is marked {item.mark!r}, not {Mark.UNAVAILABLE!r}")
    assert wrong == []


# A number no count of these datasets reaches, put in a hidden value's place to find it in an output.
STAND_IN = 987654


def with_stand_ins(figures: FollowUpFigures) -> tuple[FollowUpFigures, dict[str, Mark]]:
    """The figures with each hidden count shown as a number of its own, and the mark each
    number stands in for."""
    marks: dict[str, Mark] = {}

    def stand_in(mark: Mark | None) -> int:
        number = STAND_IN + len(marks)
        marks[str(number)] = mark or Mark.SMALL
        return number

    values = dict(figures.values)
    for measure in MEASURES:
        item = figures.value(measure.code)
        if not is_count(measure.code):
            continue
        if measure.is_distribution:
            cells = tuple(
                cell if cell.value is not None else dataclasses.replace(cell, value=stand_in(cell.mark), mark=None)
                for cell in item.cells
            )
            values[measure.code] = dataclasses.replace(item, cells=cells)
        elif item.value is None:
            values[measure.code] = dataclasses.replace(item, value=stand_in(item.mark), mark=None)
    return dataclasses.replace(figures, values=values), marks


def test_the_csv_prints_each_hidden_count_s_mark(period: Period) -> None:
    """The dashboard's CSV export (the XLSX file has the same rows) prints "<5" or "x" where
    the figures hide a count: each row is found by showing the count as a number of its own."""
    wrong: list[str] = []
    for output in period.outputs:
        if not output.exported:
            continue
        twin, marks = with_stand_ins(output.figures)
        rows = list(csv.reader(io.StringIO(figures_csv(output.figures))))
        twin_rows = list(csv.reader(io.StringIO(figures_csv(twin))))
        assert len(rows) == len(twin_rows), output.name
        for row, twin_row in zip(rows, twin_rows, strict=True):
            mark = marks.get(twin_row[-1])
            if mark is not None and row[-1] != mark.symbol:
                wrong.append(f"{output.name}: {row[1]!r} reads {row[-1]!r}, marked {mark.symbol!r} ({mark.label})")
    assert wrong == []


FEWER_THAN_5 = {"sv": "färre än 5", "en": "fewer than 5"}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_sentence_states_a_false_bound(period: Period, language: str) -> None:
    """The released figures hold no hidden number, so a sentence can state a false bound only
    by saying "fewer than 5" of a count that is not small. So: with every count marked "<5"
    shown as its true number, no "fewer than 5" may be left in "Perioden i korthet" (one
    left would be said of an "x" or ".." value), and each "<5" count the sentences use
    accounts for one "fewer than 5" (the marks test proves each such count is under 5)."""
    wrong: list[str] = []
    fewer = FEWER_THAN_5[language]
    with translation.override(language):
        for unit, figures, node in period.pdfs:
            text = " ".join(key_figures_in_words(figures, unit))
            revealed = dict(figures.values)
            small_used = 0
            for measure in MEASURES:
                item = figures.value(measure.code)
                if measure.is_distribution or item.value is not None or item.mark != Mark.SMALL:
                    continue
                shown = dataclasses.replace(item, value=period.truth[node][(measure.code, "")], mark=None)
                revealed[measure.code] = shown
                alone = dataclasses.replace(figures, values={**figures.values, measure.code: shown})
                if " ".join(key_figures_in_words(alone, unit)).lower().count(fewer) < text.lower().count(fewer):
                    small_used += 1
            plain = " ".join(key_figures_in_words(dataclasses.replace(figures, values=revealed), unit))
            if fewer in plain.lower():
                wrong.append(f"{unit.name}: {fewer!r} said of a value that is not a small count: {plain}")
            if text.lower().count(fewer) != small_used:
                wrong.append(
                    f"{unit.name}: {text.lower().count(fewer)} times {fewer!r}, {small_used} small counts: {text}"
                )
    assert wrong == []
