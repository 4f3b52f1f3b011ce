"""Disclosure control: one module every suppressed output goes through (the dashboard with
"hide counts under 5", the PDF report, the CSV/XLSX export and the national export).

The goal: no released combination lets anyone recover a hidden small count by
subtraction, within one output or across outputs of the same period.

How. Every output is the aggregate of a set of units; each unit's *own* figures are a
node. A node is protected on its own and always the same way, whatever output asks:

1. Primary suppression: a count of people or talks (a measure declared ``suppressed``)
   under 5 is hidden (``groups.evaluations.suppress``, the one small-cell rule); a
   hidden zero is no one, and need not stay unknown.
2. Complementary suppression: the node's linear relations are listed
   (:func:`relations`): a distribution and its total, a part and its total with the
   unpublished rest (the talks "ej relevant" for SoL 11:6 are talks − yes − no), the
   months of the trend and the talks, the weeks of a consultant and their total, the
   same count under two names. An attacker's closure is run: a relation with one
   unknown member gives it away. While a hidden count, or an unpublished rest of 1-4,
   can be worked out so, one more cell of that relation is hidden (the smallest shown
   count that holds someone, else the total), and the closure runs again.

An output of several units (a förvaltning with its units, or several chosen units) is a
*union* node: its count is shown only when the same count is shown in every unit it
sums, so it reveals nothing the units do not; then its own relations are protected the
same way, hiding only union cells. Hence a parent's PDF and its units' national records,
or two overlapping selections, never give a hidden count away by subtraction.

The distinct carers of several units add up (a carer's talks are all in the carer's own
unit), so reach counts are unions like the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from followup.figures import Cell, FollowUpFigures, MeasureValue, TrendRow, Workload, WorkloadRow
from followup.measures import BY_CODE, MEASURES
from groups.evaluations import SUPPRESSION_LIMIT, suppress

Key = tuple[str, str]  # (measure code or table, category)
REST = "_rest"


def _sensitive(value: int) -> bool:
    """An unpublished rest that must not be worked out: 1-4 people (zero is no one)."""
    return 0 < value < SUPPRESSION_LIMIT


def _primary(value: int) -> bool:
    """A published count hidden by the one small-cell rule (``groups.evaluations.suppress``)."""
    return suppress(value) is None


def counted(measure_code: str) -> bool:
    """Whether a measure's counts are subject to suppression (people and talks)."""
    measure = BY_CODE[measure_code]
    return measure.suppressed and measure.is_count


def cells_of(figures: FollowUpFigures) -> dict[Key, int]:
    """Every published count of the figures that is subject to suppression, by key."""
    cells: dict[Key, int] = {}
    for measure in MEASURES:
        if not counted(measure.code):
            continue
        item = figures.value(measure.code)
        if measure.is_distribution:
            for cell in item.cells:
                cells[(measure.code, cell.code)] = int(cell.value or 0)
        else:
            cells[(measure.code, "")] = int(item.value or 0)
    for row in figures.trend:
        month = row["month"].isoformat()
        cells[("trend_talks", month)] = int(row["talks"] or 0)
        cells[("trend_carers", month)] = int(row["carers"] or 0)
    for workload_row in figures.workload["rows"]:
        who = workload_row["consultant"]
        cells[("workload_total", who)] = int(workload_row["total"] or 0)
        for (year, week), value in zip(figures.workload["weeks"], workload_row["cells"], strict=True):
            cells[("workload", f"{who}|{year}-W{week:02d}")] = int(value or 0)
    for exemption in figures.exemptions:
        cells[("exemption", exemption["reference"])] = int(exemption["talks"] or 0)
    return cells


def relations(cells: dict[Key, int]) -> list[tuple[Key, list[Key]]]:
    """The node's relations: (total, parts), where a part ``(REST, name)`` is the
    unpublished rest of that total (its value is the total minus the other parts)."""
    found: list[tuple[Key, list[Key]]] = []
    by_measure: dict[str, list[Key]] = {}
    for key in cells:
        by_measure.setdefault(key[0], []).append(key)
    for measure in MEASURES:
        if not counted(measure.code):
            continue
        if measure.is_distribution and measure.total:
            found.append(((measure.total, ""), by_measure.get(measure.code, [])))
        if measure.part_of:
            found.append(((measure.part_of, ""), [(measure.code, ""), (REST, measure.code)]))
    # SoL 11 kap. 6 § and the children question: answered = yes + no; talks = answered + not relevant.
    for question in ("informed_right_to_apply", "asked_about_children"):
        found.append(((f"{question}_yes", ""), [(f"individual_talks_by_{question}", "yes")]))
        found.append((("individual_talks", ""), [(f"{question}_answered", ""), (REST, f"{question}_not_relevant")]))
    found.append((("individual_talks_carers", ""), [("carers_reached", "")]))
    # The same counts under two names (Barn som anhöriga).
    found.append((("individual_talks_carer_under_18", ""), [("individual_talks_by_age_band", "0-17")]))
    found.append((("carers_reached_under_18_by_birth_year", ""), [("carers_reached_by_age_band", "0-17")]))
    found.append((("carers_reached_under_18_by_flag", ""), [("carers_reached_under_18", "")]))
    found.append((("individual_talks", ""), by_measure.get("trend_talks", [])))
    consultants = by_measure.get("workload_total", [])
    if consultants:
        found.append((("individual_talks", ""), consultants))
    for total in consultants:
        weeks = [key for key in by_measure.get("workload", []) if key[1].split("|", 1)[0] == total[1]]
        found.append((total, weeks))
    exemptions = by_measure.get("exemption", [])
    if exemptions:
        found.append((("individual_talks_anonymous", ""), [*exemptions, (REST, "anonymous_not_exempted")]))
    return [(total, parts) for total, parts in found if parts]


def _value(key: Key, cells: dict[Key, int], relation: tuple[Key, list[Key]]) -> int:
    if key[0] != REST:
        return cells.get(key, 0)
    total, parts = relation
    return cells.get(total, 0) - sum(cells.get(part, 0) for part in parts if part[0] != REST)


def protect(
    cells: dict[Key, int], hidden: set[Key], must: set[Key], protected_rests: set[Key] | None = None
) -> tuple[set[Key], set[Key]]:
    """Hide more cells until no cell of ``must`` (hidden counts that hold someone), no
    cell hidden to protect one, and no unpublished rest of 1-4 people (or in
    ``protected_rests``) can be worked out by subtraction within one relation at a time,
    repeated to closure. Returns (hidden, must), both grown."""
    rules = relations(cells)
    must = set(must) | set(protected_rests or ())
    for relation in rules:
        for part in relation[1]:
            if part[0] == REST and _sensitive(_value(part, cells, relation)):
                must.add(part)
    while True:
        known = {key for key in cells if key not in hidden}
        breach: tuple[Key, list[Key]] | None = None
        progress = True
        while progress and breach is None:
            progress = False
            for relation in rules:
                members = [relation[0], *relation[1]]
                unknown = [key for key in members if key not in known]
                if len(unknown) == 1:
                    known.add(unknown[0])
                    progress = True
                    if unknown[0] in must:
                        breach = relation
                        break
        if breach is None:
            return hidden, must
        total, parts = breach
        shown = [key for key in parts if key[0] != REST and key not in hidden]
        holding = [key for key in shown if cells.get(key, 0) > 0] or shown
        pick = min(holding, key=lambda key: (cells.get(key, 0), key)) if holding else total
        if pick in hidden:  # nothing left to hide in this relation: the total goes
            pick = total
        if pick in hidden:
            return hidden, must  # cannot happen: a relation with everything hidden has no breach
        hidden.add(pick)
        must.add(pick)


def protect_own(cells: dict[Key, int]) -> tuple[set[Key], set[Key]]:
    """A unit's own figures: primary suppression, then complementary. Returns (hidden,
    the cells that must stay unknown); a hidden zero is no one to protect."""
    hidden = {key for key, value in cells.items() if _primary(value)}
    return protect(cells, hidden, {key for key in hidden if cells[key] > 0})


def protect_union(cells: dict[Key, int], parts: Sequence[set[Key]]) -> set[Key]:
    """The figures of several units (``parts``: the cells each unit must keep unknown): a
    count is shown only where it reveals none of those."""
    hidden = {key for key, value in cells.items() if _primary(value)}
    must = {key for key in hidden if cells[key] > 0}
    rests: set[Key] = set()
    for part_must in parts:
        for key in part_must:
            if key[0] == REST:
                rests.add(key)
            elif key in cells:
                hidden.add(key)
                must.add(key)
    return protect(cells, hidden, must, rests)[0]


def apply(figures: FollowUpFigures, hidden: set[Key]) -> FollowUpFigures:
    """The figures as released: every hidden cell ``None``; a share, mean or sum only
    where the counts it is built on are shown."""
    values: dict[str, MeasureValue] = {}
    for measure in MEASURES:
        item = figures.value(measure.code)
        if measure.is_distribution:
            values[measure.code] = dataclasses.replace(
                item,
                cells=tuple(
                    dataclasses.replace(cell, value=None) if (measure.code, cell.code) in hidden else cell
                    for cell in item.cells
                ),
            )
        elif (measure.code, "") in hidden:
            values[measure.code] = dataclasses.replace(item, value=None)
        else:
            values[measure.code] = item
    for measure in MEASURES:
        if measure.is_share:
            part, whole = measure.share_of
            if values[part].value is None or values[whole].value is None:
                values[measure.code] = dataclasses.replace(values[measure.code], value=None)
        elif measure.shown_with and values[measure.shown_with].value is None:
            values[measure.code] = dataclasses.replace(values[measure.code], value=None)
    trend = [
        TrendRow(
            month=row["month"],
            talks=None if ("trend_talks", row["month"].isoformat()) in hidden else row["talks"],
            carers=None if ("trend_carers", row["month"].isoformat()) in hidden else row["carers"],
        )
        for row in figures.trend
    ]
    weeks = figures.workload["weeks"]
    workload = Workload(
        weeks=weeks,
        rows=[
            WorkloadRow(
                consultant=row["consultant"],
                cells=[
                    None if ("workload", f"{row['consultant']}|{year}-W{week:02d}") in hidden else value
                    for (year, week), value in zip(weeks, row["cells"], strict=True)
                ],
                total=None if ("workload_total", row["consultant"]) in hidden else row["total"],
            )
            for row in figures.workload["rows"]
        ],
    )
    exemptions = [
        {**exemption, "talks": None if ("exemption", exemption["reference"]) in hidden else exemption["talks"]}
        for exemption in figures.exemptions
    ]
    return dataclasses.replace(
        figures,
        suppressed=True,
        values=values,
        trend=trend,
        workload=workload,
        exemptions=exemptions,  # type: ignore[arg-type]
    )


def released_figures(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date, raw: Any, raw_each: Any
) -> FollowUpFigures:
    """The figures of these units for [start, end] as any suppressed output releases them.

    ``raw(unit_ids)`` gives the unsuppressed figures of a set of units, ``raw_each(unit_ids)``
    those of each unit on its own (unit id -> figures, in one go)."""
    ids = sorted(set(unit_ids))
    own: dict[int, FollowUpFigures] = raw_each(ids)
    if len(ids) == 1:
        return apply(own[ids[0]], protect_own(cells_of(own[ids[0]]))[0])
    whole: FollowUpFigures = raw(ids)
    parts = [protect_own(cells_of(own[unit_id]))[1] for unit_id in ids]
    return apply(whole, protect_union(cells_of(whole), parts))


__all__ = ["Cell", "apply", "cells_of", "protect", "protect_own", "protect_union", "relations", "released_figures"]
