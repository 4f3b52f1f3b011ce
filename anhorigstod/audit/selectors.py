"""Reads of the access log for loggkontroll (PRODUCT §9): managers review their units' log."""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from anhorigstod.accounts.models import Role, Unit
from anhorigstod.accounts.scoping import scope_to_user, unit_ids_for
from anhorigstod.audit.models import AccessLog

REVIEWER_ROLES = frozenset({Role.MANAGER})


def access_log_list(*, user: Any) -> QuerySet[AccessLog]:
    """The log rows of the units the user manages, newest first, ready to show."""
    return scope_to_user(AccessLog.objects.all(), user, roles=REVIEWER_ROLES).select_related("actor", "unit")


def reviewed_units(*, user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=unit_ids_for(user, roles=REVIEWER_ROLES)).order_by("name")


def reviewed_root_units(*, user: Any) -> list[Unit]:
    """The topmost of the user's managed units: where a review of the whole scope is logged."""
    ids = unit_ids_for(user, roles=REVIEWER_ROLES)
    return [unit for unit in Unit.objects.filter(pk__in=ids).order_by("name") if unit.parent_id not in ids]


def _carer_model() -> Any:
    # The log is the platform's and sits below contacts (imports run anhorigstod <- contacts),
    # so the carer model is looked up by name rather than imported.
    return apps.get_model("contacts", "Carer")


def subject_codes_for_number(*, user: Any, value: str) -> list[str]:
    """The codes of the carers that a typed number (``A-00042`` or ``42``) or code names,
    within the units the user manages. Numbers are unique per unit, so more than one may match."""
    value = value.strip()
    try:
        return [str(uuid.UUID(value))] if len(value) > 30 else _codes_by_number(user, value)
    except ValueError:
        return []


def _codes_by_number(user: Any, value: str) -> list[str]:
    digits = value.upper().removeprefix("A-")
    if not digits.isdigit():
        return []
    carers = _carer_model().objects.filter(unit_id__in=unit_ids_for(user, roles=REVIEWER_ROLES), number=int(digits))
    return [str(code) for code in carers.values_list("code", flat=True)]


def subject_labels(*, codes: set[str]) -> dict[str, str]:
    """Carer code -> readable number (``A-00042``) for the codes on a page, in one query."""
    valid = []
    for code in codes:
        try:
            valid.append(uuid.UUID(code))
        except ValueError:
            continue
    if not valid:
        return {}
    rows = _carer_model().objects.filter(code__in=valid).values_list("code", "number")
    return {str(code): f"A-{number:05d}" for code, number in rows}


def access_log_sample(queryset: QuerySet[AccessLog], *, size: int, seed: int, up_to: int) -> list[AccessLog]:
    """A random sample of ``size`` rows, reproducible: the same filters, seed and ``up_to``
    (the highest row id in the population) give the same rows, since rows are only added."""
    ids = sorted(queryset.filter(pk__lte=up_to).values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311  (a sample, not a secret)
    return list(queryset.filter(pk__in=chosen))
