"""The strategic self-assessment's indicators (PRODUCT §8), as data: the areas, the LOKE
aspects and every indicator with where it comes from.

The rest of the self-assessment: what the records say about a unit and year
(:mod:`followup.assessment.facts`), the suggested answers drawn from it
(:mod:`followup.assessment.suggestions`), the answers in force
(:mod:`followup.assessment.selectors`) and a unit's own answers saved
(:mod:`followup.assessment.services`).

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
answer and an evidence sentence with the figures, from
:class:`~followup.assessment.facts.UnitFacts`; the figures that the follow-up dashboard
also shows (the SoL 11 kap. 6 § and children shares, the KASAM outcome, the referrals)
come from :func:`followup.figures.followup_figures`, the one source of follow-up figures,
so a number means the same on both pages; a suppressed output prints them as
:func:`followup.disclosure.released_figures` releases them. A person's own answer (with
its evidence) overrides the suggestion; both are kept and shown, and the own answer is
the one in force.

Satisfaction ("did you like it?") is deliberately not an indicator: the seed warns that it
is confounded ("gott fika", L2925-2929) and that what is measured attracts the work
("målförskjutning", L2849-2852).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from followup.assessment.facts import UnitFacts
from followup.assessment.suggestions import (
    Suggestion,
    auto_catalogue,
    auto_children,
    auto_co_organised,
    auto_evaluations,
    auto_exemptions,
    auto_informed,
    auto_kasam_improved,
    auto_kasam_measured,
    auto_outside_daytime,
    auto_partners,
    auto_referrals,
    auto_reports,
    auto_staff_training,
)

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
