"""What the PDF follow-up report prints (PRODUCT §8): the one context builder.

:func:`report_context` serves the Celery task and the ``followup_report`` command (both
through :func:`followup.reports.build.report_render`) and any HTML preview; its figures
come from :func:`followup.disclosure.released_figures`, always small-cell suppressed, since
a PDF leaves the system.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Unit
from contacts.policy import exemptions_in_force_during
from followup.assessment.selectors import assessment_summary
from followup.disclosure import released_figures, reusing_releases
from followup.figures import FollowUpFigures, MeasureValue
from followup.measures import Mark
from followup.models import SelfAssessment
from groups.evaluations import evaluation_summary_for_units
from groups.selectors import co_organised_activities


def unit_and_below(unit: Unit) -> list[int]:
    """The unit and every unit under it: a report of an administration covers its units."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(municipality_id=unit.municipality_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [unit.pk]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return sorted(found)


# The figures compared with the previous period and the same period a year before.
COMPARED = (
    "individual_talks",
    "carers_reached",
    "group_talk_sessions",
    "group_talk_participants",
    "respite_carers",
    "education_participants",
    "health_promotion_participants",
)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period as long as [start, end] that ends the day before it starts."""
    return start - (end - start) - dt.timedelta(days=1), start - dt.timedelta(days=1)


def a_year_before(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)


def _count_in_words(item: MeasureValue) -> str | None:
    """A released count as a sentence may say it: the number, "fewer than 5" for a count
    marked small (the one bound that is true of it), or ``None`` when no number may be said:
    a count hidden to protect another ("x") is 5 or more, and "fewer than 5" would be false."""
    if item.value is not None:
        return number_format(item.value, use_l10n=True, force_grouping=True)
    if item.mark == Mark.SMALL:
        return _("fewer than 5")
    return None


def _withheld(counts: list[str]) -> str:
    """The sentence that says which counts a sentence before it leaves out, and why."""
    names = {
        "talks": _("the number of talks"),
        "carers": _("the number of carers"),
        "sessions": _("the number of group talk sessions"),
        "respite": _("the number of carers who got respite"),
    }
    if len(counts) == 1:
        sentence = _("%(what)s is not shown, so that a small count cannot be worked out.") % {"what": names[counts[0]]}
    else:
        sentence = _("%(first)s and %(second)s are not shown, so that a small count cannot be worked out.") % {
            "first": names[counts[0]],
            "second": names[counts[1]],
        }
    return capfirst(sentence)


def _two_counts(forms: tuple[str, str, str], counts: dict[str, str | None], **words: str) -> str:
    """A sentence of two counts; ``forms`` say both, only the first, only the second. A
    count that may not be given is left out, and a sentence after it says so."""
    (first, one), (second, two) = counts.items()
    both, first_only, second_only = forms
    form = {(True, True): both, (True, False): first_only, (False, True): second_only}.get(
        (one is not None, two is not None)
    )
    said = [form % {**words, first: one, second: two}] if form else []
    withheld = [name for name, value in counts.items() if value is None]
    if withheld:
        said.append(_withheld(withheld))
    return " ".join(said)


def _share_in_words(item: MeasureValue) -> str | None:
    """A share as a sentence says it, or ``None`` when it is not shown ("..")."""
    return None if item.value is None else number_format(item.value, use_l10n=True)


def key_figures_in_words(figures: FollowUpFigures, unit: Unit) -> list[str]:
    """The period's key figures as sentences for the report's first page, built from the
    released values only: a count marked small reads "fewer than 5"; a count hidden to
    protect another is left out of its sentence, and a sentence after it says that it is
    not shown; a share that is not shown is not said."""
    value = figures.value
    talks = _two_counts(
        (
            _("%(unit)s had %(talks)s individual support talks with %(carers)s carers in the period."),
            _("%(unit)s had %(talks)s individual support talks in the period."),
            _("%(unit)s had individual support talks with %(carers)s carers in the period."),
        ),
        {"talks": _count_in_words(value("individual_talks")), "carers": _count_in_words(value("carers_reached"))},
        unit=unit.name,
    )
    groups = _two_counts(
        (
            _("%(sessions)s group talk sessions were held, and %(respite)s carers got respite."),
            _("%(sessions)s group talk sessions were held."),
            _("%(respite)s carers got respite."),
        ),
        {
            "sessions": _count_in_words(value("group_talk_sessions")),
            "respite": _count_in_words(value("respite_carers")),
        },
    )
    sentences = [talks]
    anonymous = _share_in_words(value("individual_talks_anonymous_share"))
    if anonymous is not None:
        sentences.append(_("%(share)s %% of the talks were anonymous.") % {"share": anonymous})
    sentences.append(groups)
    informed = _share_in_words(value("informed_right_to_apply_share"))
    if informed is not None:
        sentences.append(
            _("In %(share)s %% of the talks where it was answered, the carer was told of the right to apply.")
            % {"share": informed}
        )
    return [sentence for sentence in sentences if sentence]


def report_context(*, unit: Unit, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Everything the report prints, for ``unit`` (and the units below it) and [start, end];
    each unit tree's release for a period is computed once for the whole report."""
    with reusing_releases():
        return _report_context(unit=unit, start=start, end=end)


def _report_context(*, unit: Unit, start: dt.date, end: dt.date) -> dict[str, Any]:
    below = unit_and_below(unit)
    figures = released_figures(unit_ids=below, start=start, end=end)
    # The same suppressed releases as any output of those periods gives.
    earlier_start, earlier_end = previous_period(start, end)
    earlier = released_figures(unit_ids=below, start=earlier_start, end=earlier_end)
    year_start, year_end = a_year_before(start, end)
    last_year = released_figures(unit_ids=below, start=year_start, end=year_end)
    comparison = [
        {
            "label": figures.value(code).measure.label,
            # Each value as released for its own period: the number or its mark.
            "now": figures.value(code).shown,
            "earlier": earlier.value(code).shown,
            "last_year": last_year.value(code).shown,
        }
        for code in COMPARED
    ]
    # Decisions whose validity overlaps the period, whether or not a talk used them.
    exemptions = (
        exemptions_in_force_during(municipality_ids=[unit.municipality_id], start=start, end=end)
        .prefetch_related("kinds")
        .order_by("valid_from", "reference")
    )
    # The strategic self-assessment of the report's unit, and of the units below it that
    # have one for the year the period ends in.
    year = end.year
    assessed = set(SelfAssessment.objects.filter(unit__in=below, year=year).values_list("unit_id", flat=True))
    assessed_units = [unit, *Unit.objects.filter(pk__in=assessed - {unit.pk}).order_by("name")]
    return {
        # Over the report's own period, so that the PDF shows one SoL 11:6 share, not two.
        "assessment": assessment_summary(units=assessed_units, year=year, suppress_small=True, period=(start, end)),
        "municipality": unit.municipality,
        "unit": unit,
        "start": start,
        "end": end,
        "generated_at": timezone.localtime(),
        "figures": figures,
        "key_figures": key_figures_in_words(figures, unit),
        "evaluations": evaluation_summary_for_units(unit_ids=below, start=start, end=end),
        "co_organised": co_organised_activities(unit_ids=below, start=start, end=end),
        "comparison": comparison,
        "earlier": earlier,
        "last_year": last_year,
        "exemption_decisions": list(exemptions),
    }
