"""Anonymous evaluations of activities (PRODUCT §5): the questions, saving an answer,
and the aggregate staff may see.

An answer holds no identity: no user, no session, no address, no timestamp finer than
the month. It is shown only in aggregate, and every count under 5 is suppressed, so a
result never tells what one person in a small group answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Activity, EvaluationResponse

# The smallest count shown; smaller ones (0 included) are shown as "<5" (PRODUCT §5).
SUPPRESSION_LIMIT = 5

SCALE = (1, 2, 3, 4, 5)

# The 1–5 questions, in the order the form asks them: (field on EvaluationResponse, question).
QUESTIONS: tuple[tuple[str, Any], ...] = (
    ("useful", _("Was the activity useful to you?")),
    ("welcomed", _("Did you feel welcome?")),
    ("understand_better", _("Do you understand your situation better now?")),
)
RECOMMEND_QUESTION = _("Would you recommend it to others in your situation?")


def suppress(count: int) -> int | None:
    """The count if it may be shown, else ``None`` (shown as "<5")."""
    return count if count >= SUPPRESSION_LIMIT else None


def _suppress_row(counts: list[int]) -> list[int | None]:
    """Suppress a row of counts whose total is shown.

    With the total known, a single suppressed cell is the total minus the shown ones; so
    when exactly one cell holding someone is hidden, the smallest shown cell goes too.
    """
    shown = [suppress(count) for count in counts]
    hidden = [index for index, value in enumerate(shown) if value is None]
    if len(hidden) == 1 and counts[hidden[0]] > 0:
        visible = [index for index, value in enumerate(shown) if value is not None]
        if visible:
            smallest = min(visible, key=lambda index: counts[index])
            shown[smallest] = None
    return shown


# --------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------


def evaluation_activity_by_token(*, token: UUID) -> Activity | None:
    """The activity an evaluation link belongs to, or ``None`` for a wrong link."""
    return Activity.objects.select_related("unit__municipality").filter(evaluation_token=token).first()


def evaluation_summary(*, activity: Activity) -> dict[str, Any]:
    """The aggregate of an activity's evaluations, suppressed for display (see
    :func:`evaluations_aggregate`)."""
    return evaluations_aggregate(EvaluationResponse.objects.filter(activity=activity))


def evaluation_summary_for_units(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The evaluations of the units' activities answered in the months of [start, end]
    (an answer keeps only its month), aggregated and suppressed as for one activity."""
    return evaluations_aggregate(
        EvaluationResponse.objects.filter(
            activity__unit_id__in=list(unit_ids), month__gte=start.replace(day=1), month__lte=end
        )
    )


def evaluations_aggregate(responses: QuerySet[EvaluationResponse]) -> dict[str, Any]:
    """The aggregate of some evaluations, suppressed for display.

    ``shown`` is False when fewer than 5 have answered; then nothing but that fact is
    returned. Otherwise: ``n``; per question its ``mean`` and a ``distribution`` of
    ``(value, count or None)``; and the recommendation's ``yes`` / ``no`` counts and
    ``share`` (0–100), the share only when the "yes" count itself may be shown.
    """
    aggregates: dict[str, Any] = {"n": Count("pk"), "yes": Count("pk", filter=Q(would_recommend=True))}
    for field, _question in QUESTIONS:
        aggregates[f"{field}_mean"] = Avg(field)
        for value in SCALE:
            aggregates[f"{field}_{value}"] = Count("pk", filter=Q(**{field: value}))
    row = responses.aggregate(**aggregates)
    n: int = row["n"]
    if suppress(n) is None:
        return {"shown": False, "n": None, "questions": [], "recommend": None}
    questions = []
    for field, question in QUESTIONS:
        counts = [row[f"{field}_{value}"] for value in SCALE]
        questions.append(
            {
                "field": field,
                "question": question,
                "mean": round(row[f"{field}_mean"], 1),
                "distribution": list(zip(SCALE, _suppress_row(counts), strict=True)),
            }
        )
    yes, no = _suppress_row([row["yes"], n - row["yes"]])
    return {
        "shown": True,
        "n": n,
        "questions": questions,
        # A share is a count divided by the shown n: it may be shown only with its count.
        "recommend": {"yes": yes, "no": no, "share": None if yes is None else round(100 * yes / n)},
    }


# --------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------


def evaluation_month(*, on: dt.date | None = None) -> dt.date:
    """The first day of the month an answer is filed under (local time)."""
    return (on or timezone.localdate()).replace(day=1)


@transaction.atomic
def evaluation_submit(
    *, activity: Activity, useful: int, welcomed: int, understand_better: int, would_recommend: bool
) -> EvaluationResponse:
    """Save one anonymous answer. Nothing that could identify the person is stored."""
    response = EvaluationResponse(
        activity=activity,
        month=evaluation_month(),
        useful=useful,
        welcomed=welcomed,
        understand_better=understand_better,
        would_recommend=would_recommend,
    )
    response.full_clean()
    response.save()
    return response
