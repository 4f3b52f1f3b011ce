"""The strategic self-assessment (PRODUCT §8): its indicators as data, the suggestions the
records give, and reading and writing a unit's own answers.

**The indicators are this project's own operationalisation.** Socialstyrelsen (2023c, as
summarised in seed 004 L2981-2988 and L3016-3024) names four follow-up areas for the
strategic work with carer support, and asks for indicators of structure and process as
well as for outcome measures, but it gives areas, not indicators. The indicators below,
their wording and every threshold are ours, drawn from the same source; each names the
lines it comes from. Each is tagged with LOKE's three aspects of quality (L3299-3325):
*struktur* (the conditions: guidelines, staff, resources, training), *process* (how the
work is done: methods, accessibility, how carers are met) and *resultat* (the benefit to
the carer). Carers' participation is graded with Shier's five levels (L7845-7856).

Indicators the records can answer have an ``auto`` function. It returns a suggested
answer and an evidence sentence with the figures, from :class:`UnitFacts`; the figures
that the follow-up dashboard also shows (the SoL 11 kap. 6 § and children shares, the
KASAM outcome) come from :func:`followup.figures.followup_figures`, the one source of
follow-up figures, so a number means the same on both pages. A person's own answer (with
its evidence) overrides the suggestion; both are kept and shown, and the own answer is
the one in force.

Satisfaction ("did you like it?") is deliberately not an indicator: the seed warns that it
is confounded ("gott fika", L2925-2929) and that what is measured attracts the work
("målförskjutning", L2849-2852).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anhorigstod.accounts.models import Unit
from contacts.models import Partner, Referral, TimeOfDay
from contacts.policy import exemptions_in_force_during, time_of_day
from followup.catalogue.questions import ITEMS, QUESTIONS, is_comment
from followup.figures import followup_figures
from followup.models import AssessmentAnswer, CatalogueResponse, FollowUpReport, IndicatorAnswer, SelfAssessment
from groups.evaluations import SUPPRESSION_LIMIT, suppress
from groups.models import Activity, ActivityKind, EvaluationResponse
from groups.selectors import held_sessions

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise

# --------------------------------------------------------------------------
# Areas and LOKE aspects
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str
    title: Promise
    source: str


# Socialstyrelsen's four strategic follow-up areas, in the report's order (seed 004 L3016-3024).
KUNSKAP = Area("kunskap", gettext_lazy("Knowledge of the carer perspective in the organisation"), "L3016-3017")
STYRNING = Area("styrning", gettext_lazy("The carer perspective in governance and management"), "L3019")
DELAKTIGHET = Area(
    "delaktighet",
    gettext_lazy("The carer perspective in carers' support for their own part and their participation in services"),
    "L3021-3022",
)
SAMORDNING = Area("samordning", gettext_lazy("The carer perspective in continuity and coordination"), "L3024")
AREAS: tuple[Area, ...] = (KUNSKAP, STYRNING, DELAKTIGHET, SAMORDNING)


@dataclass(frozen=True)
class Loke:
    code: str
    label: Promise
    description: Promise


# LOKE's aspects of quality (seed 004 L3316-3325).
STRUKTUR = Loke(
    "struktur",
    gettext_lazy("Structure"),
    gettext_lazy("The conditions for good support: guidelines, staff, material resources, training."),
)
PROCESS = Loke(
    "process",
    gettext_lazy("Process"),
    gettext_lazy("The support itself: methods, ways of working, accessibility, how carers are met."),
)
RESULTAT = Loke(
    "resultat",
    gettext_lazy("Result"),
    gettext_lazy("The benefit to the carer who receives the support."),
)
LOKE: tuple[Loke, ...] = (STRUKTUR, PROCESS, RESULTAT)


# --------------------------------------------------------------------------
# What the records say about a unit and year
# --------------------------------------------------------------------------

# The three sectors a partner directory should reach (seed 004 L7006-7043, L6151-6199);
# helplines, funds and private providers belong to none of them.
PARTNER_SECTORS: dict[str, tuple[Promise, frozenset[str]]] = {
    "health_care": (
        gettext_lazy("health care"),
        frozenset(
            {
                Partner.OrganisationType.SOMATIC_CARE,
                Partner.OrganisationType.PSYCHIATRY,
                Partner.OrganisationType.PRIMARY_CARE,
            }
        ),
    ),
    "authorities": (
        gettext_lazy("the municipality and other authorities"),
        frozenset(
            {
                Partner.OrganisationType.OTHER_ADMINISTRATION,
                Partner.OrganisationType.FORSAKRINGSKASSAN,
                Partner.OrganisationType.ARBETSFORMEDLINGEN,
            }
        ),
    ),
    "civil_society": (
        gettext_lazy("civil society"),
        frozenset(
            {
                Partner.OrganisationType.CARER_ASSOCIATION,
                Partner.OrganisationType.PATIENT_ASSOCIATION,
                Partner.OrganisationType.FAITH,
                Partner.OrganisationType.STUDY_ASSOCIATION,
                Partner.OrganisationType.AID_ORGANISATION,
                Partner.OrganisationType.OTHER_ASSOCIATION,
            }
        ),
    ),
}


@dataclass
class UnitFacts:
    """The figures the suggestions rest on, for one unit and year.

    Activity figures count held sessions (scheduled, not cancelled) that started from
    1 January up to today or the year's end, as the dashboard does.
    """

    year: int
    # What the period-based figures cover, as the sentences say it: the year, or a
    # report's own period when the self-assessment is printed in its PDF.
    when: str = ""
    # From followup_figures (the one source): talks where the question was answered yes / yes or no.
    informed_yes: int = 0
    informed_answered: int = 0
    children_yes: int = 0
    children_answered: int = 0
    # Carers measured with KASAM before and after support (the "after" in the year), and how many rose.
    kasam_carers: int = 0
    kasam_improved: int = 0
    # Held sessions of activities that train staff in the carer perspective.
    staff_training_sessions: int = 0
    # Activities for carers (staff training not counted) with a held session; how many got an evaluation.
    activities_held: int = 0
    activities_evaluated: int = 0
    # Held sessions of activities for carers, and how many began in the evening or at a weekend.
    sessions_held: int = 0
    sessions_outside_daytime: int = 0
    # Activities with a held session that name a co-organiser.
    activities_co_organised: int = 0
    catalogue_questions_answered: int = 0
    exemption_references: list[str] = field(default_factory=list)
    reports_done: int = 0
    partners: int = 0
    partner_sectors: set[str] = field(default_factory=set)
    referrals: int = 0
    # Counts about people (talks, carers, referrals) are shown as "<5" below 5.
    suppress_small: bool = False

    def count(self, n: int) -> str:
        """A count about people, for an evidence sentence."""
        if self.suppress_small and suppress(n) is None:
            return "<5"
        return str(n)

    def counts(self, *, yes: int, answered: int) -> dict[str, Any]:
        """The period, ``answered``, ``yes`` and their share, for a talk question's sentence."""
        return {
            "year": self.when,
            "answered": self.count(answered),
            "yes": self.count(yes),
            "share": self.share(yes, answered),
        }

    def __post_init__(self) -> None:
        self.when = self.when or str(self.year)

    def share(self, part: int, whole: int) -> str:
        """``part`` of ``whole`` as a percentage, shown only with both of its counts."""
        if not whole or (self.suppress_small and (suppress(part) is None or suppress(whole) is None)):
            return "–"
        return percent(100 * part / whole)


def percent(value: float) -> str:
    # Localised: "80,0 %" in Swedish.
    return f"{formats.number_format(round(value, 1), decimal_pos=1)} %"


def threshold_percent(value: int) -> str:
    return f"{value} %"


def assessment_period(year: int) -> tuple[dt.date, dt.date]:
    """1 January to 31 December of ``year``, or to today while the year is running."""
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), timezone.localdate())


def assessment_facts(
    *,
    units: Iterable[Unit],
    year: int,
    suppress_small: bool = False,
    period: tuple[dt.date, dt.date] | None = None,
) -> dict[int, UnitFacts]:
    """:class:`UnitFacts` for each of ``units`` (unit pk -> facts) in ``year``; the talk,
    session and referral figures over ``period`` when given (a report's own period, so a
    PDF never shows two SoL 11:6 shares), else over the year so far.

    The caller scopes ``units`` to the user. Eight grouped queries serve every unit, plus
    one :func:`followup_figures` call per unit (its fixed number of queries).
    """
    units = list(units)
    unit_ids = [unit.pk for unit in units]
    start, end = period or assessment_period(year)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    when = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}" if period else str(year)
    facts = {pk: UnitFacts(year=year, when=when, suppress_small=suppress_small) for pk in unit_ids}
    if not units:
        return facts

    for unit in units:
        figures = followup_figures(unit_ids=[unit.pk], start=start, end=end)
        legal, outcomes, unit_facts = figures["legal"], figures["outcomes"], facts[unit.pk]
        unit_facts.informed_yes, unit_facts.informed_answered = legal["informed_yes"], legal["informed_answered"]
        unit_facts.children_yes, unit_facts.children_answered = legal["children_yes"], legal["children_answered"]
        unit_facts.kasam_carers, unit_facts.kasam_improved = outcomes["kasam_n"], outcomes["kasam_improved"]

    # Held sessions, as the dashboard counts them.
    sessions = held_sessions(unit_ids=unit_ids, start=start, end=end).values_list(
        "activity_id", "activity__unit_id", "activity__kind", "starts_at"
    )
    held: dict[int, set[int]] = defaultdict(set)  # unit -> activities for carers
    held_any: dict[int, set[int]] = defaultdict(set)  # unit -> every activity
    for activity_id, unit_id, kind, starts_at in sessions:
        unit_facts = facts[unit_id]
        held_any[unit_id].add(activity_id)
        if kind == ActivityKind.STAFF_TRAINING:
            unit_facts.staff_training_sessions += 1
            continue
        held[unit_id].add(activity_id)
        unit_facts.sessions_held += 1
        # Socialstyrelsen's time-of-day rule, the one the talks use (contacts.policy).
        if time_of_day(starts_at) != TimeOfDay.DAYTIME:
            unit_facts.sessions_outside_daytime += 1
    evaluated = set(
        EvaluationResponse.objects.filter(
            activity__unit_id__in=unit_ids, month__gte=year_start, month__lte=year_end
        ).values_list("activity_id", flat=True)
    )
    co_organised = set(
        Activity.co_organisers.through.objects.filter(activity__unit_id__in=unit_ids).values_list(
            "activity_id", flat=True
        )
    )
    for unit_id, unit_facts in facts.items():
        unit_facts.activities_held = len(held[unit_id])
        unit_facts.activities_evaluated = len(held[unit_id] & evaluated)
        unit_facts.activities_co_organised = len(held_any[unit_id] & co_organised)

    answered_questions: dict[int, set[str]] = defaultdict(set)
    for unit_id, code, answer, text in CatalogueResponse.objects.filter(
        catalogue__unit_id__in=unit_ids, catalogue__year=year
    ).values_list("catalogue__unit_id", "item_code", "answer", "text"):
        # A comment alone does not answer a question.
        if code in ITEMS and not is_comment(code) and (answer or text):
            answered_questions[unit_id].add(str(ITEMS[code][0].number))
    for unit_id, numbers in answered_questions.items():
        facts[unit_id].catalogue_questions_answered = len(numbers)

    by_municipality: dict[int, list[str]] = defaultdict(list)
    for municipality_id, board, reference in (
        exemptions_in_force_during(
            municipality_ids={unit.municipality_id for unit in units}, start=year_start, end=year_end
        )
        .order_by("valid_from", "reference")
        .values_list("municipality_id", "board", "reference")
    ):
        by_municipality[municipality_id].append(f"{board} {reference}")
    for unit in units:
        facts[unit.pk].exemption_references = by_municipality[unit.municipality_id]

    for unit_id, n in (
        FollowUpReport.objects.filter(
            unit_id__in=unit_ids, status=FollowUpReport.Status.DONE, start__lte=year_end, end__gte=year_start
        )
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        facts[unit_id].reports_done = n

    sector_of = {kind: sector for sector, (_label, kinds) in PARTNER_SECTORS.items() for kind in kinds}
    for unit_id, organisation_type, n in (
        Partner.objects.filter(unit_id__in=unit_ids)
        .values_list("unit_id", "organisation_type")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        facts[unit_id].partners += n
        if organisation_type in sector_of:
            facts[unit_id].partner_sectors.add(sector_of[organisation_type])

    for unit_id, n in (
        Referral.objects.filter(unit_id__in=unit_ids, referred_on__gte=start, referred_on__lte=end)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        facts[unit_id].referrals = n
    return facts


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
# Fewer carers than the small-cell limit are too few to judge an outcome on.
KASAM_CARERS_TO_JUDGE = SUPPRESSION_LIMIT
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
    part: int, whole: int, *, empty: str, sentence: Callable[[], str], yes_from: int, partly_from: int | None
) -> Suggestion:
    """An answer from ``part`` of ``whole``: none when ``whole`` is 0 (``empty`` says why).

    With ``partly_from`` None, any ``part`` above 0 and under ``yes_from`` is "partly"."""
    if not whole:
        return Suggestion("", empty)
    if partly_from is None:
        answer = _by_share(part, whole, yes_from, 0) if part else IndicatorAnswer.NO
        thresholds = _count_thresholds(threshold_percent(yes_from))
    else:
        answer = _by_share(part, whole, yes_from, partly_from)
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
            % facts.counts(yes=yes, answered=answered)
        ),
        yes_from=INFORMED_SHARE_FOR_YES,
        partly_from=INFORMED_SHARE_FOR_PARTLY,
    )


def auto_kasam_measured(facts: UnitFacts) -> Suggestion:
    n = facts.kasam_carers
    sentence = _("Carers measured with KASAM before and after support, the after measurement in %(year)s: %(n)s.") % {
        "year": facts.when,
        "n": facts.count(n),
    }
    return Suggestion(_by_count(n, KASAM_CARERS_FOR_YES), _with(sentence, _count_thresholds(KASAM_CARERS_FOR_YES)))


def auto_kasam_improved(facts: UnitFacts) -> Suggestion:
    n, improved = facts.kasam_carers, facts.kasam_improved
    if n < KASAM_CARERS_TO_JUDGE:
        return Suggestion(
            "",
            _("Carers measured before and after: %(n)s, too few to judge (at least %(needed)s are needed).")
            % {"n": facts.count(n), "needed": KASAM_CARERS_TO_JUDGE},
        )
    sentence = _(
        "Carers measured before and after: %(n)s; of them with a higher KASAM afterwards: %(improved)s (%(share)s)."
    ) % {"n": facts.count(n), "improved": facts.count(improved), "share": facts.share(improved, n)}
    return Suggestion(
        _by_share(improved, n, KASAM_IMPROVED_SHARE_FOR_YES, KASAM_IMPROVED_SHARE_FOR_PARTLY),
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
    n = facts.referrals
    sentence = _("Referrals to partners recorded in %(year)s: %(n)s.") % {"year": facts.when, "n": facts.count(n)}
    return Suggestion(_by_count(n, REFERRALS_FOR_YES), _with(sentence, _count_thresholds(REFERRALS_FOR_YES)))


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
            % facts.counts(yes=yes, answered=answered)
        ),
        yes_from=CHILDREN_SHARE_FOR_YES,
        partly_from=CHILDREN_SHARE_FOR_PARTLY,
    )


# --------------------------------------------------------------------------
# The indicators
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    area: Area
    loke: Loke
    text: Promise
    # What counts as evidence (and, for an automatic indicator, what the suggestion counts).
    help_text: Promise
    # Where in seed 004 the indicator comes from (shared/seeds/004_*.txt line numbers).
    source: str
    auto: Callable[[UnitFacts], Suggestion] | None = None


INDICATORS: tuple[Indicator, ...] = (
    # --- Kunskap om anhörigperspektivet (L3016-3017: "samlar mått om kunskapsnivån") ---
    Indicator(
        "kunskap.1",
        KUNSKAP,
        STRUKTUR,
        gettext_lazy(
            "There is a plan for informing and training staff in the carer perspective this year, for example a "
            "yearly plan of visits to workplace meetings (APT)."
        ),
        gettext_lazy("Evidence: the plan or where it is kept, which services it covers and who decided it."),
        "L6676-6678, L8879-8888",
    ),
    Indicator(
        "kunskap.2",
        KUNSKAP,
        PROCESS,
        gettext_lazy("Staff groups were trained or informed about the carer perspective during the year."),
        gettext_lazy(
            "Suggested from the held sessions of activities that train staff. Evidence: which staff groups, "
            "and how many took part."
        ),
        "L2930-2934, L6420-6422",
        auto_staff_training,
    ),
    Indicator(
        "kunskap.3",
        KUNSKAP,
        STRUKTUR,
        gettext_lazy("New unit managers and key persons are introduced to the carer perspective."),
        gettext_lazy("Evidence: the introduction programme, and how many new managers got it this year."),
        "L8884-8887, L6420-6422",
    ),
    Indicator(
        "kunskap.4",
        KUNSKAP,
        STRUKTUR,
        gettext_lazy(
            "There are carer representatives (anhörigombud) in the services, trained and followed up by the "
            "carer consultant."
        ),
        gettext_lazy("Evidence: how many representatives, in which services, and when they last met."),
        "L6415-6420",
    ),
    Indicator(
        "kunskap.5",
        KUNSKAP,
        RESULTAT,
        gettext_lazy(
            "Staff's knowledge of the carer perspective has been measured, for example with a survey or after a "
            "training, and is good or rising."
        ),
        gettext_lazy("Evidence: what was measured, when, how many answered and the result."),
        "L3016-3017, L2983-2988",
    ),
    # --- Anhörigperspektivet i styrning och ledning (L3019) ---
    Indicator(
        "styrning.1",
        STYRNING,
        STRUKTUR,
        gettext_lazy(
            "The carer consultant's mission and mandate for operative and strategic work are written down and "
            "decided by the management."
        ),
        gettext_lazy(
            "Evidence: the document (for example a role description or basic mission), its date and who decided it."
        ),
        "L8890-8891, L7674-7693, L9031-9058",
    ),
    Indicator(
        "styrning.2",
        STYRNING,
        STRUKTUR,
        gettext_lazy(
            "The carer perspective is written into the municipality's guidelines and routines for the services, "
            "and followed up."
        ),
        gettext_lazy("Evidence: which guidelines and routines, and when they were last followed up."),
        "L8879-8888",
    ),
    Indicator(
        "styrning.3",
        STYRNING,
        STRUKTUR,
        gettext_lazy(
            "The unit's support catalogue for the year is filled in (questions 1–14 of the 2019 national survey)."
        ),
        gettext_lazy("Suggested from the support catalogue: how many of its questions are answered."),
        "L2722-2731; seed 001 L4751-5100",
        auto_catalogue,
    ),
    Indicator(
        "styrning.4",
        STYRNING,
        STRUKTUR,
        gettext_lazy(
            "The nämnd has taken a position on exemptions from the duty to document (SoL 2025:400), and its "
            "decisions are recorded."
        ),
        gettext_lazy(
            "Suggested from the exemption decisions recorded for the municipality. If the nämnd has decided not "
            "to make exemptions, answer yourself and give the decision's reference."
        ),
        "L2083-2087, L2106-2109",
        auto_exemptions,
    ),
    Indicator(
        "styrning.5",
        STYRNING,
        PROCESS,
        gettext_lazy("The support to carers is followed up in a report to the management at least once a year."),
        gettext_lazy(
            "Suggested from the follow-up reports made for the unit. Evidence: whom the report went to and what "
            "was decided."
        ),
        "L2722-2731, L8936-8947",
        auto_reports,
    ),
    # Carers' influence on how the support is governed and shaped.
    Indicator(
        "styrning.6",
        STYRNING,
        PROCESS,
        gettext_lazy(
            "Carers take part in shaping the support: their views are gathered (for example in a carers' council "
            "or a carer survey) and taken into account, and some activities are proposed or led by carers."
        ),
        gettext_lazy(
            "Evidence: how views are gathered and what came of them, with the highest of Shier's levels reached: "
            "1 carers are listened to, 2 they are supported in expressing their views, 3 their views are taken "
            "into account, 4 they are involved in decision-making, 5 they share power and responsibility for "
            "decisions. Answer yes from level 3, partly at levels 1–2."
        ),
        "L7845-7856, L1714-1716, L2939-2941, L8986-8994",
    ),
    # --- Anhörigas stöd för egen del och delaktighet i utförande av insatser (L3021-3022) ---
    Indicator(
        "delaktighet.1",
        DELAKTIGHET,
        PROCESS,
        gettext_lazy("Carers are told that they may apply for support for their own part (SoL 11 kap. 6 §)."),
        gettext_lazy(
            "Suggested from the talks of the year: the share where the information was given, of the talks "
            "where the question was answered."
        ),
        "L2116-2118, L6176-6182",
        auto_informed,
    ),
    Indicator(
        "delaktighet.2",
        DELAKTIGHET,
        PROCESS,
        gettext_lazy("Carers' sense of coherence (KASAM) is measured before and after support."),
        gettext_lazy(
            "Suggested from the KASAM (SOC-13) measurements: carers measured before and after support, the "
            "after measurement during the year."
        ),
        "L2941-2947, L3368-3381",
        auto_kasam_measured,
    ),
    Indicator(
        "delaktighet.3",
        DELAKTIGHET,
        RESULTAT,
        gettext_lazy("At least half of the carers measured before and after support have a higher KASAM afterwards."),
        gettext_lazy(
            "Suggested from the same measurements. KASAM is one sign of benefit, not all of it: beware of "
            "working towards the measure."
        ),
        "L3368-3381, L7568-7572, L2849-2852",
        auto_kasam_improved,
    ),
    Indicator(
        "delaktighet.4",
        DELAKTIGHET,
        PROCESS,
        gettext_lazy("Carers evaluate the activities they take part in."),
        gettext_lazy(
            "Suggested from the anonymous evaluations: the share of the year's activities for carers that got "
            "at least one evaluation."
        ),
        "L2925-2929, L7568-7572",
        auto_evaluations,
    ),
    Indicator(
        "delaktighet.5",
        DELAKTIGHET,
        PROCESS,
        gettext_lazy(
            "Activities for carers are held in the evening or at weekends too, so that carers who work can take part."
        ),
        gettext_lazy(
            "Suggested from the sessions held during the year (training for staff not counted): the share that "
            "began in the evening (from 17:00) or at a weekend."
        ),
        "L6402-6408, L5170-5172, L3043-3045",
        auto_outside_daytime,
    ),
    # Delaktighet i utförande av insatser: the carer's part in the närstående's care, as the
    # 2019 survey's questions 13-14 ask it (seed 001 L5064-5096, where a routine is "written,
    # fixed at management level and applied systematically").
    Indicator(
        "delaktighet.6",
        DELAKTIGHET,
        STRUKTUR,
        gettext_lazy(
            "There are routines, applied systematically, for the carer's involvement in the närstående's care: "
            "asking the närstående's consent to it, finding out whether the carer wants to be involved, and "
            "involving the carer in the needs assessment, the coordinated individual plan (SIP) and the "
            "implementation plan (genomförandeplan)."
        ),
        gettext_lazy(
            "Evidence: the routines and who decided them (compare questions 13 and 14 of the support catalogue). "
            "Answer yes when all five are in place, partly when some are."
        ),
        "L2233-2240, L4705-4712, L6250-6262, L6359-6365",
    ),
    # --- Kontinuitet och samordning (L3024) ---
    Indicator(
        "samordning.1",
        SAMORDNING,
        STRUKTUR,
        gettext_lazy(
            "The unit keeps a directory of partners covering health care, the municipality and other "
            "authorities, and civil society."
        ),
        gettext_lazy("Suggested from the partner directory as it is now: which of the three sectors it covers."),
        "L6151-6199, L7006-7043",
        auto_partners,
    ),
    Indicator(
        "samordning.2",
        SAMORDNING,
        PROCESS,
        gettext_lazy("Carers are referred on to partners, and the referrals are recorded."),
        gettext_lazy("Suggested from the referrals recorded during the year, respite included."),
        "L6151-6199, L1312-1314, L4064-4067",
        auto_referrals,
    ),
    Indicator(
        "samordning.3",
        SAMORDNING,
        PROCESS,
        gettext_lazy(
            "Activities are organised together with partners, for example associations, study associations or "
            "the region."
        ),
        gettext_lazy("Suggested from the activities held during the year that name a co-organiser."),
        "L6994-7000, L7006-7043, L6400-6408",
        auto_co_organised,
    ),
    Indicator(
        "samordning.4",
        SAMORDNING,
        PROCESS,
        gettext_lazy(
            "Carers are asked whether there are children in their network, so that the children can get support "
            "of their own."
        ),
        gettext_lazy(
            "Suggested from the talks of the year: the share where the question was asked, of the talks where "
            "it was relevant."
        ),
        "L3937-3942, L2295-2306",
        auto_children,
    ),
    Indicator(
        "samordning.5",
        SAMORDNING,
        STRUKTUR,
        gettext_lazy(
            "There are routines for carers' participation in coordinated individual plans (SIP) and in planning "
            "the närstående's services."
        ),
        gettext_lazy(
            "Evidence: the routines, and whether they are applied systematically (compare question 14 of the "
            "support catalogue)."
        ),
        "L6256-6291",
    ),
    Indicator(
        "samordning.6",
        SAMORDNING,
        RESULTAT,
        gettext_lazy("Carers say that they know whom to turn to and that the support hangs together, also over time."),
        gettext_lazy(
            "Evidence: the source (for example a carer survey or the carers' council), when it was asked, how "
            "many answered and what they said."
        ),
        "L6567-6581, L8852-8858",
    ),
)

INDICATORS_BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


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
    Counts about people in the evidence are shown as "<5" with ``suppress_small``.

    Queries: two for the saved answers and those of :func:`assessment_facts`; none grows
    with the records.
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


@transaction.atomic
def assessment_save(*, unit: Unit, year: int, answers: Mapping[str, tuple[str, str]], user: Any) -> SelfAssessment:
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
