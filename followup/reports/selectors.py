"""Reading the PDF follow-up reports: a report is seen by the managers of its unit only."""

from __future__ import annotations

from django.db.models import QuerySet

from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.accounts.scoping import units_for
from followup.models import FollowUpReport

MANAGER_ONLY = {Role.MANAGER}


def report_units(*, user: User) -> QuerySet[Unit]:
    """The units whose reports ``user`` may ask for and read."""
    return units_for(user, roles=MANAGER_ONLY)


def report_list(*, user: User) -> QuerySet[FollowUpReport]:
    return FollowUpReport.objects.filter(unit__in=report_units(user=user)).select_related("unit")
