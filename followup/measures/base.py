"""What a follow-up measure is: its declaration (:class:`Measure`) and the values it takes.

A measure is declared once (:mod:`followup.measures.declarations`), and the declaration is
the single source of everything about it:

- ``compute``: how its value is computed from what the follow-up reads
  (:class:`followup.measures.sources.Sources`: the counts of the typed series that the
  writing apps declare, such as ``contacts.rollups.TALK_GENDER``, never a string);
- its relations to other measures, from which :mod:`followup.disclosure` derives every
  subtraction it must defend: ``total`` (a distribution's categories add up to that
  count), ``part_of`` (a count is part of that total, the rest unpublished),
  ``same_as`` (the same count under another name), ``group_total`` (categories
  ``"a|b"`` add up to the category ``a`` of that measure), and the derived values
  ``share_of`` (a percentage) and ``shown_with`` (a mean or sum shown only with a count);
- ``additive``: the count of several units is the sum of theirs (false for distinct
  people who may be counted in two units);
- its unit of count, whether it is suppressed, whether it is a headline figure (which
  complementary suppression avoids hiding), and its label and section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from followup.measures.sources import Sources
from followup.measures.values import NOT_GIVEN, NOT_GIVEN_CODE, Computed, Label

Compute = Callable[[Sources], Computed]


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
    # Tables shown apart from the sections: the trend, the workload, the exemptions.
    TABLES = "tables", _("Tables")


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
    label: Label


def categories(choices: type[models.TextChoices], *, blank: bool = False) -> tuple[Category, ...]:
    found = tuple(Category(value, label) for value, label in choices.choices)
    return (*found, Category(NOT_GIVEN_CODE, NOT_GIVEN)) if blank else found


YES_NO = (Category("yes", _("Yes")), Category("no", _("No")))


def _nothing(_sources: Sources) -> Computed:
    return None


@dataclass(frozen=True)
class Measure:
    """One follow-up measure (see the module docstring).

    ``code`` is stable (the national export's ``measure`` column); ``key`` names it within
    its section (``figures["respite"]["hours"]``). ``suppressed``: a count under 5 is
    hidden: counts of people, talks, attendances and referrals, never the number of
    sessions held or hours given, which say nothing about a person. A distribution has
    ``categories`` (or ``open_categories``: found in the data). ``dashboard``/``national``:
    where it is shown; ``chart``: a distribution is drawn beside its table.
    """

    code: str
    key: str
    label: Label
    section: Section
    unit: CountUnit
    compute: Compute = _nothing
    suppressed: bool = True
    headline: bool = False
    categories: tuple[Category, ...] = ()
    open_categories: bool = False
    total: str = ""
    part_of: str = ""
    same_as: tuple[str, str] = ("", "")
    group_total: str = ""
    shown_with: str = ""
    share_of: tuple[str, str] = ("", "")
    additive: bool = True
    dashboard: bool = True
    national: bool = True
    chart: bool = True

    @property
    def is_distribution(self) -> bool:
        return bool(self.categories) or self.open_categories

    @property
    def is_count(self) -> bool:
        """A count, not a share, mean or sum built on counts."""
        return self.unit not in (CountUnit.PERCENT, CountUnit.MEAN, CountUnit.HOURS)

    @property
    def is_share(self) -> bool:
        return bool(self.share_of[0])

    @property
    def is_derived(self) -> bool:
        """A share, or a value shown only with a count: computed after the counts."""
        return self.is_share or bool(self.shown_with)

    @property
    def counted(self) -> bool:
        """Subject to small-cell suppression (counts of people, talks …)."""
        return self.suppressed and self.is_count
