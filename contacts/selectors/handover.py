"""Handing a leaving consultant's carers over to a colleague as their stödkontakt: the
reads (the write is contacts.services.handover.carers_hand_over).

An administrator does it, for one unit at a time, in bulk: they see how many carers
move (never who: administrators run the organisation, not cases), and every carer
record written is one row in the access log, as any other change of a carer is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import ngettext

from anhorigstod.accounts.models import ADMIN_ROLES, Membership, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.extensions import StaffResponsibility
from contacts.models import Carer
from contacts.selectors.carers import support_contact_candidates


@dataclass(frozen=True)
class HandoverGroup:
    """The carers in one unit whose stödkontakt is the leaving person."""

    unit: Unit
    total: int
    closed: int


def handover_person_get(*, admin: User, code: UUID) -> User:
    """The leaving person: someone with a role in the administrator's units, or the
    stödkontakt of carers there (they may have left the unit already). 404 otherwise."""
    unit_ids = unit_ids_for(admin, roles=ADMIN_ROLES)
    person = User.objects.filter(code=code).first()
    if person is None or not (
        Membership.objects.filter(user=person, unit_id__in=unit_ids).exists()
        or Carer.objects.filter(support_contact=person, unit_id__in=unit_ids).exists()
    ):
        raise Http404
    return person


def handover_groups(*, admin: User, person: User, unit_ids: Any = None) -> list[HandoverGroup]:
    """Per unit of the administrator's (or of ``unit_ids`` among them): how many carers
    have ``person`` as stödkontakt. One query; the carers themselves are not read."""
    ids = unit_ids_for(admin, roles=ADMIN_ROLES)
    if unit_ids is not None:
        ids = ids & frozenset(unit_ids)
    counts = (
        Carer.objects.filter(support_contact=person, unit_id__in=ids)
        .values("unit_id")
        .annotate(total=Count("pk"), closed=Count("pk", filter=Q(status=Carer.Status.CLOSED)))
    )
    by_unit = {row["unit_id"]: row for row in counts}
    units = Unit.objects.filter(pk__in=by_unit).order_by("name")
    return [HandoverGroup(unit=u, total=by_unit[u.pk]["total"], closed=by_unit[u.pk]["closed"]) for u in units]


def handover_unit_get(*, admin: User, person: User, unit_code: str) -> HandoverGroup:
    unit = Unit.objects.filter(code=unit_code, pk__in=unit_ids_for(admin, roles=ADMIN_ROLES)).first()
    if unit is None:
        raise Http404
    groups = handover_groups(admin=admin, person=person, unit_ids=[unit.pk])
    return groups[0] if groups else HandoverGroup(unit=unit, total=0, closed=0)


def handover_colleagues(*, unit: Unit, leaving: User) -> QuerySet[User]:
    """Who may take over: whoever may be a stödkontakt in the unit, other than the person leaving."""
    return support_contact_candidates(unit).exclude(pk=leaving.pk)


def staff_responsibilities(*, person: User, unit_ids: frozenset[int]) -> list[StaffResponsibility]:
    """The platform's staff administration asks what a person holds in some units: here,
    being carers' stödkontakt (registered in ContactsConfig.ready())."""
    counts = (
        Carer.objects.filter(support_contact=person, unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    by_unit = {row["unit_id"]: row["total"] for row in counts}
    return [
        StaffResponsibility(
            unit=unit,
            count=by_unit[unit.pk],
            description=ngettext(
                "stödkontakt for %(count)s carer", "stödkontakt for %(count)s carers", by_unit[unit.pk]
            )
            % {"count": by_unit[unit.pk]},
            handover_url=reverse("contacts:carers_handover", kwargs={"code": person.code, "unit": unit.code}),
        )
        for unit in Unit.objects.filter(pk__in=by_unit).order_by("name")
    ]
