"""Writes of the documentation policy's data (PRODUCT §2): the municipality's kinds of
support and their documentation tiers, and the nämnd's exemption decisions (record,
amend, end early, the minutes extract, the reminder before one expires).

Kinds of support belong to the administrator (PRODUCT §1: category lists); a kind's tier
and the exemption decisions to the manager and the administrator. Every change is written
to the access log in the same transaction. The rules that read this data are in
contacts.policy.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Municipality, Role, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.accounts.services import administered_municipalities
from anhorigstod.audit.services import Action, access_log
from anhorigstod.outbox.services import outbox_enqueue
from contacts import policy
from contacts.models import ExemptionDecision, SupportKind, SupportKindTierChange, Talk

logger = logging.getLogger(__name__)


def _require_manager(user: User, municipality: Municipality) -> None:
    reach = unit_ids_for(user, roles={Role.MANAGER, Role.ADMIN})
    if not Unit.objects.filter(municipality=municipality, pk__in=reach).exists():
        raise ValidationError(_("Only a manager or an administrator of the municipality may do this."))


def _require_admin(user: User, municipality_id: int) -> None:
    if not administered_municipalities(user).filter(pk=municipality_id).exists():
        raise ValidationError(_("Only an administrator of the municipality may do this."))


# --- Kinds of support ---------------------------------------------------------------------

# The reason written on a default kind's first tier change (a municipality's starting point).
INITIAL_TIER_REASON = "Standardinställning vid start"


@transaction.atomic
def support_kinds_create_defaults(*, municipality: Municipality) -> dict[str, int]:
    """Give ``municipality`` the default kinds of support and their tiers
    (:data:`contacts.policy.DEFAULT_SUPPORT_KINDS`), each with the tier change that records
    its initial tier. Idempotent: a kind the municipality already has (by code) is left as
    it is, even when an administrator has renamed it, retired it or changed its tier.

    The one path that creates the defaults: ``manage.py setup_municipality`` (through the
    platform's municipality set-up hook) and the demo data both call it.
    """
    counts = {"support_kinds": 0, "tier_changes": 0}
    for code, name, tier, area, for_talks in policy.DEFAULT_SUPPORT_KINDS:
        kind, created = SupportKind.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={"name": name, "tier": tier, "area": area, "for_talks": for_talks},
        )
        counts["support_kinds"] += created
        if not kind.tier_changes.exists():
            SupportKindTierChange.objects.create(
                support_kind=kind, old_tier="", new_tier=kind.tier, changed_by=None, reason=INITIAL_TIER_REASON
            )
            counts["tier_changes"] += 1
    return counts


def municipality_start(municipality: Municipality) -> dict[str, int]:
    """What a new municipality gets from this app (``extensions.add_municipality_setup``)."""
    return support_kinds_create_defaults(municipality=municipality)


KIND_FIELDS = ("name", "area", "for_talks", "active")


@transaction.atomic
def support_kind_create(
    *, created_by: User, municipality: Municipality, data: dict[str, Any], request: HttpRequest | None = None
) -> SupportKind:
    """A new kind of support, with its tier on record as its first tier change."""
    _require_admin(created_by, municipality.pk)
    if SupportKind.objects.filter(municipality=municipality, code=data.get("code")).exists():
        raise ValidationError({"code": _("The municipality already has a kind of support with this code.")})
    kind = SupportKind(municipality=municipality, **data)
    kind.full_clean()
    kind.save()
    SupportKindTierChange.objects.create(
        support_kind=kind, old_tier="", new_tier=kind.tier, changed_by=created_by, reason=_("New kind of support")
    )
    access_log(actor=created_by, action=Action.CREATE, record=kind, request=request)
    return kind


@transaction.atomic
def support_kind_update(
    *, updated_by: User, kind: SupportKind, data: dict[str, Any], request: HttpRequest | None = None
) -> SupportKind:
    """Rename, move to another follow-up area, offer for talks or not, retire or take back.

    The tier changes only through :func:`support_kind_set_tier`, which
    keeps who, when and why. A retired kind stays on the records made under it and in the
    follow-up; it is no longer offered for new talks, activities or decisions.
    """
    _require_admin(updated_by, kind.municipality_id)
    data = {name: value for name, value in data.items() if name in KIND_FIELDS}
    changed = [name for name, value in data.items() if getattr(kind, name) != value]
    if not changed:
        return kind
    for name in changed:
        setattr(kind, name, data[name])
    kind.full_clean()
    kind.save(update_fields=[*changed, "updated_at"])
    access_log(actor=updated_by, action=Action.UPDATE, record=kind, request=request)
    return kind


@transaction.atomic
def support_kind_set_tier(
    *, changed_by: User, kind: SupportKind, tier: str, reason: str, request: HttpRequest | None = None
) -> SupportKind:
    _require_manager(changed_by, kind.municipality)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the tier changes.")})
    if tier == kind.tier:
        raise ValidationError({"tier": _("The kind of support already has this tier.")})
    SupportKindTierChange.objects.create(
        support_kind=kind, old_tier=kind.tier, new_tier=tier, changed_by=changed_by, reason=reason.strip()
    )
    kind.tier = tier
    kind.full_clean()
    kind.save(update_fields=["tier", "updated_at"])
    access_log(actor=changed_by, action=Action.UPDATE, record=kind, request=request)
    return kind


# --- Exemption decisions ------------------------------------------------------------------


@transaction.atomic
def exemption_record(
    *,
    recorded_by: User,
    municipality: Municipality,
    data: dict[str, Any],
    kinds: list[SupportKind],
    minutes: Any = None,
    request: HttpRequest | None = None,
) -> ExemptionDecision:
    _require_manager(recorded_by, municipality)
    decision = ExemptionDecision(municipality=municipality, recorded_by=recorded_by, **data)
    exemption_save(decision, kinds=kinds, minutes=minutes)
    access_log(actor=recorded_by, action=Action.CREATE, record=decision, request=request)
    return decision


def exemption_kinds_check(municipality_id: int, kinds: list[SupportKind]) -> None:
    """A decision covers at least one kind of support, all of its own municipality."""
    if not kinds:
        raise ValidationError({"kinds": _("Choose the kinds of support the decision covers.")})
    if any(kind.municipality_id != municipality_id for kind in kinds):
        raise ValidationError({"kinds": _("Choose kinds of support of this municipality.")})


def exemption_save(decision: ExemptionDecision, *, kinds: list[SupportKind], minutes: Any = None) -> None:
    """Write a new or amended decision: its kinds of support and, if given, the extract of
    the minutes, kept privately under an unguessable name (a replaced file goes once the
    change is committed)."""
    exemption_kinds_check(decision.municipality_id, kinds)
    if minutes is not None:
        old = decision.minutes.name if decision.minutes else ""
        decision.minutes.save(f"{uuid.uuid4()}.pdf", File(minutes), save=False)
        if old:
            storage = decision.minutes.storage
            transaction.on_commit(lambda: storage.delete(old))
    decision.full_clean()
    decision.save()
    decision.kinds.set(kinds)


def _talks_under(decision: ExemptionDecision) -> dict[str, Any]:
    return Talk.objects.filter(exemption=decision).aggregate(first=Min("started_at"), last=Max("started_at"))


def _check_talks_still_covered(
    decision: ExemptionDecision, *, valid_from: dt.date, valid_to: dt.date | None, kinds: list[SupportKind] | None
) -> None:
    """A decision cannot be changed so that a talk already recorded anonymously under it falls
    outside it: that talk would have no legal ground for holding no identity."""
    span = _talks_under(decision)
    errors: dict[str, str] = {}
    if span["first"] is not None:
        first, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
        if valid_from > first:
            errors["valid_from"] = _(
                "Talks were recorded under the decision from %(date)s: it must be valid from that day or earlier."
            ) % {"date": first.isoformat()}
        if valid_to is not None and valid_to < last:
            errors["valid_to"] = _(
                "Talks were recorded under the decision until %(date)s: it must be valid until that day or later."
            ) % {"date": last.isoformat()}
    if kinds is not None:
        used = set(Talk.objects.filter(exemption=decision).values_list("support_kind_id", flat=True).distinct())
        missing = used - {kind.pk for kind in kinds}
        if missing:
            names = ", ".join(
                SupportKind.objects.filter(pk__in=missing).order_by("name").values_list("name", flat=True)
            )
            errors["kinds"] = _("Talks were recorded under the decision for %(kinds)s: keep them covered.") % {
                "kinds": names
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exemption_amend(
    *,
    amended_by: User,
    decision: ExemptionDecision,
    data: dict[str, Any],
    kinds: list[SupportKind],
    minutes: Any = None,
    request: HttpRequest | None = None,
) -> ExemptionDecision:
    """Correct or amend a recorded decision (a new paragraph, another end date, the minutes)."""
    _require_manager(amended_by, decision.municipality)
    exemption_kinds_check(decision.municipality_id, kinds)
    _check_talks_still_covered(decision, valid_from=data["valid_from"], valid_to=data.get("valid_to"), kinds=kinds)
    for name, value in data.items():
        setattr(decision, name, value)
    exemption_save(decision, kinds=kinds, minutes=minutes)
    access_log(actor=amended_by, action=Action.UPDATE, record=decision, request=request)
    return decision


@transaction.atomic
def exemption_end_early(
    *, ended_by: User, decision: ExemptionDecision, last_day: dt.date, request: HttpRequest | None = None
) -> ExemptionDecision:
    """The nämnd ends the exemption before its planned end: ``last_day`` is the last day it applies."""
    _require_manager(ended_by, decision.municipality)
    if last_day < decision.valid_from:
        raise ValidationError({"last_day": _("The last day cannot be before the decision is valid from.")})
    if decision.valid_to is not None and last_day >= decision.valid_to:
        raise ValidationError(
            {"last_day": _("The decision already ends on %(date)s.") % {"date": decision.valid_to.isoformat()}}
        )
    try:
        _check_talks_still_covered(decision, valid_from=decision.valid_from, valid_to=last_day, kinds=None)
    except ValidationError as error:
        raise ValidationError({"last_day": error.message_dict["valid_to"]}) from error
    decision.valid_to = last_day
    decision.full_clean()
    decision.save(update_fields=["valid_to", "updated_at"])
    access_log(actor=ended_by, action=Action.UPDATE, record=decision, request=request)
    return decision


def exemption_expiry_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each municipality's administrators, once per end date, that an exemption
    decision ends within ``CONTACTS_EXEMPTION_REMINDER_DAYS`` days, so the nämnd can
    renew it in time. Returns how many decisions were reminded of.

    Each decision is marked (``expiry_reminded_for``) in the same transaction as its
    e-mail is written to the outbox: two beats at once, or a run repeated after a crash,
    never send twice. The e-mail names no person, and its subject names nothing.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.CONTACTS_EXEMPTION_REMINDER_DAYS)
    due = ExemptionDecision.objects.filter(valid_to__gte=today, valid_to__lte=horizon).filter(
        Q(expiry_reminded_for__isnull=True) | ~Q(expiry_reminded_for=F("valid_to"))
    )
    reminded = 0
    for decision_id in due.order_by("valid_to", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            decision = due.select_for_update(of=("self",)).select_related("municipality").filter(pk=decision_id).first()
            if decision is None:
                continue
            recipients = sorted(
                User.objects.filter(
                    is_active=True,
                    memberships__role=Role.ADMIN,
                    memberships__unit__municipality_id=decision.municipality_id,
                )
                .values_list("email", flat=True)
                .distinct()
            )
            if recipients:
                outbox_enqueue(
                    template="exemption_expiring",
                    to=recipients,
                    context={
                        "board": decision.board,
                        "reference": decision.reference,
                        "municipality": decision.municipality.name,
                        "valid_to": decision.valid_to.isoformat(),  # type: ignore[union-attr]
                        "kinds": sorted(decision.kinds.values_list("name", flat=True)),
                        "url": f"{settings.SITE_URL}{reverse('contacts:policy')}",
                    },
                )
            else:
                logger.warning("Exemption %s ends soon and its municipality has no administrator", decision.code)
            decision.expiry_reminded_for = decision.valid_to
            decision.save(update_fields=["expiry_reminded_for", "updated_at"])
            reminded += 1
    return reminded
