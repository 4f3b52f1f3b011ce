"""Reads for staff administration, scoped to the units the administrator administers."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from anhorigstod.accounts.models import ADMIN_ROLES, Membership, Unit, User
from anhorigstod.accounts.scoping import scope_to_user, unit_ids_for


def staff_memberships(*, admin: User) -> QuerySet[Membership]:
    """Every role held in the administrator's units, for the staff list."""
    return scope_to_user(
        Membership.objects.select_related("user", "unit__municipality").order_by("unit__name", "user__full_name"),
        admin,
        roles=ADMIN_ROLES,
    )


def staff_member_get(*, admin: User, code: UUID) -> User:
    """A person with a role in one of the administrator's units; a 404 for anyone else,
    whether they work in another municipality, are a carer or do not exist."""
    person = (
        User.objects.filter(code=code, memberships__unit_id__in=unit_ids_for(admin, roles=ADMIN_ROLES))
        .distinct()
        .first()
    )
    if person is None:
        raise Http404
    return person


def staff_member_memberships(*, admin: User, person: User) -> tuple[list[Membership], int]:
    """The person's roles in the administrator's units, and how many roles they hold elsewhere
    (shown as a number only: another municipality's units are not this administrator's business)."""
    administered = unit_ids_for(admin, roles=ADMIN_ROLES)
    mine: list[Membership] = []
    elsewhere = 0
    for membership in Membership.objects.filter(user=person).select_related("unit").order_by("unit__name"):
        if membership.unit_id in administered:
            mine.append(membership)
        else:
            elsewhere += 1
    return mine, elsewhere


def staff_membership_get(*, admin: User, person: User, unit_code: str) -> Membership:
    administered = unit_ids_for(admin, roles=ADMIN_ROLES)
    membership = Membership.objects.select_related("unit", "user").filter(user=person, unit__code=unit_code).first()
    if membership is None or membership.unit_id not in administered:
        raise Http404
    return membership


def units_to_add(*, admin: User, person: User) -> QuerySet[Unit]:
    """The administrator's units where the person has no role yet."""
    return (
        Unit.objects.filter(pk__in=unit_ids_for(admin, roles=ADMIN_ROLES))
        .exclude(memberships__user=person)
        .order_by("name")
    )
