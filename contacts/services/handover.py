"""Handing a leaving consultant's carers over to a colleague as their stödkontakt: the
write (the administrator's reads are in contacts.selectors.handover).

Every carer record written is one row in the access log, as any other change of a carer is.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import ADMIN_ROLES, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for
from anhorigstod.audit.services import Action, access_log_many
from contacts.models import Carer
from contacts.selectors.handover import handover_colleagues


@transaction.atomic
def carers_hand_over(
    *,
    handed_over_by: User,
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
    access_log_many(actor=handed_over_by, action=Action.UPDATE, records=carers, request=request)
    return len(carers)
