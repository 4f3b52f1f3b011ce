"""Reads of the documentation policy's data (PRODUCT §2): the kinds of support and the
nämnd's exemption decisions, for the managers and administrators who keep them."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, QuerySet
from django.http import Http404

from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.accounts.scoping import unit_ids_for, units_for
from anhorigstod.accounts.services import administered_municipalities
from contacts.models import ExemptionDecision, SupportKind


def exemption_list(*, user: User) -> QuerySet[ExemptionDecision]:
    municipality_ids = units_for(user, roles=None).values("municipality_id")
    return (
        ExemptionDecision.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality", "recorded_by")
        .prefetch_related("kinds")
        .annotate(talk_count=Count("talks"))
        .order_by("-valid_from")
    )


def support_kinds_administered(*, user: User) -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(municipality__in=administered_municipalities(user)).select_related("municipality")


def exemption_get_for_manager(*, user: User, code: UUID) -> ExemptionDecision:
    """The decision if the user is a manager or an administrator in its municipality, else a 404."""
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
