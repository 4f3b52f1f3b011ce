"""The self-assessment's evidence in a suppressed output (issue 16): the PDF report and
the dashboard with "hide counts under 5" print the follow-up figures as
``followup.disclosure`` releases them, a hidden one as its mark, and suggest no answer
judged on a hidden count. Staff reading it unsuppressed see the raw counts as before.

The dataset is ``test_assessment``'s, counted by hand there: unit A in 2025 has 12 talks,
SoL 11 kap. 6 § answered yes or no in 10 (9 yes), "not relevant" in 2; children asked
in 4 of 7; 2 carers measured with KASAM before and after; 4 referrals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import Partner, Referral
from followup.assessment import suggestions as a
from followup.assessment.facts import assessment_facts
from followup.assessment.selectors import assessment_summary
from followup.disclosure import Relation, cells_of, released_figures
from followup.disclosure import relations as disclosure_relations
from followup.reports.context import report_context
from tests.followup.marks import PROTECTS, SMALL, UNAVAILABLE
from tests.followup.test_assessment import (
    PARTLY,
    YEAR,
    YES,
    dataset,  # noqa: F401  (the fixture)
    facts,
)

REPORT_YEAR = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))


def evidence_of(entry: dict[str, Any], code: str) -> Any:
    return next(state for part in entry["areas"] for state in part["indicators"] if state.indicator.code == code)


def test_the_pdfs_evidence_does_not_give_the_hidden_answered_count_away(org, dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The issue's leak: the SoL 11 kap. 6 § table hides "answered yes or no" (10) so that
    the 2 talks answered "not relevant" (12 - 10) cannot be worked out, and the
    self-assessment's evidence in the same PDF printed the 10."""
    context = report_context(unit=org.unit_a, start=REPORT_YEAR[0], end=REPORT_YEAR[1])
    figures = context["figures"]
    assert figures.value("individual_talks").shown == 12
    assert figures.value("informed_right_to_apply_answered").shown == PROTECTS
    # Unit A has no units below it: the PDF's tables and its assessment are the same release.
    assert context["assessment"][0]["unit"] == org.unit_a
    informed = evidence_of(context["assessment"][0], "delaktighet.1")
    when = f"{REPORT_YEAR[0]:%Y-%m-%d} – {REPORT_YEAR[1]:%Y-%m-%d}"
    sentence = gettext(
        "Talks in %(year)s with the question answered: %(answered)s; of them with information about the "
        "right to apply: %(yes)s (%(share)s)."
    )
    # The mark "x", never the number, and not "<5" either: 10 is not a small count.
    assert informed.evidence.startswith(sentence % {"year": when, "answered": "x", "yes": 9, "share": ".."})
    assert "10" not in informed.evidence and "<5" not in informed.evidence
    # "Yes from 90 %" of the hidden count would bound it (at most 10 answered): no answer.
    assert (informed.answer, informed.source) == ("", "")
    # The children's question: 4 of 7 asked. The 4 is small and printed "<5"; the old
    # "partly from 50 %" told the reader it was at least 3.5 of 7, so exactly 4.
    children = evidence_of(context["assessment"][0], "samordning.4")
    assert figures.value("asked_about_children_yes").shown == SMALL
    assert ": <5 (..)." in children.evidence and children.answer == ""
    # The same figures read by staff, unsuppressed, print the counts and judge on them.
    raw = evidence_of(assessment_summary(units=[org.unit_a], year=YEAR)[0], "delaktighet.1")
    assert ": 10;" in raw.evidence and "90,0 %" in raw.evidence and raw.answer == YES


def test_each_figure_is_printed_as_released_and_judged_only_when_shown(org, dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    released = released_figures(unit_ids=[org.unit_a.pk], start=REPORT_YEAR[0], end=REPORT_YEAR[1])
    facts_a = assessment_facts(units=[org.unit_a], year=YEAR, suppress_small=True, period=REPORT_YEAR)[org.unit_a.pk]
    assert (facts_a.informed_yes, facts_a.informed_answered, facts_a.informed_share) == (9, PROTECTS, UNAVAILABLE)
    assert (facts_a.children_yes, facts_a.children_answered, facts_a.children_share) == (SMALL, 7, UNAVAILABLE)
    assert (facts_a.kasam_carers, facts_a.kasam_improved, facts_a.referrals) == (SMALL, SMALL, SMALL)
    for value, code in (
        (facts_a.informed_answered, "informed_right_to_apply_answered"),
        (facts_a.kasam_carers, "kasam_carers"),
        (facts_a.referrals, "referrals"),
    ):
        assert value == released.value(code).shown
    # Sessions and activities are not people: never hidden (4 staff training sessions, 1 of 5 outside daytime).
    assert (facts_a.staff_training_sessions, facts_a.sessions_held, facts_a.sessions_outside_daytime) == (4, 5, 1)
    entry = assessment_summary(units=[org.unit_a], year=YEAR, suppress_small=True, period=REPORT_YEAR)[0]
    # 2 carers measured before and after, marked "<5": too few to judge by the assessment's
    # own rule (5 carers), which the mark establishes without the number.
    kasam = evidence_of(entry, "delaktighet.3")
    assert kasam.evidence.startswith(
        gettext("Carers measured before and after: %(n)s, too few to judge (at least %(needed)s are needed).")
        % {"n": "<5", "needed": a.KASAM_CARERS_TO_JUDGE}
    )
    # A count hidden to protect another is "x" in a sentence too, with no bound.
    protecting = a.auto_kasam_improved(facts(kasam_carers=PROTECTS, kasam_improved=7, kasam_share=UNAVAILABLE))
    assert protecting.answer == "" and ": x;" in protecting.evidence and "<5" not in protecting.evidence
    # 4 referrals, "<5": no answer, where staff read "partly".
    referrals = evidence_of(entry, "samordning.2")
    assert ": <5." in referrals.evidence and referrals.answer == ""
    assert evidence_of(assessment_summary(units=[org.unit_a], year=YEAR)[0], "samordning.2").answer == PARTLY


def test_the_evidence_prints_the_referrals_as_the_declared_total_of_the_pdfs_table(  # type: ignore[no-untyped-def]
    org, casework, consultant_a
) -> None:
    """The referrals the evidence prints are a declared measure, the total of the PDF's
    table by type of organisation, so disclosure defends the subtraction between them."""
    unit = org.unit_a
    health = Partner.objects.create(unit=unit, name="Vårdcentralen Norr", organisation_type="primary_care")
    association = Partner.objects.create(unit=unit, name="Anhörigföreningen", organisation_type="carer_association")
    for n, partner in enumerate([health] * 5 + [association], start=1):
        Referral.objects.create(unit=unit, partner=partner, referred_on=dt.date(YEAR, 3, n), recorded_by=consultant_a)
    rollups_rebuild()  # written past the services
    assert assessment_facts(units=[unit], year=YEAR, period=REPORT_YEAR)[unit.pk].referrals == 6
    context = report_context(unit=unit, start=REPORT_YEAR[0], end=REPORT_YEAR[1])
    figures = context["figures"]
    cells = cells_of(figures)
    table = [key for key in cells if key[0] == "referrals_by_partner_type"]
    assert Relation(("referrals", ""), tuple(table)) in disclosure_relations(cells)
    # 6 - 5 = 1 lies in one of the 14 other types, each marked "<5" (zeros too): the
    # total may be shown, and the evidence prints it as released.
    by_type = figures.value("referrals_by_partner_type")
    assert by_type.cell("primary_care").shown == 5 and by_type.cell("carer_association").shown == SMALL
    assert sum(1 for cell in by_type.cells if cell.shown == SMALL) == len(by_type.cells) - 1
    referrals = evidence_of(context["assessment"][0], "samordning.2")
    assert figures.value("referrals").shown == 6 and ": 6." in referrals.evidence and referrals.answer == YES


def test_the_dashboard_hiding_counts_under_5_prints_the_released_evidence(login_as, org, dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    period = {"unit": org.unit_a.pk, "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    manager = login_as("manager_a")
    hiding = manager.get("/uppfoljning/", {**period, "suppress_small": "on"})
    informed = evidence_of(hiding.context["assessment"][0], "delaktighet.1")
    assert ": x;" in informed.evidence and "10" not in informed.evidence
    # Without the option, for managers: the raw counts, as before.
    showing = manager.get("/uppfoljning/", period)
    assert ": 10;" in evidence_of(showing.context["assessment"][0], "delaktighet.1").evidence
