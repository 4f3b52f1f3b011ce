"""The raw counts of the anonymous evaluations, per activity, for the follow-up.

Raw: every count as it is, small ones and zeros too. Nothing in groups shows them; what of
them may be shown, and with which mark, is decided in ``followup.disclosure``, which
protects each activity's answers on their own and a unit's (a union of its activities')
so that a unit and its parent can be read side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from groups.evaluations import QUESTIONS, SCALE
from groups.models import EvaluationResponse


@dataclass(frozen=True)
class EvaluationCounts:
    """One activity's answers: how many answered, per 1–5 question how many chose each
    value of :data:`~groups.evaluations.SCALE` (in that order), and how many would and
    would not recommend it."""

    activity_id: int
    unit_id: int
    answers: int
    scale: Mapping[str, tuple[int, ...]]
    recommend_yes: int
    recommend_no: int


def evaluation_counts(
    *,
    activity_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[EvaluationCounts]:
    """The answers of these activities (or of the activities of these units), answered in
    the months of [start, end] when given (an answer keeps only its month), one row per
    activity with at least one answer, in one query."""
    if activity_ids is None and unit_ids is None:
        raise ValueError("evaluation_counts needs activity_ids or unit_ids")
    responses = EvaluationResponse.objects.all()
    if activity_ids is not None:
        responses = responses.filter(activity_id__in=list(activity_ids))
    if unit_ids is not None:
        responses = responses.filter(activity__unit_id__in=list(unit_ids))
    if start is not None:
        responses = responses.filter(month__gte=start.replace(day=1))
    if end is not None:
        responses = responses.filter(month__lte=end)
    aggregates = {"answers": Count("pk"), "yes": Count("pk", filter=Q(would_recommend=True))}
    for field, _question in QUESTIONS:
        for value in SCALE:
            aggregates[f"{field}_{value}"] = Count("pk", filter=Q(**{field: value}))
    # Counts by name: the names are built from the questions, so the rows are plain mappings.
    rows: Iterable[Mapping[str, Any]] = (
        responses.values("activity_id", "activity__unit_id").annotate(**aggregates).order_by("activity_id")
    )
    return [
        EvaluationCounts(
            activity_id=row["activity_id"],
            unit_id=row["activity__unit_id"],
            answers=row["answers"],
            scale={field: tuple(row[f"{field}_{value}"] for value in SCALE) for field, _question in QUESTIONS},
            recommend_yes=row["yes"],
            recommend_no=row["answers"] - row["yes"],
        )
        for row in rows
    ]
