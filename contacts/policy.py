"""The documentation policy: the one place that decides what may, must and must not be
recorded for a kind of support on a date (PRODUCT §2; SoL 2025:400 as SKA reads it,
seed 004 L2083-2118).

Every form and service asks :func:`documentation_rule` and enforces its answer with
:func:`enforce`; database constraints on ``Talk`` back the anonymous case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import DocumentationTier, ExemptionDecision, SupportKind, TimeOfDay


class Requirement(Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class DocumentationRule:
    tier: str
    identity: Requirement
    notes: Requirement
    exemption: ExemptionDecision | None

    @property
    def is_insats(self) -> bool:
        return self.tier in (DocumentationTier.ADVICE, DocumentationTier.INSATS)

    @property
    def anonymous_only(self) -> bool:
        return self.identity is Requirement.FORBIDDEN


def exemption_in_force(*, kind: SupportKind, on: dt.date) -> ExemptionDecision | None:
    """The nämnd's decision covering ``kind`` on ``on``, the most recent if several do."""
    return (
        ExemptionDecision.objects.filter(kinds=kind, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from", "-decided_on")
        .first()
    )


def exemptions_in_force_during(
    *, municipality_ids: Iterable[int], start: dt.date, end: dt.date
) -> QuerySet[ExemptionDecision]:
    """The nämnd's decisions whose validity overlaps [start, end], whether or not a talk used them."""
    return ExemptionDecision.objects.filter(municipality_id__in=list(municipality_ids), valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )


def documentation_rule(*, kind: SupportKind, on: dt.date) -> DocumentationRule:
    tier = kind.tier
    if tier in (DocumentationTier.INFORMATION, DocumentationTier.OPEN_ACTIVITY):
        # Information is not an insats; open activities record that they took place,
        # never anyone's personal circumstances (seed 004 L2092-2098).
        return DocumentationRule(tier, Requirement.FORBIDDEN, Requirement.FORBIDDEN, None)
    exemption = exemption_in_force(kind=kind, on=on)
    if exemption is not None:
        # Särskilda skäl decided by the nämnd: statistics only, no identity, no notes.
        return DocumentationRule(tier, Requirement.FORBIDDEN, Requirement.FORBIDDEN, exemption)
    if tier == DocumentationTier.ADVICE:
        # Rådgivning: no duty to document personal circumstances (L2100-2104).
        return DocumentationRule(tier, Requirement.OPTIONAL, Requirement.OPTIONAL, None)
    # Every other insats is documented (L2106-2109).
    return DocumentationRule(tier, Requirement.REQUIRED, Requirement.OPTIONAL, None)


def enforce(rule: DocumentationRule, *, has_identity: bool, has_notes: bool) -> None:
    """Raise a ValidationError (Swedish messages, keyed by field) when the record breaks the rule."""
    errors: dict[str, str] = {}
    if rule.identity is Requirement.REQUIRED and not has_identity:
        errors["carer"] = _("This kind of support is an insats and is documented with the carer's identity.")
    if rule.identity is Requirement.FORBIDDEN and has_identity:
        if rule.exemption is not None:
            errors["carer"] = _(
                "This kind of support is recorded anonymously under the exemption decision %(reference)s."
            ) % {"reference": rule.exemption.reference}
        else:
            errors["carer"] = _("This kind of support is recorded without personal data.")
    if has_notes and (rule.notes is Requirement.FORBIDDEN or not has_identity):
        errors["bring_up_next_time"] = _("Notes cannot be kept for an anonymous record.")
    if errors:
        raise ValidationError(errors)


def time_of_day(started_at: dt.datetime) -> str:
    """Socialstyrelsen's time-of-day measure, in local time: "helg" all Saturday and
    Sunday; on a weekday "dagtid" from 07:00 to 16:59 and "kväll" the rest, 17:00 to
    06:59 (the night before office hours counts as evening, as outside office hours)."""
    local = timezone.localtime(started_at)
    if local.weekday() >= 5:
        return TimeOfDay.WEEKEND
    if local.hour >= 17 or local.hour < 7:
        return TimeOfDay.EVENING
    return TimeOfDay.DAYTIME


# The kinds a new municipality starts with (PRODUCT §2): code, name, tier, area, for talks.
DEFAULT_SUPPORT_KINDS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("individual_talk", "Enskilt samtal (rådgivning)", DocumentationTier.ADVICE, SupportKind.Area.SUPPORT_TALKS, True),
    ("talk_series", "Samtalsserie", DocumentationTier.INSATS, SupportKind.Area.SUPPORT_TALKS, True),
    (
        "support_group",
        "Stödgrupp (sluten samtalsgrupp)",
        DocumentationTier.INSATS,
        SupportKind.Area.SUPPORT_TALKS,
        False,
    ),
    ("course", "Utbildningsgrupp / kurs", DocumentationTier.INSATS, SupportKind.Area.EDUCATION, False),
    ("respite", "Avlösning", DocumentationTier.INSATS, SupportKind.Area.RESPITE, False),
    ("cafe", "Anhörigcafé / öppen träff", DocumentationTier.OPEN_ACTIVITY, SupportKind.Area.SUPPORT_TALKS, False),
    ("health_activity", "Hälsofrämjande aktivitet", DocumentationTier.OPEN_ACTIVITY, SupportKind.Area.HEALTH, False),
    ("lecture", "Föreläsning / tematräff", DocumentationTier.INFORMATION, SupportKind.Area.EDUCATION, False),
    ("info_meeting", "Informationsträff", DocumentationTier.INFORMATION, SupportKind.Area.EDUCATION, False),
    ("staff_training", "Utbildning för personal", DocumentationTier.INFORMATION, SupportKind.Area.EDUCATION, False),
)
