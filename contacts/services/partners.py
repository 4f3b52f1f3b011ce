"""Writes of the partner directory (vägvisare, PRODUCT §7): consultants and managers add
partners; the unit's administrators change and retire them (PRODUCT §1: category lists).
Every change by an administrator is written to the access log in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.accounts.scoping import require_casework, unit_ids_for
from anhorigstod.audit.services import Action, access_log
from contacts.models import Partner


@transaction.atomic
def partner_create(*, created_by: User, unit: Unit, data: dict[str, Any]) -> Partner:
    require_casework(created_by, unit.pk)
    partner = Partner(unit=unit, **data)
    partner.full_clean()
    partner.save()
    return partner


PARTNER_FIELDS = ("name", "organisation_type", "phone", "website", "description", "offers_respite")


def _require_partner_admin(user: User, partner: Partner) -> None:
    if partner.unit_id not in unit_ids_for(user, roles={Role.ADMIN}):
        raise ValidationError(_("Only an administrator of the unit may do this."))


@transaction.atomic
def partner_update(
    *, updated_by: User, partner: Partner, data: dict[str, Any], request: HttpRequest | None = None
) -> Partner:
    _require_partner_admin(updated_by, partner)
    data = {name: value for name, value in data.items() if name in PARTNER_FIELDS}
    changed = [name for name, value in data.items() if getattr(partner, name) != value]
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
    *, changed_by: User, partner: Partner, retired: bool, request: HttpRequest | None = None
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
