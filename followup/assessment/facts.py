"""What the records say about a unit and year, for the self-assessment's suggestions
(:mod:`followup.assessment.suggestions`): :class:`UnitFacts` and :func:`assessment_facts`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from anhorigstod.accounts.models import Unit
from contacts.models import Partner, Referral, TimeOfDay
from contacts.policy import exemptions_in_force_during, time_of_day
from followup.catalogue.questions import ITEMS, is_comment
from followup.figures import followup_figures
from followup.models import CatalogueResponse, FollowUpReport
from groups.evaluations import suppress
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
