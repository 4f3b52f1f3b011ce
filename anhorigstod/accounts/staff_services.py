"""Changes to staff after they are added: another role, another unit, leaving.

An administrator changes only what lies in the units they administer, and three guards
hold for every change, checked inside the change's transaction so that a refused change
leaves nothing behind:

- no unit that has an active administrator is left without one: the last administrator
  can neither give up the role nor be removed (an administrator may step down only while
  another one still administers every unit they did);
- nobody deactivates their own account;
- nobody loses a unit while they still hold work there that a colleague must take over,
  such as being a carer's stödkontakt (the apps tell through
  ``extensions.add_staff_responsibility_provider``).

Every change is written to the access log: the membership touched, or the account in
each unit the person belongs to, with the person's code as whose record it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import ADMIN_ROLES, CASEWORK_ROLES, Membership, Municipality, Role, Unit, User
from anhorigstod.accounts.scoping import forget_unit_cache, unit_ids_for, unit_ids_reached
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import access_log
from anhorigstod.extensions import extensions


def _require_admin_of(actor: User, unit_ids: Iterable[int]) -> None:
    administered = unit_ids_for(actor, roles=ADMIN_ROLES)
    if not set(unit_ids) <= administered:
        raise ValidationError(_("You can only change staff in units you administer."))


def _lock_municipalities(municipality_ids: Iterable[int]) -> None:
    """Serialise staff changes per municipality: two administrators demoting each other at
    the same moment must not both pass the last-admin check."""
    list(Municipality.objects.select_for_update().filter(pk__in=set(municipality_ids)).order_by("pk"))


def _administered_unit_ids(municipality_ids: Iterable[int]) -> frozenset[int]:
    """The units that some active administrator reaches, read afresh."""
    admins = Membership.objects.filter(
        unit__municipality_id__in=set(municipality_ids), role=Role.ADMIN, user__is_active=True
    )
    return unit_ids_reached(admins, roles=ADMIN_ROLES)


def _unit_names(unit_ids: Iterable[int]) -> str:
    return ", ".join(Unit.objects.filter(pk__in=set(unit_ids)).order_by("name").values_list("name", flat=True))


def _check_administrators_kept(municipality_ids: Iterable[int], before: frozenset[int]) -> None:
    orphaned = before - _administered_unit_ids(municipality_ids)
    if orphaned:
        raise ValidationError(
            _(
                "This would leave %(units)s without an administrator. "
                "Give someone else the administrator role there first."
            )
            % {"units": _unit_names(orphaned)}
        )


def _check_nothing_left_behind(person: User, before: frozenset[int]) -> None:
    """The person keeps every unit where they still hold work (a carer's stödkontakt)."""
    lost = before - unit_ids_reached(Membership.objects.filter(user=person), roles=CASEWORK_ROLES)
    held = extensions.staff_responsibilities(person=person, unit_ids=lost)
    if held:
        raise ValidationError(
            _("%(name)s still holds work in the units they would leave: %(work)s. Hand it over to a colleague first.")
            % {"name": person, "work": "; ".join(f"{item.description} ({item.unit})" for item in held)}
        )


def _log(
    actor: User, action: AccessLog.Action, record: Model, *, unit: Unit, person: User, request: HttpRequest | None
) -> None:
    access_log(actor=actor, action=action, record=record, unit=unit, subject_code=str(person.code), request=request)


@transaction.atomic
def membership_add(
    *, added_by: User, person: User, unit: Unit, role: str, request: HttpRequest | None = None
) -> Membership:
    """Give a person who is already staff a role in one more unit."""
    _require_admin_of(added_by, [unit.pk])
    if Membership.objects.filter(user=person, unit=unit).exists():
        raise ValidationError({"unit": _("This person already has a role in this unit.")})
    membership = Membership(user=person, unit=unit, role=Role(role))
    membership.full_clean()
    membership.save()
    forget_unit_cache(person)
    _log(added_by, AccessLog.Action.CREATE, membership, unit=unit, person=person, request=request)
    return membership


@transaction.atomic
def membership_role_change(
    *, changed_by: User, membership: Membership, role: str, request: HttpRequest | None = None
) -> Membership:
    """Give a person another role in a unit where they already work."""
    _require_admin_of(changed_by, [membership.unit_id])
    role = Role(role)
    if membership.role == role:
        return membership
    person = membership.user
    municipality_id = membership.unit.municipality_id
    _lock_municipalities([municipality_id])
    administered = _administered_unit_ids([municipality_id])
    casework = unit_ids_reached(Membership.objects.filter(user=person), roles=CASEWORK_ROLES)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    _check_administrators_kept([municipality_id], administered)
    _check_nothing_left_behind(person, casework)
    forget_unit_cache(person)
    _log(changed_by, AccessLog.Action.UPDATE, membership, unit=membership.unit, person=person, request=request)
    return membership


@transaction.atomic
def membership_remove(*, removed_by: User, membership: Membership, request: HttpRequest | None = None) -> None:
    """Take a person out of a unit. Their records there stay theirs (authorship)."""
    _require_admin_of(removed_by, [membership.unit_id])
    person = membership.user
    municipality_id = membership.unit.municipality_id
    _lock_municipalities([municipality_id])
    administered = _administered_unit_ids([municipality_id])
    casework = unit_ids_reached(Membership.objects.filter(user=person), roles=CASEWORK_ROLES)
    # Logged first: the row names the membership by its key, which the delete clears.
    _log(removed_by, AccessLog.Action.DELETE, membership, unit=membership.unit, person=person, request=request)
    membership.delete()
    _check_administrators_kept([municipality_id], administered)
    _check_nothing_left_behind(person, casework)
    forget_unit_cache(person)


def _memberships_for_account_change(actor: User, person: User) -> list[Membership]:
    memberships = list(Membership.objects.filter(user=person).select_related("unit"))
    if not memberships:
        raise ValidationError(_("This person has no role in any unit."))
    if not {m.unit_id for m in memberships} <= unit_ids_for(actor, roles=ADMIN_ROLES):
        # A consultant who serves two municipalities (Mullsjö and Habo share one) keeps
        # the other's account: each administrator takes them out of their own units.
        raise ValidationError(
            _(
                "This person also works in units you do not administer, so only their administrators "
                "can close the account. Remove the person from your units instead."
            )
        )
    return memberships


@transaction.atomic
def account_deactivate(*, deactivated_by: User, person: User, request: HttpRequest | None = None) -> int:
    """Close a staff member's account; returns how many of their sessions were ended.

    The person can no longer sign in by any route (password, e-mailed code, password
    reset, SSO all refuse an inactive account), any session they have is ended, and
    they leave every list of staff to choose from. Their memberships and everything they
    wrote stay, so their name remains on their talks and notes and the account can be
    opened again.
    """
    if person.pk == getattr(deactivated_by, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."))
    memberships = _memberships_for_account_change(deactivated_by, person)
    if not person.is_active:
        return 0
    municipality_ids = {m.unit.municipality_id for m in memberships}
    _lock_municipalities(municipality_ids)
    administered = _administered_unit_ids(municipality_ids)
    person.is_active = False
    person.save(update_fields=["is_active"])
    _check_administrators_kept(municipality_ids, administered)
    forget_unit_cache(person)
    for membership in memberships:
        _log(deactivated_by, AccessLog.Action.UPDATE, person, unit=membership.unit, person=person, request=request)
    return sessions_end(person=person)


@transaction.atomic
def account_reactivate(*, reactivated_by: User, person: User, request: HttpRequest | None = None) -> None:
    """Open a closed account again: the person signs in as before (password, second factor, SSO)."""
    memberships = _memberships_for_account_change(reactivated_by, person)
    if person.is_active:
        return
    person.is_active = True
    person.save(update_fields=["is_active"])
    forget_unit_cache(person)
    for membership in memberships:
        _log(reactivated_by, AccessLog.Action.UPDATE, person, unit=membership.unit, person=person, request=request)


def sessions_end(*, person: User) -> int:
    """End every browser session signed in as ``person``; returns how many.

    An inactive account's session already counts as signed out (Django's ModelBackend
    refuses to load an inactive user), but the session row would live on until it
    expires; it goes now. The sessions are in the database (``SESSION_ENGINE``); they are
    signed blobs, so each unexpired one is read to find the person's.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0  # not a database engine: the inactive flag alone signs them out
    model = store_class.get_model_class()
    wanted = str(person.pk)
    store = store_class()
    ended = [
        key
        for key, data in model.objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
        .iterator()
        if str(store.decode(data).get(SESSION_KEY)) == wanted
    ]
    if ended:
        model.objects.filter(session_key__in=ended).delete()
    return len(ended)
