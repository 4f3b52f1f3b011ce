"""The one place that decides which units a user may see.

Every selector in every app scopes its queryset with :func:`scope_to_user`, and
fetches single objects with :func:`get_for_user_or_404`, so a record outside the
user's units is a 404 that does not confirm it exists (PRODUCT §1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from anhorigstod.accounts.models import CASEWORK_ROLES, Membership, Role, Unit, User

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_anhorigstod_unit_roles"


def _unit_roles(user: User | AnonymousUser) -> dict[int, frozenset[str]]:
    """Map every unit the user reaches to the roles they hold there.

    A membership of a unit reaches the unit and everything below it. Two queries,
    cached on the user object for the request. A deactivated account reaches nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    frozen = _reach(Membership.objects.filter(user=user))
    setattr(user, _CACHE_ATTR, frozen)
    return frozen


def _reach(memberships: QuerySet[Membership]) -> dict[int, frozenset[str]]:
    """Unit id -> the roles ``memberships`` give there, each reaching its unit's subtree."""
    direct = list(memberships.values_list("unit_id", "role", "unit__municipality_id"))
    result: dict[int, set[str]] = defaultdict(set)
    if direct:
        children: dict[int | None, list[int]] = defaultdict(list)
        municipality_ids = {municipality_id for _, _, municipality_id in direct}
        for unit_id, parent_id in Unit.objects.filter(municipality_id__in=municipality_ids).values_list(
            "id", "parent_id"
        ):
            children[parent_id].append(unit_id)
        for unit_id, role, _ in direct:
            stack = [unit_id]
            while stack:
                current = stack.pop()
                result[current].add(role)
                stack.extend(children.get(current, ()))
    return {unit_id: frozenset(roles) for unit_id, roles in result.items()}


def unit_ids_reached(memberships: QuerySet[Membership], *, roles: Iterable[str]) -> frozenset[int]:
    """The units ``memberships`` reach with one of ``roles``, read afresh (no cache, and
    whether the account is active or not): what staff administration compares before and
    after a change, to see who would lose which units."""
    wanted = frozenset(roles)
    return frozenset(unit_id for unit_id, held in _reach(memberships).items() if held & wanted)


def forget_unit_cache(user: User | AnonymousUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def unit_ids_for(user: User | AnonymousUser, *, roles: Iterable[str] | None = None) -> frozenset[int]:
    """The ids of the units the user reaches, optionally only where they hold one of ``roles``."""
    wanted = frozenset(roles) if roles is not None else None
    return frozenset(unit_id for unit_id, held in _unit_roles(user).items() if wanted is None or held & wanted)


def roles_for(user: User | AnonymousUser) -> frozenset[str]:
    """Every role the user holds somewhere."""
    held: set[str] = set()
    for roles in _unit_roles(user).values():
        held |= roles
    return frozenset(held)


def is_staff_member(user: User | AnonymousUser) -> bool:
    return bool(_unit_roles(user))


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(roles_for(user) & set(roles))


def units_for(user: User | AnonymousUser, *, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    return Unit.objects.filter(id__in=unit_ids_for(user, roles=roles)).select_related("municipality")


def scope_to_user(
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    *,
    unit_field: str = "unit",
    roles: Iterable[str] | None = CASEWORK_ROLES,
) -> QuerySet[M]:
    """Limit ``queryset`` to rows whose ``unit_field`` is one of the user's units.

    By default only units where the user does casework (consultant or manager) count;
    pass ``roles`` to narrow it (``{Role.MANAGER}`` for dashboards) or ``None`` for any role.
    """
    # ``unit_field="pk"`` scopes the Unit queryset itself.
    lookup = "pk" if unit_field in ("pk", "id") else f"{unit_field}_id"
    return queryset.filter(**{f"{lookup}__in": unit_ids_for(user, roles=roles)})


def get_for_user_or_404(
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    *,
    unit_field: str = "unit",
    roles: Iterable[str] | None = CASEWORK_ROLES,
    **lookup: Any,
) -> M:
    try:
        return scope_to_user(queryset, user, unit_field=unit_field, roles=roles).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


__all__ = [
    "Role",
    "forget_unit_cache",
    "get_for_user_or_404",
    "has_role",
    "is_staff_member",
    "roles_for",
    "scope_to_user",
    "unit_ids_for",
    "unit_ids_reached",
    "units_for",
]


def casework_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units where the user does casework, by name: the choices of a "unit" field."""
    return units_for(user, roles=CASEWORK_ROLES).order_by("name")


def require_casework(user: User | AnonymousUser, unit_id: int) -> None:
    """Refuse a write in a unit where the user does no casework (services call this)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if unit_id not in unit_ids_for(user, roles=CASEWORK_ROLES):
        raise ValidationError(_("You do not work in this unit."))
