"""Reads of the partner directory (vägvisare, PRODUCT §7)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.accounts.scoping import scope_to_user, unit_ids_for
from contacts.models import Partner


def partners_for_unit(*, unit: Unit, current: Iterable[Partner] = ()) -> QuerySet[Partner]:
    """The partners offered for a new referral or activity: those not retired, and the
    ones a record being edited already names (``current``), so saving it keeps them."""
    keep = [partner.pk for partner in current]
    return Partner.objects.filter(Q(retired_on__isnull=True) | Q(pk__in=keep), unit=unit).order_by("name")


def partner_list(*, user: User) -> QuerySet[Partner]:
    return (
        scope_to_user(Partner.objects.all(), user, roles=None)
        .select_related("unit")
        .annotate(referral_count=Count("referrals"))
        .order_by("unit__name", "name")
    )


def partners_administered(*, user: User) -> QuerySet[Partner]:
    """Partners of the units where the user is an administrator."""
    return Partner.objects.filter(unit_id__in=unit_ids_for(user, roles={Role.ADMIN})).select_related("unit")
