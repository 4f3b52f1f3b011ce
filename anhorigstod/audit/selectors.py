"""Reads of the access log for loggkontroll (PRODUCT §9): managers review their units' log."""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.accounts.scoping import scope_to_user, unit_ids_for
from anhorigstod.audit.models import AccessLog
from anhorigstod.extensions import extensions

REVIEWER_ROLES = frozenset({Role.MANAGER})


def access_log_list(*, user: User) -> QuerySet[AccessLog]:
    """The log rows of the units the user manages, newest first, ready to show."""
    return scope_to_user(AccessLog.objects.all(), user, roles=REVIEWER_ROLES).select_related("actor", "unit")


def reviewed_units(*, user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=unit_ids_for(user, roles=REVIEWER_ROLES)).order_by("name")


def reviewed_root_units(*, user: User) -> list[Unit]:
    """The topmost of the user's managed units: where a review of the whole scope is logged."""
    ids = unit_ids_for(user, roles=REVIEWER_ROLES)
    return [unit for unit in Unit.objects.filter(pk__in=ids).order_by("name") if unit.parent_id not in ids]


def subject_codes_for_number(*, user: User, value: str) -> list[str]:
    """The codes of the carers that a typed number (``A-00042`` or ``42``) or code names,
    within the units the user manages. Numbers are unique per unit, so more than one may match."""
    value = value.strip()
    try:
        return [str(uuid.UUID(value))] if len(value) > 30 else _codes_by_number(user, value)
    except ValueError:
        return []


def _codes_by_number(user: User, value: str) -> list[str]:
    digits = value.upper().removeprefix("A-")
    if not digits.isdigit():
        return []
    # The log is the platform's and sits below contacts: the app that owns the people
    # names them through the extensions (contacts: the carers).
    if extensions.subject_by_number is None:
        return []
    return extensions.subject_by_number(list(unit_ids_for(user, roles=REVIEWER_ROLES)), int(digits))


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
    return extensions.subject_labels(valid) if extensions.subject_labels is not None else {}


def access_log_sample(queryset: QuerySet[AccessLog], *, size: int, seed: int, up_to: int) -> list[AccessLog]:
    """A random sample of ``size`` rows, reproducible: the same filters, seed and ``up_to``
    (the highest row id in the population) give the same rows, since rows are only added."""
    ids = sorted(queryset.filter(pk__lte=up_to).values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311  (a sample, not a secret)
    return list(queryset.filter(pk__in=chosen))


# --- Readable descriptions ("Anhörig A-00042 öppnad", "Samtal 2026-03-01 ändrat") ---------

# (action, listed) -> the phrase for a common-gender and for a neuter Swedish noun.
_PHRASES: dict[tuple[str, bool], tuple[Any, Any]] = {
    (AccessLog.Action.VIEW, False): (
        pgettext_lazy("access log, common gender", "%(record)s opened"),
        pgettext_lazy("access log, neuter", "%(record)s opened"),
    ),
    (AccessLog.Action.VIEW, True): (
        pgettext_lazy("access log, common gender", "%(record)s listed on a page"),
        pgettext_lazy("access log, neuter", "%(record)s listed on a page"),
    ),
    (AccessLog.Action.CREATE, False): (
        pgettext_lazy("access log, common gender", "%(record)s created"),
        pgettext_lazy("access log, neuter", "%(record)s created"),
    ),
    (AccessLog.Action.UPDATE, False): (
        pgettext_lazy("access log, common gender", "%(record)s changed"),
        pgettext_lazy("access log, neuter", "%(record)s changed"),
    ),
    (AccessLog.Action.DELETE, False): (
        pgettext_lazy("access log, common gender", "%(record)s deleted"),
        pgettext_lazy("access log, neuter", "%(record)s deleted"),
    ),
    (AccessLog.Action.EXPORT, False): (
        pgettext_lazy("access log, common gender", "%(record)s exported"),
        pgettext_lazy("access log, neuter", "%(record)s exported"),
    ),
}


def _fallback_label(record_type: str, code: str) -> str:
    """The model's own name and the start of the code: never a name of a person."""
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        return f"{record_type} {code[:8]}"
    return f"{capfirst(str(model._meta.verbose_name))} {code[:8]}"


def describe_entries(rows: list[AccessLog]) -> list[AccessLog]:
    """Give each row a readable ``description`` without names: the apps describe their
    own models (anhorigstod.extensions.add_record_describer), one query per model and page."""
    codes: dict[str, set[str]] = {}
    for row in rows:
        codes.setdefault(row.record_type, set()).add(row.record_code)
    labels: dict[tuple[str, str], str] = {}
    for record_type, type_codes in codes.items():
        describer = extensions.record_describers.get(record_type)
        if describer is not None and describer.describe is not None:
            for code, label in describer.describe(sorted(type_codes)).items():
                labels[(record_type, code)] = label
    for row in rows:
        describer = extensions.record_describers.get(row.record_type)
        label = labels.get((row.record_type, row.record_code)) or _fallback_label(row.record_type, row.record_code)
        common, neuter = _PHRASES.get((row.action, row.listed), _PHRASES[(row.action, False)])
        phrase = neuter if describer is not None and describer.neuter else common
        row.description = phrase % {"record": label}  # type: ignore[attr-defined]
    return rows
