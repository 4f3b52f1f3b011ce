"""Writing to the access log. Every app calls :func:`access_log` on each read and
write of a personal record; it is the only writer of :class:`AccessLog`."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from anhorigstod.accounts.models import Unit, User
from anhorigstod.audit.models import AccessLog

Action = AccessLog.Action
logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: behind ``DJANGO_TRUSTED_PROXY_COUNT`` proxies, the entry that
    many places from the right of X-Forwarded-For (what the outermost proxy saw); a
    client can prepend entries but never forge that one."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def _via(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "task" if request is None else ""
    return match.view_name[:120]


def access_log(
    *,
    actor: User | None,
    action: Action,
    record: Model,
    unit: Unit | None = None,
    subject_code: str = "",
    request: HttpRequest | None = None,
    listed: bool = False,
) -> AccessLog:
    """Record that ``actor`` did ``action`` to ``record`` (whose person is ``subject_code``).

    ``listed``: the record was only shown as a row of a list, not opened.

    ``record`` must have a public ``code`` (a UUID); its integer key is used otherwise.
    Called by services and selectors, inside the same transaction as the write.
    """
    code = getattr(record, "code", None) or record.pk
    return AccessLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit if unit is not None else getattr(record, "unit", None),
        action=Action(action),
        record_type=record._meta.label_lower,
        record_code=str(code),
        subject_code=str(subject_code),
        ip_address=client_ip(request),
        via=_via(request),
        listed=listed,
    )


def access_log_many(
    *, actor: User | None, action: Action, records: list[Any], request: HttpRequest | None = None
) -> None:
    """One row per record, written in one query: shown in a list (``view``, marked ``listed``)
    or changed together (a bulk write).

    Each record names its person through ``carer`` (a talk) or is the carer itself; a record
    without a unit of its own (a note, a stödplan item) is logged under its carer's unit.
    """
    rows = []
    for record in records:
        carer = getattr(record, "carer", None) if record._meta.model_name != "carer" else record
        rows.append(
            AccessLog(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                unit_id=record.unit_id if hasattr(record, "unit_id") else carer.unit_id,  # type: ignore[union-attr]
                action=Action(action),
                record_type=record._meta.label_lower,
                record_code=str(getattr(record, "code", None) or record.pk),
                subject_code=str(carer.code) if carer is not None else "",
                ip_address=client_ip(request),
                via=_via(request),
                # Rows shown on a page are "listed"; a bulk write is not.
                listed=action == Action.VIEW,
            )
        )
    AccessLog.objects.bulk_create(rows)


# The record code of the row that logs a cull of the log: the cut-off date and the count.
CULL_RECORD_TYPE = "audit.accesslog"
CULL_VIA = "retention"


def access_log_cull(*, municipality: Any, cutoff: dt.datetime, now: dt.datetime, dry_run: bool) -> dict[str, int]:
    """The register's rule (anhorigstod.privacy): entries logged before ``cutoff`` go.

    The only path the append-only trigger lets delete: inside this transaction it sets
    ``anhorigstod.access_log_cull`` and the cut-off, which the trigger checks row by row,
    and clears them again before returning. The cull is itself logged, as a count.
    """
    due = AccessLog.objects.filter(at__lt=cutoff)
    number = due.count()
    if dry_run or not number:
        return {"access_log_entries": number}
    with transaction.atomic():
        _privileged(cutoff)
        try:
            # Past the model's refusal (AccessLogQuerySet.delete): this is the one sanctioned delete.
            models.QuerySet.delete(due)
        finally:
            _privileged(None)
        AccessLog.objects.create(
            actor=None,
            unit=None,
            action=Action.DELETE,
            record_type=CULL_RECORD_TYPE,
            record_code=f"before {timezone.localdate(cutoff).isoformat()}: {number}",
            via=CULL_VIA,
        )
    logger.info("Access log cull: %s entries logged before %s", number, timezone.localdate(cutoff).isoformat())
    return {"access_log_entries": number}


def _privileged(cutoff: dt.datetime | None) -> None:
    if connection.vendor != "postgresql":
        return  # no trigger elsewhere; the model's refusal is passed by the line above
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('anhorigstod.access_log_cull', %s, true), "
            "set_config('anhorigstod.access_log_cull_before', %s, true)",
            ["on" if cutoff else "off", cutoff.isoformat() if cutoff else ""],
        )
