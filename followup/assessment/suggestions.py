"""The answers the records suggest for the self-assessment's indicators, with the
evidence sentence and the thresholds (the project's own), from :class:`UnitFacts`.

In a suppressed output a follow-up figure may be hidden (its mark in the facts). The
evidence then prints the mark, and no answer is suggested from it: an answer judged on a
hidden count tells the reader a bound on it. With the children asked about in "<5" of 7
talks, "partly" (from 50 %) says at least 3.5 of 7, so exactly 4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from followup.assessment.facts import PARTNER_SECTORS, Shown, UnitFacts, percent, shown_percent, threshold_percent
from followup.catalogue.questions import QUESTIONS
from followup.disclosure import SUPPRESSION_LIMIT
from followup.measures import Hidden, Mark
from followup.models import IndicatorAnswer

# --------------------------------------------------------------------------
# Suggestions from the records
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """What the records suggest: an answer (blank when they cannot tell) and why."""

    answer: str
    evidence: str


# Thresholds (the project's own, not Socialstyrelsen's). Shares are percentages, "at least".
# SoL 11 kap. 6 §: the duty applies to every talk without needs assessment, so nearly all.
INFORMED_SHARE_FOR_YES = 90
INFORMED_SHARE_FOR_PARTLY = 50
# Asking about children in the carer's network (seed 004 L3937-3942): as above.
CHILDREN_SHARE_FOR_YES = 90
CHILDREN_SHARE_FOR_PARTLY = 50
# Roughly one staff group a quarter (APT annual plan, L6676-6678).
STAFF_TRAINING_SESSIONS_FOR_YES = 4
# KASAM before and after: enough carers for the measure to be a habit, not a trial.
KASAM_CARERS_FOR_YES = 10
# Fewer carers than this are too few to judge an outcome on (a share of four people says
# little): the assessment's own rule of judgement, not disclosure's small-cell rule,
# though both are 5.
KASAM_CARERS_TO_JUDGE = 5
# "At least half" is in the indicator's wording (delaktighet.3).
KASAM_IMPROVED_SHARE_FOR_YES = 50
KASAM_IMPROVED_SHARE_FOR_PARTLY = 25
EVALUATED_SHARE_FOR_YES = 50
# About one session in five outside office hours (L6402-6408: schedule evenings).
OUTSIDE_DAYTIME_SHARE_FOR_YES = 20
REFERRALS_FOR_YES = 5
CO_ORGANISED_FOR_YES = 2
REPORTS_FOR_YES = 1


def _by_share(part: int, whole: int, yes_from: int, partly_from: int) -> str:
    # Whole numbers only, so a share exactly on a threshold meets it.
    if part * 100 >= yes_from * whole:
        return IndicatorAnswer.YES
    if part * 100 >= partly_from * whole:
        return IndicatorAnswer.PARTLY
    return IndicatorAnswer.NO


def _by_count(n: int, yes_from: int) -> str:
    if n >= yes_from:
        return IndicatorAnswer.YES
    return IndicatorAnswer.PARTLY if n > 0 else IndicatorAnswer.NO


def _share_thresholds(yes_from: int, partly_from: int) -> str:
    return _("Yes from %(yes_from)s, partly from %(partly_from)s.") % {
        "yes_from": threshold_percent(yes_from),
        "partly_from": threshold_percent(partly_from),
    }


def _count_thresholds(yes_from: int | str) -> str:
    return _("Yes from %(yes_from)s; partly if at least one.") % {"yes_from": yes_from}


def _with(sentence: str, thresholds: str) -> str:
    return f"{sentence} {thresholds}"


def _counts(*values: Shown) -> tuple[int, ...] | None:
    """The counts an answer is judged on, or ``None`` when a suppressed output hides one."""
    counts = tuple(int(value) for value in values if not isinstance(value, Hidden))
    return counts if len(counts) == len(values) else None


def _not_judged(sentence: str) -> Suggestion:
    """The evidence with a hidden figure: no answer (see the module docstring)."""
    return Suggestion("", _with(sentence, _("With a figure hidden, no answer is suggested from the records.")))


def _fewer_than(value: Shown, limit: int) -> bool:
    """Whether ``value`` is known to be under ``limit`` from what is shown: a count marked
    "<5" is under disclosure's limit; the other marks say nothing of that kind."""
    if isinstance(value, Hidden):
        return value.mark == Mark.SMALL and limit >= SUPPRESSION_LIMIT
    return value < limit


def _count_suggestion(n: Shown, sentence: str, yes_from: int) -> Suggestion:
    counts = _counts(n)
    if counts is None:
        return _not_judged(sentence)
    return Suggestion(_by_count(counts[0], yes_from), _with(sentence, _count_thresholds(yes_from)))


def auto_staff_training(facts: UnitFacts) -> Suggestion:
    n = facts.staff_training_sessions
    sentence = _("Sessions of training for staff held in %(year)s: %(n)s.") % {"year": facts.when, "n": n}
    return Suggestion(
        _by_count(n, STAFF_TRAINING_SESSIONS_FOR_YES),
        _with(sentence, _count_thresholds(STAFF_TRAINING_SESSIONS_FOR_YES)),
    )


def auto_catalogue(facts: UnitFacts) -> Suggestion:
    total, answered = len(QUESTIONS), facts.catalogue_questions_answered
    sentence = _("Questions of the support catalogue %(year)s answered: %(answered)s of %(total)s.") % {
        "year": facts.year,
        "answered": answered,
        "total": total,
    }
    return Suggestion(_by_count(answered, total), _with(sentence, _count_thresholds(total)))


def auto_exemptions(facts: UnitFacts) -> Suggestion:
    if not facts.exemption_references:
        # No decision may mean the nämnd decided to make none: the records cannot tell.
        return Suggestion(
            "",
            _(
                "No exemption decision is recorded for %(year)s. If the nämnd has decided not to make "
                "exemptions, answer yes and give the decision's reference."
            )
            % {"year": facts.year},
        )
    return Suggestion(
        IndicatorAnswer.YES,
        _("Exemption decisions in force during %(year)s: %(references)s.")
        % {"year": facts.year, "references": ", ".join(facts.exemption_references)},
    )


def auto_reports(facts: UnitFacts) -> Suggestion:
    n = facts.reports_done
    sentence = _("Finished follow-up reports covering part of %(year)s: %(n)s.") % {"year": facts.year, "n": n}
    answer = IndicatorAnswer.YES if n >= REPORTS_FOR_YES else IndicatorAnswer.NO
    return Suggestion(answer, _with(sentence, _("Yes from %(yes_from)s.") % {"yes_from": REPORTS_FOR_YES}))


def _share_suggestion(
    part: Shown, whole: Shown, *, empty: str, sentence: Callable[[], str], yes_from: int, partly_from: int | None
) -> Suggestion:
    """An answer from ``part`` of ``whole``: none when ``whole`` is 0 (``empty`` says why)
    or when either is hidden.

    With ``partly_from`` None, any ``part`` above 0 and under ``yes_from`` is "partly"."""
    counts = _counts(part, whole)
    if counts is None:
        return _not_judged(sentence())
    part_n, whole_n = counts
    if not whole_n:
        return Suggestion("", empty)
    if partly_from is None:
        answer = _by_share(part_n, whole_n, yes_from, 0) if part_n else IndicatorAnswer.NO
        thresholds = _count_thresholds(threshold_percent(yes_from))
    else:
        answer = _by_share(part_n, whole_n, yes_from, partly_from)
        thresholds = _share_thresholds(yes_from, partly_from)
    return Suggestion(answer, _with(sentence(), thresholds))


def auto_informed(facts: UnitFacts) -> Suggestion:
    yes, answered = facts.informed_yes, facts.informed_answered
    return _share_suggestion(
        yes,
        answered,
        empty=_("No talk in %(year)s has the question answered.") % {"year": facts.when},
        sentence=lambda: (
            _(
                "Talks in %(year)s with the question answered: %(answered)s; of them with information about the "
                "right to apply: %(yes)s (%(share)s)."
            )
            % facts.question(yes=yes, answered=answered, share=facts.informed_share)
        ),
        yes_from=INFORMED_SHARE_FOR_YES,
        partly_from=INFORMED_SHARE_FOR_PARTLY,
    )


def auto_kasam_measured(facts: UnitFacts) -> Suggestion:
    sentence = _("Carers measured with KASAM before and after support, the after measurement in %(year)s: %(n)s.") % {
        "year": facts.when,
        "n": facts.kasam_carers,
    }
    return _count_suggestion(facts.kasam_carers, sentence, KASAM_CARERS_FOR_YES)


def auto_kasam_improved(facts: UnitFacts) -> Suggestion:
    n, improved = facts.kasam_carers, facts.kasam_improved
    if _fewer_than(n, KASAM_CARERS_TO_JUDGE):
        return Suggestion(
            "",
            _("Carers measured before and after: %(n)s, too few to judge (at least %(needed)s are needed).")
            % {"n": n, "needed": KASAM_CARERS_TO_JUDGE},
        )
    sentence = _(
        "Carers measured before and after: %(n)s; of them with a higher KASAM afterwards: %(improved)s (%(share)s)."
    ) % {"n": n, "improved": improved, "share": shown_percent(facts.kasam_share)}
    counts = _counts(improved, n)
    if counts is None:
        return _not_judged(sentence)
    improved_n, carers = counts
    return Suggestion(
        _by_share(improved_n, carers, KASAM_IMPROVED_SHARE_FOR_YES, KASAM_IMPROVED_SHARE_FOR_PARTLY),
        _with(sentence, _share_thresholds(KASAM_IMPROVED_SHARE_FOR_YES, KASAM_IMPROVED_SHARE_FOR_PARTLY)),
    )


def auto_evaluations(facts: UnitFacts) -> Suggestion:
    held, evaluated = facts.activities_held, facts.activities_evaluated
    return _share_suggestion(
        evaluated,
        held,
        empty=_("No activity for carers was held in %(year)s.") % {"year": facts.when},
        sentence=lambda: (
            _(
                "Activities for carers held in %(year)s: %(held)s; of them with at least one evaluation: "
                "%(evaluated)s (%(share)s)."
            )
            % {"year": facts.when, "held": held, "evaluated": evaluated, "share": percent(100 * evaluated / held)}
        ),
        yes_from=EVALUATED_SHARE_FOR_YES,
        partly_from=None,
    )


def auto_outside_daytime(facts: UnitFacts) -> Suggestion:
    held, outside = facts.sessions_held, facts.sessions_outside_daytime
    return _share_suggestion(
        outside,
        held,
        empty=_("No session for carers was held in %(year)s.") % {"year": facts.when},
        sentence=lambda: (
            _(
                "Sessions for carers held in %(year)s: %(held)s; of them in the evening or at a weekend: "
                "%(outside)s (%(share)s)."
            )
            % {"year": facts.when, "held": held, "outside": outside, "share": percent(100 * outside / held)}
        ),
        yes_from=OUTSIDE_DAYTIME_SHARE_FOR_YES,
        partly_from=None,
    )


def auto_partners(facts: UnitFacts) -> Suggestion:
    covered = [str(label) for code, (label, _kinds) in PARTNER_SECTORS.items() if code in facts.partner_sectors]
    sentence = _("Partners in the directory now: %(n)s, covering %(covered)s of the three sectors (%(sectors)s).") % {
        "n": facts.partners,
        "covered": len(covered),
        "sectors": ", ".join(covered) or "–",
    }
    if len(covered) == len(PARTNER_SECTORS):
        answer = IndicatorAnswer.YES
    else:
        answer = IndicatorAnswer.PARTLY if facts.partners else IndicatorAnswer.NO
    thresholds = _("Yes when all three sectors are covered; partly if there is at least one partner.")
    return Suggestion(answer, _with(sentence, thresholds))


def auto_referrals(facts: UnitFacts) -> Suggestion:
    sentence = _("Referrals to partners recorded in %(year)s: %(n)s.") % {"year": facts.when, "n": facts.referrals}
    return _count_suggestion(facts.referrals, sentence, REFERRALS_FOR_YES)


def auto_co_organised(facts: UnitFacts) -> Suggestion:
    n = facts.activities_co_organised
    sentence = _("Activities held in %(year)s with a co-organiser: %(n)s.") % {"year": facts.when, "n": n}
    return Suggestion(_by_count(n, CO_ORGANISED_FOR_YES), _with(sentence, _count_thresholds(CO_ORGANISED_FOR_YES)))


def auto_children(facts: UnitFacts) -> Suggestion:
    yes, answered = facts.children_yes, facts.children_answered
    return _share_suggestion(
        yes,
        answered,
        empty=_("No talk in %(year)s has the question answered.") % {"year": facts.when},
        sentence=lambda: (
            _(
                "Talks in %(year)s where the question was relevant: %(answered)s; of them where it was asked: "
                "%(yes)s (%(share)s)."
            )
            % facts.question(yes=yes, answered=answered, share=facts.children_share)
        ),
        yes_from=CHILDREN_SHARE_FOR_YES,
        partly_from=CHILDREN_SHARE_FOR_PARTLY,
    )
