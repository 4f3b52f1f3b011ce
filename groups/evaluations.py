"""Anonymous evaluations of activities (PRODUCT §5): the questions, their scale, and saving
an answer.

An answer holds no identity: no user, no session, no address, no timestamp finer than
the month. The app reads back only raw counts (``groups.selectors.evaluations``); what of
them may be shown, and with which mark, is the follow-up's to decide
(``followup.disclosure``), so that a result never tells what one person in a small group
answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Activity, EvaluationResponse

SCALE = (1, 2, 3, 4, 5)

# The 1–5 questions, in the order the form asks them: (field on EvaluationResponse, question).
QUESTIONS: tuple[tuple[str, Any], ...] = (
    ("useful", _("Was the activity useful to you?")),
    ("welcomed", _("Did you feel welcome?")),
    ("understand_better", _("Do you understand your situation better now?")),
)
RECOMMEND_QUESTION = _("Would you recommend it to others in your situation?")


# --------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------


def evaluation_activity_by_token(*, token: UUID) -> Activity | None:
    """The activity an evaluation link belongs to, or ``None`` for a wrong link."""
    return Activity.objects.select_related("unit__municipality").filter(evaluation_token=token).first()


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
