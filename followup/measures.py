"""The follow-up measures, each declared once (PRODUCT §8).

A :class:`Measure` says what a figure is: its code (stable; the national export's
``measure`` column), its label, the section it is shown in, what it counts (people,
talks, attendances, sessions, hours …) and whether it is a count subject to small-cell
suppression. A distribution has its categories, each with a code and a label. The
dashboard, the PDF report, the CSV/XLSX export and the national export all walk
:data:`MEASURES`; :func:`followup.figures.followup_figures` computes a value for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.models import AgeBand, Gender, Initiator, Partner, TalkFocus, TalkMode, TargetGroup, TimeOfDay

NOT_GIVEN = _("Not given")
# The category of a blank "target group": not a model choice, so it gets a code here.
NOT_GIVEN_CODE = "not_given"


class Section(models.TextChoices):
    RESPITE = "respite", _("Respite")
    SUPPORT_TALKS = "support_talks", _("Support talks")
    EDUCATION = "education", _("Education and information")
    STAFF_EDUCATION = "staff_education", _("Education for staff groups")
    HEALTH = "health", _("Health-promoting activities")
    # SoL 11 kap. 6 § is a duty; asking about children in the network is good practice.
    LEGAL = "legal", _("The right to apply, and children in the carer's network")
    LEGAL_GROUPS = "legal_groups", _("The right to apply, in groups")
    REACH = "reach", _("Reach and equality")
    CHILDREN = "children", _("Children as carers")
    REFERRALS = "referrals", _("Referrals to partners")
    OUTCOMES = "outcomes", _("Outcomes")


class CountUnit(models.TextChoices):
    """What a measure counts."""

    PEOPLE = "people", _("people")
    TALKS = "talks", _("talks")
    ATTENDANCES = "attendances", _("attendances")
    SESSIONS = "sessions", _("sessions")
    REFERRALS = "referrals", _("referrals")
    HOURS = "hours", _("hours")
    PERCENT = "percent", _("per cent")
    MEAN = "mean", _("mean")


@dataclass(frozen=True)
class Category:
    code: str
    label: Any


def categories(choices: Any, *, blank: bool = False) -> tuple[Category, ...]:
    found = tuple(Category(value, label) for value, label in choices.choices)
    return (*found, Category(NOT_GIVEN_CODE, NOT_GIVEN)) if blank else found


YES_NO = (Category("yes", _("Yes")), Category("no", _("No")))


@dataclass(frozen=True)
class Measure:
    """One follow-up measure.

    ``key`` names it within its section (``figures["respite"]["hours"]``). ``suppressed``:
    a count under 5 is hidden: counts of people, talks, attendances and referrals, never
    the number of sessions held or hours given, which say nothing about a person.
    ``shown_with``: a sum or mean shown only when that count is. ``share_of``: a
    percentage of (part, whole), shown only with both. A distribution has ``categories``
    (or ``open_categories``: found in the data, as languages); ``total`` names the count
    each of its items is counted in at most once, ``part_of`` the total a single count is
    a part of. ``dashboard``/``national``: where it is shown.
    """

    code: str
    key: str
    label: Any
    section: Section
    unit: CountUnit
    suppressed: bool = True
    categories: tuple[Category, ...] = ()
    open_categories: bool = False
    total: str = ""
    part_of: str = ""
    shown_with: str = ""
    share_of: tuple[str, str] = ("", "")
    dashboard: bool = True
    national: bool = True
    chart: bool = True  # a distribution drawn as a chart beside its table, or the table alone

    @property
    def is_distribution(self) -> bool:
        return bool(self.categories) or self.open_categories

    @property
    def is_count(self) -> bool:
        """A count, not a share, mean or sum built on counts (hidden shown as "–", not "<5")."""
        return self.unit not in (CountUnit.PERCENT, CountUnit.MEAN, CountUnit.HOURS)

    @property
    def is_share(self) -> bool:
        return bool(self.share_of[0])


S = Section
U = CountUnit

MEASURES: tuple[Measure, ...] = (
    # Avlösning
    Measure("respite_referrals", "referrals", _("Referrals to respite"), S.RESPITE, U.REFERRALS),
    Measure(
        "respite_hours",
        "hours",
        _("Respite hours given"),
        S.RESPITE,
        U.HOURS,
        suppressed=False,
    ),
    Measure("respite_carers", "carers", _("Carers who got respite"), S.RESPITE, U.PEOPLE),
    Measure(
        "respite_arranged_during_sessions",
        "arranged_during_sessions",
        _("Respite arranged during sessions"),
        S.RESPITE,
        U.PEOPLE,
    ),
    # Stödsamtal: individual talks and group talk sessions
    Measure("individual_talks", "talks", _("Individual talks"), S.SUPPORT_TALKS, U.TALKS),
    Measure("individual_talks_carers", "carers", _("Carers reached"), S.SUPPORT_TALKS, U.PEOPLE, national=False),
    Measure(
        "individual_talks_anonymous",
        "anonymous",
        _("Anonymous talks"),
        S.SUPPORT_TALKS,
        U.TALKS,
        part_of="individual_talks",
    ),
    Measure(
        "individual_talks_anonymous_share",
        "anonymous_share",
        _("Share anonymous (%)"),
        S.SUPPORT_TALKS,
        U.PERCENT,
        share_of=("individual_talks_anonymous", "individual_talks"),
        national=False,
    ),
    # Stödsamtal i grupp: sessions of closed talk groups (an open café is not one), their
    # attendances and the distinct people who attended.
    Measure(
        "group_talk_sessions",
        "group_sessions",
        _("Group talk sessions"),
        S.SUPPORT_TALKS,
        U.SESSIONS,
        suppressed=False,
    ),
    Measure(
        "group_talk_participants",
        "group_participants",
        _("Group talk attendances"),
        S.SUPPORT_TALKS,
        U.ATTENDANCES,
    ),
    Measure(
        "group_talk_people",
        "group_people",
        _("Group talk participants (distinct people)"),
        S.SUPPORT_TALKS,
        U.PEOPLE,
        national=False,
    ),
    # Other group meetings whose kind of support is in the area, such as an open
    # anhörigcafé: shown so they are not lost, never counted as talks.
    Measure(
        "support_talks_other_sessions",
        "other_sessions",
        _("Other meetings in the area, e.g. carers' café (not talks)"),
        S.SUPPORT_TALKS,
        U.SESSIONS,
        suppressed=False,
        national=False,
    ),
    Measure(
        "support_talks_other_attendances",
        "other_attendances",
        _("Attendances at other meetings in the area"),
        S.SUPPORT_TALKS,
        U.ATTENDANCES,
        national=False,
    ),
    Measure(
        "individual_talks_by_age_band",
        "age_band",
        _("Age band"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=categories(AgeBand),
        total="individual_talks",
    ),
    Measure(
        "individual_talks_by_gender",
        "gender",
        _("Gender"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=categories(Gender),
        total="individual_talks",
    ),
    Measure(
        "individual_talks_by_target_group",
        "target_group",
        _("The närstående's target group"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=categories(TargetGroup, blank=True),
        total="individual_talks",
    ),
    Measure(
        "individual_talks_by_time_of_day",
        "time_of_day",
        _("Time of day"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=categories(TimeOfDay),
        total="individual_talks",
    ),
    Measure(
        "individual_talks_by_initiator",
        "initiator",
        _("Initiated by"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=categories(Initiator),
        total="individual_talks",
    ),
    Measure(
        "individual_talks_by_mode",
        "mode",
        _("Mode"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=categories(TalkMode),
        total="individual_talks",
    ),
    # A talk may have several focuses: no total.
    Measure(
        "individual_talks_by_focus", "focus", _("Focus"), S.SUPPORT_TALKS, U.TALKS, categories=categories(TalkFocus)
    ),
    Measure(
        "individual_talks_by_structured_material",
        "structured_material",
        _("Structured material used"),
        S.SUPPORT_TALKS,
        U.TALKS,
        categories=YES_NO,
        total="individual_talks",
    ),
    # Utbildning och information for carers and the public (staff groups below)
    Measure("education_sessions", "sessions", _("Sessions"), S.EDUCATION, U.SESSIONS, suppressed=False),
    Measure("education_participants", "participants", _("Participants"), S.EDUCATION, U.ATTENDANCES),
    # Utbildning och information for staff groups (the carer perspective), apart from carers and the public.
    Measure(
        "staff_education_sessions",
        "sessions",
        _("Sessions"),
        S.STAFF_EDUCATION,
        U.SESSIONS,
        suppressed=False,
        national=False,
    ),
    Measure(
        "staff_education_participants",
        "participants",
        _("Participants"),
        S.STAFF_EDUCATION,
        U.ATTENDANCES,
        national=False,
    ),
    # Hälsofrämjande aktiviteter
    Measure("health_promotion_sessions", "sessions", _("Sessions"), S.HEALTH, U.SESSIONS, suppressed=False),
    Measure("health_promotion_participants", "participants", _("Participants"), S.HEALTH, U.ATTENDANCES),
    # SoL 11 kap. 6 § and the children in the carer's network: talks answered yes, yes or
    # no, and the share yes; for the national export, the talks by answer (yes / no).
    Measure(
        "informed_right_to_apply_yes",
        "informed_yes",
        _("Informed about the right to apply for support (SoL 11 kap. 6 §): yes"),
        S.LEGAL,
        U.TALKS,
        national=False,
    ),
    Measure(
        "informed_right_to_apply_answered",
        "informed_answered",
        _("Informed about the right to apply for support (SoL 11 kap. 6 §): answered yes or no"),
        S.LEGAL,
        U.TALKS,
        national=False,
    ),
    Measure(
        "informed_right_to_apply_share",
        "informed_share",
        _("Informed about the right to apply (%)"),
        S.LEGAL,
        U.PERCENT,
        share_of=("informed_right_to_apply_yes", "informed_right_to_apply_answered"),
        national=False,
    ),
    # The same duty where insatser without needs assessment are given in groups: held
    # group sessions where the participants were told (sessions, not people: not hidden).
    Measure(
        "informed_right_to_apply_groups_yes",
        "informed_groups_yes",
        _("Group sessions where the participants were informed about the right to apply: yes"),
        S.LEGAL_GROUPS,
        U.SESSIONS,
        suppressed=False,
        national=False,
    ),
    Measure(
        "informed_right_to_apply_groups_answered",
        "informed_groups_answered",
        _("Group sessions where the question was answered yes or no"),
        S.LEGAL_GROUPS,
        U.SESSIONS,
        suppressed=False,
        national=False,
    ),
    Measure(
        "informed_right_to_apply_groups_share",
        "informed_groups_share",
        _("Group sessions informed about the right to apply (%)"),
        S.LEGAL_GROUPS,
        U.PERCENT,
        share_of=("informed_right_to_apply_groups_yes", "informed_right_to_apply_groups_answered"),
        national=False,
    ),
    Measure(
        "asked_about_children_yes",
        "children_yes",
        _("Asked about children in the carer's network: yes"),
        S.LEGAL,
        U.TALKS,
        national=False,
    ),
    Measure(
        "asked_about_children_answered",
        "children_answered",
        _("Asked about children in the carer's network: answered yes or no"),
        S.LEGAL,
        U.TALKS,
        national=False,
    ),
    Measure(
        "asked_about_children_share",
        "children_share",
        _("Asked about children (%)"),
        S.LEGAL,
        U.PERCENT,
        share_of=("asked_about_children_yes", "asked_about_children_answered"),
        national=False,
    ),
    Measure(
        "individual_talks_by_informed_right_to_apply",
        "informed_by_answer",
        _("Informed about the right to apply"),
        S.LEGAL,
        U.TALKS,
        categories=YES_NO,
        total="informed_right_to_apply_answered",
        dashboard=False,
    ),
    Measure(
        "individual_talks_by_asked_about_children",
        "children_by_answer",
        _("Asked about children"),
        S.LEGAL,
        U.TALKS,
        categories=YES_NO,
        total="asked_about_children_answered",
        dashboard=False,
    ),
    # Reach: the carers with an individual talk in the period
    Measure("carers_reached", "carers", _("Carers reached"), S.REACH, U.PEOPLE),
    Measure("carers_reached_under_18", "under_18", _("Carers under 18"), S.REACH, U.PEOPLE, part_of="carers_reached"),
    Measure(
        "carers_reached_no_municipal_contact",
        "no_municipal_contact",
        _("Närstående without municipal contact"),
        S.REACH,
        U.PEOPLE,
        part_of="carers_reached",
    ),
    Measure(
        "carers_reached_by_age_band",
        "age_band",
        _("Age band"),
        S.REACH,
        U.PEOPLE,
        categories=categories(AgeBand),
        total="carers_reached",
    ),
    Measure(
        "carers_reached_by_gender",
        "gender",
        _("Gender"),
        S.REACH,
        U.PEOPLE,
        categories=categories(Gender),
        total="carers_reached",
    ),
    Measure(
        "carers_reached_by_target_group",
        "target_group",
        _("The närstående's target group"),
        S.REACH,
        U.PEOPLE,
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
        open_categories=True,
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
        national=False,
    ),
    Measure(
        "carers_reached_under_18_by_birth_year",
        "reached_under_18_by_birth_year",
        _("Carers reached who are under 18 by their birth year"),
        S.CHILDREN,
        U.PEOPLE,
        national=False,
    ),
    Measure(
        "carers_reached_under_18_by_flag",
        "reached_under_18_by_flag",
        _("Carers reached marked as under 18 on their record"),
        S.CHILDREN,
        U.PEOPLE,
        national=False,
    ),
    # Vägvisning: referrals to the partner directory, by the partner's type of organisation.
    Measure(
        "referrals_by_partner_type",
        "partner_type",
        _("Type of organisation"),
        S.REFERRALS,
        U.REFERRALS,
        categories=categories(Partner.OrganisationType),
        national=False,
        chart=False,
    ),
    # Outcomes: KASAM (SOC-13) before and after
    Measure("kasam_carers", "kasam_n", _("KASAM: carers with a before and an after measurement"), S.OUTCOMES, U.PEOPLE),
    Measure(
        "kasam_mean_change",
        "kasam_mean_change",
        _("KASAM: mean change"),
        S.OUTCOMES,
        U.MEAN,
        suppressed=False,
        shown_with="kasam_carers",
    ),
    Measure(
        "kasam_carers_improved",
        "kasam_improved",
        _("KASAM: carers who improved"),
        S.OUTCOMES,
        U.PEOPLE,
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
BY_CODE: dict[str, Measure] = {measure.code: measure for measure in MEASURES}
NATIONAL_MEASURES: tuple[Measure, ...] = tuple(measure for measure in MEASURES if measure.national)
