"""The reads of the released evaluations: an activity's (its staff page), and a unit's with
the units below it (the PDF report). What is hidden is decided in ``followup.disclosure``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from followup.disclosure import released_activity_evaluation, released_evaluations
from followup.evaluations.release import EvaluationRelease, evaluation_release
from groups.models import Activity


def activity_evaluation(*, activity: Activity) -> EvaluationRelease:
    """All the answers to an activity's evaluation, protected on their own."""
    return evaluation_release(*released_activity_evaluation(activity_id=activity.pk))


def units_evaluation(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> EvaluationRelease:
    """The answers to the evaluations of these units' activities in the months of
    [start, end], as every report of the period releases them."""
    return evaluation_release(*released_evaluations(unit_ids=unit_ids, start=start, end=end))
