"""What the records say about a unit and year, for the self-assessment's suggestions
(:mod:`followup.assessment.suggestions`): :class:`UnitFacts` and :func:`assessment_facts`.

The follow-up figures among them (the SoL 11 kap. 6 § and children questions, KASAM,
referrals) are read from the follow-up figures, raw for staff, or, for a suppressed
output (the PDF report, the dashboard with "hide counts under 5"), as
:func:`followup.disclosure.released_figures` releases them for the same unit and period:
a hidden figure is then its mark, and nothing here decides what may be shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from anhorigstod.accounts.models import Unit
from contacts.models import Partner, TimeOfDay
from contacts.policy import exemptions_in_force_during, time_of_day
from followup.catalogue.questions import ITEMS, is_comment
from followup.disclosure import released_figures
from followup.figures import FollowUpFigures, followup_figures
from followup.measures import Hidden, Mark, Number
from followup.models import CatalogueResponse, FollowUpReport
from groups.models import Activity, ActivityKind, EvaluationResponse
from groups.selectors import held_sessions

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise

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


# A follow-up figure as the evidence may print it: the number, or, in a suppressed output,
# the mark of why followup.disclosure hides it (it prints as "<5", "x" or "..").
Shown = Number | Hidden
NO_SHARE = Hidden(Mark.UNAVAILABLE)


@dataclass
class UnitFacts:
    """The figures the suggestions rest on, for one unit and year.

    Activity figures count held sessions (scheduled, not cancelled) that started from
    1 January up to today or the year's end, as the dashboard does. Sessions and
    activities say nothing about a person and are never hidden (as the follow-up's
    sessions held are not).
    """

    year: int
    # What the period-based figures cover, as the sentences say it: the year, or a
    # report's own period when the self-assessment is printed in its PDF.
    when: str = ""
    # From the follow-up figures (:meth:`read`), raw or as released for a suppressed output.
    # Talks where the question was answered yes / yes or no, and the share yes.
    informed_yes: Shown = 0
    informed_answered: Shown = 0
    informed_share: Shown = NO_SHARE
    children_yes: Shown = 0
    children_answered: Shown = 0
    children_share: Shown = NO_SHARE
    # Carers measured with KASAM before and after support (the "after" in the period), how
    # many rose, and the share.
    kasam_carers: Shown = 0
    kasam_improved: Shown = 0
    kasam_share: Shown = NO_SHARE
    # Referrals to partners in the period.
    referrals: Shown = 0
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

    def __post_init__(self) -> None:
        self.when = self.when or str(self.year)

    def read(self, figures: FollowUpFigures) -> None:
        """Take the follow-up figures the evidence prints from ``figures``: raw, or as
        released for a suppressed output (a hidden one is its mark)."""

        def shown(code: str) -> Shown:
            return figures.value(code).shown

        self.informed_yes = shown("informed_right_to_apply_yes")
        self.informed_answered = shown("informed_right_to_apply_answered")
        self.informed_share = shown("informed_right_to_apply_share")
        self.children_yes = shown("asked_about_children_yes")
        self.children_answered = shown("asked_about_children_answered")
        self.children_share = shown("asked_about_children_share")
        self.kasam_carers = shown("kasam_carers")
        self.kasam_improved = shown("kasam_carers_improved")
        self.kasam_share = shown("kasam_share_improved")
        self.referrals = shown("referrals")

    def question(self, *, yes: Shown, answered: Shown, share: Shown) -> dict[str, str]:
        """The period, ``answered``, ``yes`` and their share, for a talk question's sentence."""
        return {"year": self.when, "answered": str(answered), "yes": str(yes), "share": shown_percent(share)}


def percent(value: float) -> str:
    # Localised: "80,0 %" in Swedish.
    return f"{formats.number_format(round(value, 1), decimal_pos=1)} %"


def shown_percent(share: Shown) -> str:
    """A share of the follow-up figures as the evidence prints it: "80,0 %", or its mark."""
    return str(share) if isinstance(share, Hidden) else percent(float(share))


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

    With ``suppress_small`` (an output that leaves staff's hands, or the dashboard's "hide
    counts under 5") the follow-up figures are each unit's own as
    :func:`~followup.disclosure.released_figures` releases them for the period, the same
    release every suppressed output of that unit and period shows.

    The caller scopes ``units`` to the user. Seven grouped queries serve every unit, plus
    one figures run per unit (its fixed number of queries).
    """
    units = list(units)
    unit_ids = [unit.pk for unit in units]
    start, end = period or assessment_period(year)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    when = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}" if period else str(year)
    facts = {pk: UnitFacts(year=year, when=when) for pk in unit_ids}
    if not units:
        return facts

    figures_of = released_figures if suppress_small else followup_figures
    for unit in units:
        facts[unit.pk].read(figures_of(unit_ids=[unit.pk], start=start, end=end))

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

    return facts
