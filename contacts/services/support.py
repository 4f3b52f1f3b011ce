"""Writes of what a carer's record holds besides talks and notes: consents, the support
plan (stödplan), respite and referrals (PRODUCT §3, §7, §8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import require_casework
from anhorigstod.audit.services import Action, access_log
from anhorigstod.rollups.services import rollup_apply
from contacts import rollups
from contacts.models import Carer, Consent, Partner, Referral, RespiteGrant, SupportPlanItem
from contacts.services.carers import carer_touch


def _carer_write(
    user: User, carer: Carer, record: Model, request: HttpRequest | None, action: Action = Action.CREATE
) -> None:
    record.full_clean()
    record.save()
    carer_touch(carer)
    access_log(actor=user, action=action, record=record, unit=carer.unit, subject_code=str(carer.code), request=request)


@transaction.atomic
def consent_record(
    *, recorded_by: User, carer: Carer, to_whom: str, scope: str, given_on: dt.date, request: HttpRequest | None = None
) -> Consent:
    require_casework(recorded_by, carer.unit_id)
    consent = Consent(carer=carer, to_whom=to_whom, scope=scope, given_on=given_on, recorded_by=recorded_by)
    _carer_write(recorded_by, carer, consent, request)
    return consent


@transaction.atomic
def consent_revoke(
    *, revoked_by: User, consent: Consent, revoked_on: dt.date, request: HttpRequest | None = None
) -> Consent:
    require_casework(revoked_by, consent.carer.unit_id)
    if consent.revoked_on is not None:
        raise ValidationError(_("The consent is already revoked."))
    consent.revoked_on = revoked_on
    _carer_write(revoked_by, consent.carer, consent, request, action=Action.UPDATE)
    return consent


@transaction.atomic
def plan_item_add(
    *,
    added_by: User,
    carer: Carer,
    area: str,
    goal: str,
    actions: str = "",
    follow_up_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> SupportPlanItem:
    require_casework(added_by, carer.unit_id)
    item = SupportPlanItem(carer=carer, area=area, goal=goal, actions=actions, follow_up_on=follow_up_on)
    _carer_write(added_by, carer, item, request)
    return item


PLAN_ITEM_FIELDS = ("area", "goal", "actions", "follow_up_on")


@transaction.atomic
def plan_item_update(
    *, updated_by: User, item: SupportPlanItem, data: dict[str, Any], request: HttpRequest | None = None
) -> SupportPlanItem:
    """Change a stödplan item's area, goal, actions or follow-up date, and (with ``done``)
    mark it done or open again; who marked it done, and when, is kept with it."""
    require_casework(updated_by, item.carer.unit_id)
    unknown = set(data) - {*PLAN_ITEM_FIELDS, "done"}
    if unknown:
        raise ValueError(f"Not changeable: {sorted(unknown)}")
    carer = item.carer
    carer_touch(carer)  # the carer first, as every writer of a carer's records locks it
    locked = SupportPlanItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    for name in PLAN_ITEM_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    if data.get("done") and not locked.done:
        locked.done, locked.done_at, locked.done_by = True, timezone.now(), updated_by
    elif "done" in data and not data["done"] and locked.done:
        locked.done, locked.done_at, locked.done_by = False, None, None
    _carer_write(updated_by, carer, locked, request, action=Action.UPDATE)
    return locked


def plan_item_mark_done(*, item: SupportPlanItem, by: User, request: HttpRequest | None = None) -> SupportPlanItem:
    if item.done:
        raise ValidationError(_("The item is already marked done."))
    return plan_item_update(updated_by=by, item=item, data={"done": True}, request=request)


@transaction.atomic
def respite_record(
    *,
    recorded_by: User,
    carer: Carer,
    given_on: dt.date,
    hours: Any,
    provider: Partner | None = None,
    request: HttpRequest | None = None,
) -> RespiteGrant:
    require_casework(recorded_by, carer.unit_id)
    if provider is not None and provider.unit_id != carer.unit_id:
        raise ValidationError({"provider": _("Choose a partner of this unit.")})
    grant = RespiteGrant(carer=carer, given_on=given_on, hours=hours, provider=provider, recorded_by=recorded_by)
    _carer_write(recorded_by, carer, grant, request)
    rollup_apply(rollups.respite_counts(grant, unit_id=carer.unit_id))
    return grant


@transaction.atomic
def referral_record(
    *,
    recorded_by: User,
    carer: Carer,
    partner: Partner,
    referred_on: dt.date,
    respite: bool = False,
    request: HttpRequest | None = None,
) -> Referral:
    require_casework(recorded_by, carer.unit_id)
    if partner.unit_id != carer.unit_id:
        raise ValidationError({"partner": _("Choose a partner of this unit.")})
    referral = Referral(
        carer=carer, unit=carer.unit, partner=partner, referred_on=referred_on, respite=respite, recorded_by=recorded_by
    )
    _carer_write(recorded_by, carer, referral, request)
    rollup_apply(rollups.referral_counts(referral, partner_type=partner.organisation_type))
    return referral
