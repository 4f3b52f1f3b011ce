"""Handing a leaving consultant's carers over to a colleague as their stödkontakt.

An administrator does it, for one unit at a time, in bulk: they see how many carers
move (never who: administrators run the organisation, not cases), and every carer
record written is one row in the access log, as any other change of a carer is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anhorigstod.accounts.models import ADMIN_ROLES, Membership, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.audit.services import access_log_many
from anhorigstod.extensions import StaffResponsibility
from contacts.models import Carer
from contacts.selectors import support_contact_candidates


@dataclass(frozen=True)
class HandoverGroup:
    """The carers in one unit whose stödkontakt is the leaving person."""

    unit: Unit
    total: int
    closed: int


def handover_person_get(*, admin: Any, code: Any) -> User:
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


def handover_groups(*, admin: Any, person: User, unit_ids: Any = None) -> list[HandoverGroup]:
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


def handover_unit_get(*, admin: Any, person: User, unit_code: str) -> HandoverGroup:
    unit = Unit.objects.filter(code=unit_code, pk__in=unit_ids_for(admin, roles=ADMIN_ROLES)).first()
    if unit is None:
        raise Http404
    groups = handover_groups(admin=admin, person=person, unit_ids=[unit.pk])
    return groups[0] if groups else HandoverGroup(unit=unit, total=0, closed=0)


def handover_colleagues(*, unit: Unit, leaving: User) -> QuerySet[User]:
    """Who may take over: whoever may be a stödkontakt in the unit, other than the person leaving."""
    return support_contact_candidates(unit).exclude(pk=leaving.pk)


@transaction.atomic
def carers_hand_over(
    *,
    handed_over_by: Any,
    unit: Unit,
    leaving: User,
    to: User,
    expected: int | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Make ``to`` the stödkontakt of every carer in ``unit`` whose stödkontakt is
    ``leaving``, open and closed records alike; returns how many.

    ``expected`` is the number the administrator confirmed: if a colleague has registered
    a carer for the leaving person since, the count differs and nothing is written, so
    the confirmation always tells the truth. The carers' last entry is not touched: a
    new stödkontakt is not an entry about the person, and must not postpone gallring.
    """
    if unit.pk not in unit_ids_for(handed_over_by, roles=ADMIN_ROLES):
        raise ValidationError(_("You can only hand over carers in units you administer."))
    if to.pk == leaving.pk:
        raise ValidationError({"to": _("Choose a colleague other than the person leaving.")})
    if not handover_colleagues(unit=unit, leaving=leaving).filter(pk=to.pk).exists():
        raise ValidationError(
            {"to": _("The colleague must have an active account and work in %(unit)s.") % {"unit": unit}}
        )
    # Locked, so a carer cannot be given to the leaving person between the count and the write.
    carers = list(
        Carer.objects.select_for_update()
        .filter(unit=unit, support_contact=leaving)
        .only("pk", "code", "unit_id")
        .order_by("pk")
    )
    if expected is not None and len(carers) != expected:
        raise ValidationError(
            _("The number of carers has changed to %(count)s since you looked. Check and confirm again.")
            % {"count": len(carers)},
            code="count_changed",
        )
    if not carers:
        return 0
    Carer.objects.filter(pk__in=[carer.pk for carer in carers]).update(support_contact=to)
    access_log_many(actor=handed_over_by, action="update", records=carers, request=request)
    return len(carers)


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
