"""The access log is append-only: in the model and, on PostgreSQL, in the database."""

from __future__ import annotations

import datetime as dt

import pytest

from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import resolve

from anhorigstod.audit.models import AccessLog, AppendOnlyError
from anhorigstod.audit.services import Action, access_log


@pytest.fixture
def entry(org, consultant_a) -> AccessLog:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/idag/", REMOTE_ADDR="10.1.2.3")
    request.resolver_match = resolve("/idag/")
    # A unit stands in for a personal record until the contacts app brings carers.
    return access_log(
        actor=consultant_a,
        action=Action.VIEW,
        record=org.unit_a,
        unit=org.unit_a,
        subject_code="c-123",
        request=request,
    )


def test_access_log_records_who_whose_what_when_where(entry, consultant_a, org) -> None:  # type: ignore[no-untyped-def]
    row = AccessLog.objects.get()
    assert row.actor == consultant_a
    assert row.unit == org.unit_a
    assert row.action == AccessLog.Action.VIEW
    assert (row.record_type, row.record_code, row.subject_code) == ("accounts.unit", org.unit_a.code, "c-123")
    assert row.ip_address == "10.1.2.3"
    assert row.via == "today"
    assert row.at is not None


def test_model_refuses_update_and_delete(entry) -> None:  # type: ignore[no-untyped-def]
    entry.action = AccessLog.Action.DELETE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().update(action="delete")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().action == AccessLog.Action.VIEW


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_accesslog SET action = 'delete'", "DELETE FROM audit_accesslog"],
    ids=["update", "delete"],
)
def test_postgresql_refuses_raw_update_and_delete(entry, sql: str) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessLog.objects.filter(action="view").count() == 1


@pytest.mark.postgres
def test_postgresql_still_accepts_inserts(entry) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (at, action, record_type, record_code, subject_code, via) "
            "VALUES (now(), 'view', 'x.y', '1', '', '')"
        )
    assert AccessLog.objects.count() == 2


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.5"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left is skipped
        (2, "203.0.113.9", "10.0.0.5"),  # fewer entries than proxies: fall back
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies: int, forwarded: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    from anhorigstod.audit.services import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --------------------------------------------------------------------------
# The log's own retention (PRODUCT §9: five years by default)
# --------------------------------------------------------------------------


def test_the_retention_cull_is_the_one_delete_and_is_itself_logged(entry) -> None:  # type: ignore[no-untyped-def]
    from anhorigstod.audit.services import CULL_VIA, access_log_cull

    later = entry.at + dt.timedelta(days=1)
    assert access_log_cull(municipality=None, cutoff=later, now=later, dry_run=True) == {"access_log_entries": 1}
    assert AccessLog.objects.count() == 1, "a dry run removes nothing and logs nothing"

    assert access_log_cull(municipality=None, cutoff=later, now=later, dry_run=False) == {"access_log_entries": 1}

    logged = AccessLog.objects.get()
    assert (logged.action, logged.via, logged.actor, logged.subject_code) == ("delete", CULL_VIA, None, "")
    assert logged.record_code.endswith(": 1"), "the cull is logged as a count"
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


@pytest.mark.postgres
def test_postgresql_refuses_the_privileged_delete_of_newer_rows_and_every_update(entry) -> None:  # type: ignore[no-untyped-def]
    before = (entry.at - dt.timedelta(days=1)).isoformat()
    for sql in ("DELETE FROM audit_accesslog", "UPDATE audit_accesslog SET action = 'delete'"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('anhorigstod.access_log_cull', 'on', true), "
                "set_config('anhorigstod.access_log_cull_before', %s, true)",
                [before],
            )
            cursor.execute(sql)
    assert AccessLog.objects.filter(action="view").count() == 1
