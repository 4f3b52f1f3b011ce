"""Writes of the municipality's administration in this app: kinds of support, the partner
directory and the nämnd's exemption decisions (amend, end early, the minutes extract, the
reminder before one expires).

Kinds of support and partners belong to the administrator (PRODUCT §1: category lists);
exemption decisions also to the manager, who records them (``services.exemption_record``).
Every change is written to the access log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Municipality, Role, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.accounts.services import administered_municipalities
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import access_log
from anhorigstod.outbox.services import outbox_enqueue
from contacts.models import ExemptionDecision, Partner, SupportKind, SupportKindTierChange, Talk
from contacts.services import _require_manager, exemption_kinds_check, exemption_save

logger = logging.getLogger(__name__)

Action = AccessLog.Action


def _require_admin(user: Any, municipality_id: int) -> None:
    if not administered_municipalities(user).filter(pk=municipality_id).exists():
        raise ValidationError(_("Only an administrator of the municipality may do this."))


def _changed(instance: Any, data: dict[str, Any]) -> list[str]:
    return [name for name, value in data.items() if getattr(instance, name) != value]


# --- Kinds of support ---------------------------------------------------------------------

KIND_FIELDS = ("name", "area", "for_talks", "active")


@transaction.atomic
def support_kind_create(
    *, created_by: Any, municipality: Municipality, data: dict[str, Any], request: HttpRequest | None = None
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
    *, updated_by: Any, kind: SupportKind, data: dict[str, Any], request: HttpRequest | None = None
) -> SupportKind:
    """Rename, move to another follow-up area, offer for talks or not, retire or take back.

    The tier changes only through :func:`contacts.services.support_kind_set_tier`, which
    keeps who, when and why. A retired kind stays on the records made under it and in the
    follow-up; it is no longer offered for new talks, activities or decisions.
    """
    _require_admin(updated_by, kind.municipality_id)
    data = {name: value for name, value in data.items() if name in KIND_FIELDS}
    changed = _changed(kind, data)
    if not changed:
        return kind
    for name in changed:
        setattr(kind, name, data[name])
    kind.full_clean()
    kind.save(update_fields=[*changed, "updated_at"])
    access_log(actor=updated_by, action=Action.UPDATE, record=kind, request=request)
    return kind


def support_kinds_administered(*, user: Any) -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(municipality__in=administered_municipalities(user)).select_related("municipality")


# --- Partners -----------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "organisation_type", "phone", "website", "description", "offers_respite")


def partners_administered(*, user: Any) -> QuerySet[Partner]:
    """Partners of the units where the user is an administrator."""
    return Partner.objects.filter(unit_id__in=unit_ids_for(user, roles={Role.ADMIN})).select_related("unit")


def _require_partner_admin(user: Any, partner: Partner) -> None:
    if partner.unit_id not in unit_ids_for(user, roles={Role.ADMIN}):
        raise ValidationError(_("Only an administrator of the unit may do this."))


@transaction.atomic
def partner_update(
    *, updated_by: Any, partner: Partner, data: dict[str, Any], request: HttpRequest | None = None
) -> Partner:
    _require_partner_admin(updated_by, partner)
    data = {name: value for name, value in data.items() if name in PARTNER_FIELDS}
    changed = _changed(partner, data)
    if not changed:
        return partner
    for name in changed:
        setattr(partner, name, data[name])
    partner.full_clean()
    partner.save(update_fields=[*changed, "updated_at"])
    access_log(actor=updated_by, action=Action.UPDATE, record=partner, request=request)
    return partner


@transaction.atomic
def partner_set_retired(
    *, changed_by: Any, partner: Partner, retired: bool, request: HttpRequest | None = None
) -> Partner:
    """Retire a partner (no longer offered for new referrals and activities; the ones that
    name it keep it), or take it back into use."""
    _require_partner_admin(changed_by, partner)
    if retired == (partner.retired_on is not None):
        return partner
    partner.retired_on = timezone.localdate() if retired else None
    partner.save(update_fields=["retired_on", "updated_at"])
    access_log(actor=changed_by, action=Action.UPDATE, record=partner, request=request)
    return partner


# --- Exemption decisions ------------------------------------------------------------------

MINUTES_MAX_BYTES = 10 * 1024 * 1024


def exemption_get_for_manager(*, user: Any, code: Any) -> ExemptionDecision:
    """The decision if the user is a manager or an administrator in its municipality, else a 404."""
    from django.http import Http404

    municipality_ids = Unit.objects.filter(pk__in=unit_ids_for(user, roles={Role.MANAGER, Role.ADMIN})).values(
        "municipality_id"
    )
    decision = (
        ExemptionDecision.objects.select_related("municipality")
        .filter(code=code, municipality_id__in=municipality_ids)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


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
    amended_by: Any,
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
    *, ended_by: Any, decision: ExemptionDecision, last_day: dt.date, request: HttpRequest | None = None
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
