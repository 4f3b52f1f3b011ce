"""Loggkontroll: managers review who read and changed records in their units (PRODUCT §9).

Thin views over :mod:`anhorigstod.audit.selectors`. Only the CSV export is itself
logged; browsing and sampling are not.
"""

from __future__ import annotations

import secrets

from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role
from anhorigstod.audit import selectors
from anhorigstod.audit.filters import AccessLogFilter
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import Action, access_log
from anhorigstod.lib.csv_export import csv_response

reviewers = role_required(Role.MANAGER)

PAGE_SIZE = 100
SAMPLE_DEFAULT = 20
SAMPLE_MAX = 500
# A cell starting with one of these is a formula to a spreadsheet (and tab / CR can hide one).


def _filtered(request: AuthenticatedHttpRequest) -> AccessLogFilter:
    return AccessLogFilter(request.GET, queryset=selectors.access_log_list(user=request.user), user=request.user)


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def _with_labels(rows: list[AccessLog]) -> list[AccessLog]:
    """Give each row the carer's readable number (``subject_label``) and a readable
    ``description`` of what was done to which record, a few queries per page."""
    labels = selectors.subject_labels(codes={row.subject_code for row in rows if row.subject_code})
    for row in rows:
        setattr(row, "subject_label", labels.get(row.subject_code, row.subject_code))  # noqa: B010
    return selectors.describe_entries(rows)


@reviewers
@never_cache
def log_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    log = _filtered(request)
    page = Paginator(log.qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "filter": log,
        "page": page,
        "rows": _with_labels(list(page)),
        "query": _query(request, "sida"),
        "filters_query": _query(request, "sida", "n", "seed", "upp_till"),
        "sample_default": SAMPLE_DEFAULT,
        "sample_max": SAMPLE_MAX,
    }
    return render(request, "audit/log_review.html", context)


def _int(value: str | None, default: int, *, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return max(low, min(high, number))


@reviewers
@never_cache
def log_sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    log = _filtered(request)
    queryset = log.qs
    size = _int(request.GET.get("n"), SAMPLE_DEFAULT, low=1, high=SAMPLE_MAX)
    # A new seed per request unless one is given, shown so the sample can be drawn again.
    seed = _int(request.GET.get("seed"), secrets.randbelow(10**9), low=0, high=10**12)
    top = queryset.aggregate(top=Max("pk"))["top"] or 0
    up_to = _int(request.GET.get("upp_till"), top, low=0, high=top)
    rows = selectors.access_log_sample(queryset, size=size, seed=seed, up_to=up_to)
    query = request.GET.copy()
    query["n"], query["seed"], query["upp_till"] = str(size), str(seed), str(up_to)
    context = {
        "filter": log,
        "rows": _with_labels(rows),
        "size": size,
        "seed": seed,
        "up_to": up_to,
        "reproduce_query": query.urlencode(),
        "filters_query": _query(request, "sida", "n", "seed", "upp_till"),
    }
    return render(request, "audit/log_sample.html", context)


@reviewers
def log_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    log = _filtered(request)
    # Invalid filters export nothing rather than more than the manager asked for.
    queryset = log.qs if log.is_valid() else log.queryset.none()
    # The rows as they stand now: the export's own log row below is not part of it.
    queryset = queryset.filter(pk__lte=AccessLog.objects.aggregate(top=Max("pk"))["top"] or 0)
    for unit in selectors.reviewed_root_units(user=request.user):
        access_log(actor=request.user, action=Action.EXPORT, record=unit, unit=unit, request=request)
    header = [
        "at",
        "actor",
        "actor_email",
        "unit",
        "unit_name",
        "action",
        "record_type",
        "record_code",
        "subject_code",
        "ip_address",
        "via",
    ]
    rows = (
        [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor.full_name if entry.actor else "",
            entry.actor.email if entry.actor else "",
            entry.unit.code if entry.unit else "",
            entry.unit.name if entry.unit else "",
            entry.action,
            entry.record_type,
            entry.record_code,
            entry.subject_code,
            entry.ip_address or "",
            entry.via,
        ]
        for entry in queryset.iterator(chunk_size=2000)
    )
    return csv_response(header, rows, filename="loggkontroll.csv")
