"""Writing to the access log. Every app calls :func:`access_log` on each read and
write of a personal record; it is the only writer of :class:`AccessLog`."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from anhorigstod.audit.models import AccessLog

Action = AccessLog.Action


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR is the proxy's address behind one; the deployment's proxy sets it right
    # (gunicorn --forwarded-allow-ips), so never trust a client-supplied header here.
    return request.META.get("REMOTE_ADDR") or None


def _via(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "task" if request is None else ""
    return match.view_name[:120]


def access_log(
    *,
    actor: Any,
    action: str,
    record: Model,
    unit: Any = None,
    subject_code: str = "",
    request: HttpRequest | None = None,
) -> AccessLog:
    """Record that ``actor`` did ``action`` to ``record`` (whose person is ``subject_code``).

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
        ip_address=_client_ip(request),
        via=_via(request),
    )
