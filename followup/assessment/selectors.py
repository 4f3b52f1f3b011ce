"""The self-assessment as it stands: each indicator with the records' suggestion and the
unit's own answer, which of them is in force, and the tallies per area and LOKE aspect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from anhorigstod.accounts.models import Unit
from followup.assessment.facts import UnitFacts, assessment_facts
from followup.assessment.indicators import AREAS, INDICATORS, LOKE, Indicator
from followup.assessment.suggestions import Suggestion
from followup.models import IndicatorAnswer, SelfAssessment

# --------------------------------------------------------------------------
# Answers in force
# --------------------------------------------------------------------------


class Source:
    OWN = "own"
    DATA = "data"


@dataclass(frozen=True)
class IndicatorState:
    """An indicator with the records' suggestion, the unit's own answer, and which is in force."""

    indicator: Indicator
    suggestion: Suggestion | None
    own_answer: str = ""
    own_evidence: str = ""

    @property
    def answer(self) -> str:
        if self.own_answer:
            return self.own_answer
        return self.suggestion.answer if self.suggestion else ""

    @property
    def evidence(self) -> str:
        if self.own_answer:
            return self.own_evidence
        return self.suggestion.evidence if self.suggestion else self.own_evidence

    @property
    def source(self) -> str:
        """``"own"``, ``"data"``, or ``""`` while nothing is in force."""
        if self.own_answer:
            return Source.OWN
        return Source.DATA if self.suggestion and self.suggestion.answer else ""

    @property
    def answer_label(self) -> str:
        return str(IndicatorAnswer(self.answer).label) if self.answer else ""

    @property
    def suggestion_label(self) -> str:
        return str(IndicatorAnswer(self.suggestion.answer).label) if self.suggestion and self.suggestion.answer else ""


@dataclass
class Tally:
    yes: int = 0
    partly: int = 0
    no: int = 0
    unanswered: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.partly + self.no + self.unanswered

    @property
    def answered(self) -> int:
        return self.yes + self.partly + self.no

    def add(self, answer: str) -> None:
        if answer == IndicatorAnswer.YES:
            self.yes += 1
        elif answer == IndicatorAnswer.PARTLY:
            self.partly += 1
        elif answer == IndicatorAnswer.NO:
            self.no += 1
        else:
            self.unanswered += 1


def _tally(states: Iterable[IndicatorState]) -> Tally:
    tally = Tally()
    for state in states:
        tally.add(state.answer)
    return tally


def indicator_states(*, facts: UnitFacts, own: Mapping[str, tuple[str, str]]) -> list[IndicatorState]:
    """Every indicator, in order, with its suggestion and the unit's own (answer, evidence)."""
    return [
        IndicatorState(
            indicator=indicator,
            suggestion=indicator.auto(facts) if indicator.auto else None,
            own_answer=own.get(indicator.code, ("", ""))[0],
            own_evidence=own.get(indicator.code, ("", ""))[1],
        )
        for indicator in INDICATORS
    ]


def grouped(states: list[IndicatorState]) -> dict[str, Any]:
    """The states per area and the tallies per area, per LOKE aspect and overall."""
    return {
        "areas": [
            {
                "area": area,
                "indicators": [state for state in states if state.indicator.area is area],
                "tally": _tally(state for state in states if state.indicator.area is area),
            }
            for area in AREAS
        ],
        "by_loke": [
            {"loke": loke, "tally": _tally(state for state in states if state.indicator.loke is loke)} for loke in LOKE
        ],
        "tally": _tally(states),
        "own_answers": sum(1 for state in states if state.own_answer),
        # Suggested from the records, not answered by the unit: never counted as answered.
        "suggested": sum(1 for state in states if state.source == Source.DATA),
    }


def assessment_answers(*, assessment: SelfAssessment | None) -> dict[str, tuple[str, str]]:
    """indicator code -> (answer, evidence) of a saved self-assessment (empty for none)."""
    if assessment is None or assessment.pk is None:
        return {}
    return {row.indicator_code: (row.answer, row.evidence) for row in assessment.answers.all()}


def assessment_summary(
    *,
    units: Iterable[Unit],
    year: int,
    suppress_small: bool = False,
    period: tuple[dt.date, dt.date] | None = None,
) -> list[dict[str, Any]]:
    """The self-assessment of each of ``units`` (already scoped to the user) for ``year``.

    One entry per unit, in the given order: ``unit``, ``year``, ``assessment`` (the saved
    row or ``None``), ``areas`` (per strategic area its ``indicators`` as
    :class:`IndicatorState`, with the answer in force, its LOKE aspect and evidence, and a
    ``tally``), ``by_loke`` (a tally per LOKE aspect), ``tally`` and ``own_answers``.
    With ``suppress_small`` (the PDF report, the dashboard's "hide counts under 5") the
    evidence prints each unit's follow-up figures as released by
    :func:`followup.disclosure.released_figures`, a hidden one as its mark.

    Queries: two for the saved answers and those of
    :func:`~followup.assessment.facts.assessment_facts`; none grows with the records.
    """
    units = list(units)
    facts = assessment_facts(units=units, year=year, suppress_small=suppress_small, period=period)
    saved = {
        assessment.unit_id: assessment
        for assessment in SelfAssessment.objects.filter(unit__in=units, year=year)
        .select_related("updated_by")
        .prefetch_related("answers")
    }
    result = []
    for unit in units:
        assessment = saved.get(unit.pk)
        states = indicator_states(facts=facts[unit.pk], own=assessment_answers(assessment=assessment))
        result.append({"unit": unit, "year": year, "assessment": assessment, **grouped(states)})
    return result
