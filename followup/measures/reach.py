"""The measures of reach and equality, children as carers, referrals and outcomes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contacts.models import AgeBand, Gender, Partner, TargetGroup
from contacts.rollups import REFERRAL_PARTNER_TYPE, TALK_AGE_BAND
from followup.measures import sources as src
from followup.measures.base import CountUnit, Measure, Section, categories

S = Section
U = CountUnit

REACH: tuple[Measure, ...] = (  # Reach: the carers with an individual talk in the period
    Measure(
        "carers_reached",
        "carers",
        _("Carers reached"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: sources.reach.carers,
        headline=True,
    ),
    Measure(
        "carers_reached_under_18",
        "under_18",
        _("Carers under 18"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: sources.reach.under_18,
        part_of="carers_reached",
    ),
    Measure(
        "carers_reached_no_municipal_contact",
        "no_municipal_contact",
        _("Närstående without municipal contact"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: sources.reach.no_municipal_contact,
        part_of="carers_reached",
    ),
    Measure(
        "carers_reached_by_age_band",
        "age_band",
        _("Age band"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: sources.reach.age_band,
        categories=categories(AgeBand),
        total="carers_reached",
    ),
    Measure(
        "carers_reached_by_gender",
        "gender",
        _("Gender"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: sources.reach.gender,
        categories=categories(Gender),
        total="carers_reached",
    ),
    Measure(
        "carers_reached_by_target_group",
        "target_group",
        _("The närstående's target group"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: sources.reach.target_group,
        categories=categories(TargetGroup, blank=True),
        total="carers_reached",
    ),
    # Languages are free text: on the dashboard, never in the national export.
    Measure(
        "carers_reached_by_language",
        "language",
        _("Language"),
        S.REACH,
        U.PEOPLE,
        compute=lambda sources: src.open_cells(sources.reach.language),
        open_categories=True,
        total="carers_reached",
        national=False,
    ),
    # Barn som anhöriga: carers under 18, by the talks (anonymous ones included, by the
    # age band given) and by the carers reached (their birth year, and their under-18 flag).
    Measure(
        "individual_talks_carer_under_18",
        "talks_under_18",
        _("Individual talks with a carer under 18, anonymous talks included"),
        S.CHILDREN,
        U.TALKS,
        compute=src.total(TALK_AGE_BAND, src.UNDER_18),
        same_as=("individual_talks_by_age_band", src.UNDER_18),
        national=False,
    ),
    Measure(
        "carers_reached_under_18_by_birth_year",
        "reached_under_18_by_birth_year",
        _("Carers reached who are under 18 by their birth year"),
        S.CHILDREN,
        U.PEOPLE,
        compute=lambda sources: sources.reach.age_band[src.UNDER_18],
        same_as=("carers_reached_by_age_band", src.UNDER_18),
        national=False,
    ),
    Measure(
        "carers_reached_under_18_by_flag",
        "reached_under_18_by_flag",
        _("Carers reached marked as under 18 on their record"),
        S.CHILDREN,
        U.PEOPLE,
        compute=lambda sources: sources.reach.under_18,
        same_as=("carers_reached_under_18", ""),
        national=False,
    ),
    # Vägvisning: referrals to the partner directory, and by the partner's type of
    # organisation (every partner has one). The total is printed only in the
    # self-assessment's evidence, so it is not a row of its own.
    Measure(
        "referrals",
        "referrals",
        _("Referrals to partners"),
        S.REFERRALS,
        U.REFERRALS,
        compute=src.series_sum(REFERRAL_PARTNER_TYPE),
        dashboard=False,
        national=False,
    ),
    Measure(
        "referrals_by_partner_type",
        "partner_type",
        _("Type of organisation"),
        S.REFERRALS,
        U.REFERRALS,
        compute=src.by_category(REFERRAL_PARTNER_TYPE),
        categories=categories(Partner.OrganisationType),
        total="referrals",
        national=False,
        chart=False,
    ),
    # Outcomes: KASAM (SOC-13) before and after
    Measure(
        "kasam_carers",
        "kasam_n",
        _("KASAM: carers with a before and an after measurement"),
        S.OUTCOMES,
        U.PEOPLE,
        compute=lambda sources: len(sources.kasam_changes),
    ),
    Measure(
        "kasam_mean_change",
        "kasam_mean_change",
        _("KASAM: mean change"),
        S.OUTCOMES,
        U.MEAN,
        compute=src.kasam_mean,
        suppressed=False,
        shown_with="kasam_carers",
    ),
    Measure(
        "kasam_carers_improved",
        "kasam_improved",
        _("KASAM: carers who improved"),
        S.OUTCOMES,
        U.PEOPLE,
        compute=src.kasam_improved,
        part_of="kasam_carers",
    ),
    Measure(
        "kasam_share_improved",
        "kasam_share_improved",
        _("KASAM: share improved (%)"),
        S.OUTCOMES,
        U.PERCENT,
        share_of=("kasam_carers_improved", "kasam_carers"),
        national=False,
    ),
)
