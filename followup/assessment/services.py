"""Writing a unit's own answers to the self-assessment."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from anhorigstod.accounts.models import Unit, User
from followup.assessment.indicators import INDICATORS_BY_CODE
from followup.models import AssessmentAnswer, IndicatorAnswer, SelfAssessment


@transaction.atomic
def assessment_save(
    *, unit: Unit, year: int, answers: Mapping[str, tuple[str, str]], user: User | None
) -> SelfAssessment:
    """Replace the unit's own answers for ``year`` with ``answers`` (code -> (answer, evidence)).

    Unknown indicator codes and answers other than yes / partly / no are refused; an
    indicator with neither answer nor evidence is not stored, so its suggestion is in force.
    """
    assessment, _created = SelfAssessment.objects.select_for_update().get_or_create(unit=unit, year=year)
    assessment.updated_by = user
    assessment.full_clean()
    assessment.save()
    rows = []
    for code, (answer, evidence) in answers.items():
        if code not in INDICATORS_BY_CODE:
            raise ValueError(f"{code!r} is not an indicator")
        if answer and answer not in IndicatorAnswer.values:
            raise ValueError(f"{answer!r} is not an answer to {code}")
        if answer or evidence:
            rows.append(AssessmentAnswer(assessment=assessment, indicator_code=code, answer=answer, evidence=evidence))
    assessment.answers.all().delete()
    AssessmentAnswer.objects.bulk_create(rows)
    return assessment
