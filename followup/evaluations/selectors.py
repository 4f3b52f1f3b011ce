"""The reads of the released evaluations: an activity's, and a set of units'.

The units' evaluations are protected together with every other unit's of the same
municipality and period (``followup.disclosure.protect_evaluations``), so the PDF report
of a förvaltning and those of its units release each unit's the same way and defend the
sums between them. That is one query for the counts of the municipality's activities,
and one for its unit tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from anhorigstod.accounts.models import Unit
from followup.disclosure import (
    EVALUATION_KEYS,
    Activities,
    Key,
    evaluation_cells,
    protect_evaluation,
    protect_evaluations,
)
from followup.evaluations.release import EvaluationRelease, evaluation_release
from groups.models import Activity
from groups.selectors import evaluation_counts


def activity_evaluation(*, activity: Activity) -> EvaluationRelease:
    """All the answers to an activity's evaluation, as its staff page shows them: the
    activity's node, protected on its own."""
    counts = evaluation_counts(activity_ids=[activity.pk])
    cells = evaluation_cells(counts[0] if counts else None)
    return evaluation_release(cells, protect_evaluation(cells)[0])


def _below_each(children: dict[int | None, list[int]]) -> dict[int, frozenset[int]]:
    """unit -> the unit and every unit under it (``children``: parent -> its units)."""
    below: dict[int, frozenset[int]] = {}

    def walk(unit_id: int) -> frozenset[int]:
        if unit_id not in below:
            below[unit_id] = frozenset({unit_id}).union(*(walk(child) for child in children.get(unit_id, ())))
        return below[unit_id]

    for units in children.values():
        for unit_id in units:
            walk(unit_id)
    return below


def units_evaluation(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> EvaluationRelease:
    """The answers to the evaluations of these units' activities in the months of
    [start, end] (an answer keeps only its month), as one released union. The units are
    a unit and those below it (as the PDF report covers them)."""
    wanted = frozenset(unit_ids)
    municipalities = Unit.objects.filter(pk__in=wanted).values("municipality_id")
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in Unit.objects.filter(municipality_id__in=municipalities).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    below = _below_each(children)
    activities: dict[int, dict[Key, int]] = {}
    by_unit: dict[int, set[int]] = {}
    for counts in evaluation_counts(unit_ids=list(below), start=start, end=end):
        activities[counts.activity_id] = evaluation_cells(counts)
        by_unit.setdefault(counts.unit_id, set()).add(counts.activity_id)

    def of(units: Iterable[int]) -> Activities:
        return frozenset(activity_id for unit_id in units for activity_id in by_unit.get(unit_id, ()))

    # Every unit's union of the municipality, with its child units' unions inside it.
    unions: dict[Activities, list[Activities]] = {}
    for unit_id, units in below.items():
        unions.setdefault(of(units), []).extend(of(below[child]) for child in children.get(unit_id, ()))
    # Units that are not one unit with those below it are a union of their own.
    mine = of(wanted)
    unions.setdefault(mine, [])
    cells = {key: sum(activities[activity_id][key] for activity_id in mine) for key in EVALUATION_KEYS}
    if not mine:
        return evaluation_release(cells, protect_evaluation(cells)[0])  # no answers: nothing shown
    return evaluation_release(cells, protect_evaluations(activities, unions)[mine])
