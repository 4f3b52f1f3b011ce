"""Loggkontroll: managers review their units' access log, filter it, sample it and export it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from unittest import mock

import pytest

from django.utils import timezone

from anhorigstod.audit.models import AccessLog
from tests.conftest import CARER_A, CARER_B


def _log(*, actor, unit, action="view", subject="", code="r", at=None):  # type: ignore[no-untyped-def]
    # ``at`` is set on insert only (the log is append-only), so the clock is moved instead.
    when = at or timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=when):
        return AccessLog.objects.create(
            actor=actor,
            unit=unit,
            action=action,
            record_type="contacts.carer",
            record_code=code,
            subject_code=subject,
            ip_address="10.0.0.1",
            via="contacts:carer_detail",
        )


@pytest.fixture
def log(org, casework, consultant_a, consultant_b, manager_a):  # type: ignore[no-untyped-def]
    AccessLog.objects.bulk_create([])  # the casework fixture writes nothing; start from a known log
    rows = {
        "a_view": _log(actor=consultant_a, unit=org.unit_a, subject=CARER_A, code="a-view"),
        "a_update": _log(actor=consultant_a, unit=org.unit_a, action="update", subject=CARER_A, code="a-update"),
        "a2_view": _log(actor=manager_a, unit=org.unit_a2, code="a2-view"),
        "a_old": _log(actor=consultant_a, unit=org.unit_a, code="a-old", at=timezone.now() - dt.timedelta(days=400)),
        "b_view": _log(actor=consultant_b, unit=org.unit_b, subject=CARER_B, code="b-view"),
    }
    return rows


def _codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    return set(re.findall(r"<code>([^<]+)</code>", response.content.decode()))


def test_manager_sees_only_the_rows_of_their_units(login_as, log) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get("/loggkontroll/")
    assert response.status_code == 200
    assert _codes(response) == {"a-view", "a-update", "a2-view", "a-old"}
    assert "b-view" not in response.content.decode()


@pytest.mark.parametrize("persona", ["consultant_a", "admin_a", "consultant_b", "carer"])
def test_only_managers_reach_loggkontroll(login_as, log, persona) -> None:  # type: ignore[no-untyped-def]
    client = login_as(persona)
    for url in ("/loggkontroll/", "/loggkontroll/stickprov/", "/loggkontroll/export.csv"):
        assert client.get(url).status_code == 403


def test_filters_by_person_action_and_period(login_as, log, manager_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    assert _codes(client.get("/loggkontroll/", {"actor": manager_a.pk})) == {"a2-view"}
    assert _codes(client.get("/loggkontroll/", {"action": "update"})) == {"a-update"}
    old = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert _codes(client.get("/loggkontroll/", {"to_date": old})) == {"a-old"}
    assert "a-old" not in _codes(client.get("/loggkontroll/", {"from_date": old}))


def test_filters_by_carer_number_within_the_managers_units(login_as, log) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    for typed in ("A-00001", "1", f"{CARER_A}"):
        assert _codes(client.get("/loggkontroll/", {"anhorig": typed})) == {"a-view", "a-update"}, typed
    # Carer B has number 1 too, but in another municipality: never resolved, never shown.
    assert _codes(client.get("/loggkontroll/", {"anhorig": CARER_B})) == set()
    assert _codes(client.get("/loggkontroll/", {"anhorig": "A-00099"})) == set()
    # The page shows the carer's number, never the name.
    page = client.get("/loggkontroll/").content.decode()
    assert "A-00001" in page
    assert "Gunnel" not in page and "Testsson" not in page


def test_page_query_count_does_not_grow_with_rows(  # type: ignore[no-untyped-def]
    login_as, log, org, consultant_a, django_assert_max_num_queries
) -> None:
    client = login_as("manager_a")
    client.get("/loggkontroll/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/loggkontroll/")
    for number in range(40):
        _log(actor=consultant_a, unit=org.unit_a, subject=CARER_A, code=f"more-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/loggkontroll/")
    assert len(_codes(response)) == 44


def test_page_is_paginated_by_100(login_as, org, consultant_a, manager_a) -> None:  # type: ignore[no-untyped-def]
    for number in range(105):
        _log(actor=consultant_a, unit=org.unit_a, code=f"row-{number}")
    client = login_as("manager_a")
    assert len(_codes(client.get("/loggkontroll/"))) == 100
    assert len(_codes(client.get("/loggkontroll/", {"sida": 2}))) == 5


def test_random_sample_has_the_asked_size_and_repeats_with_its_seed(  # type: ignore[no-untyped-def]
    login_as, org, consultant_a, consultant_b, manager_a
) -> None:
    for number in range(60):
        _log(actor=consultant_a, unit=org.unit_a, code=f"row-{number}")
    _log(actor=consultant_b, unit=org.unit_b, code="other-unit")
    client = login_as("manager_a")
    first = client.get("/loggkontroll/stickprov/", {"n": 20, "seed": 12345})
    assert first.status_code == 200
    assert len(_codes(first)) == 20
    assert "12345" in first.content.decode()
    assert _codes(client.get("/loggkontroll/stickprov/", {"n": 20, "seed": 12345})) == _codes(first)
    assert _codes(client.get("/loggkontroll/stickprov/", {"n": 20, "seed": 54321})) != _codes(first)
    # Rows added later do not change a sample drawn again from its link (seed and upper bound).
    link = re.search(r'href="/loggkontroll/stickprov/\?([^"]+)">', first.content.decode())
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    for number in range(10):
        _log(actor=consultant_a, unit=org.unit_a, code=f"late-{number}")
    assert _codes(client.get(f"/loggkontroll/stickprov/?{query}")) == _codes(first)
    # Without a seed, one is drawn and shown; the whole log is never larger than n.
    drawn = client.get("/loggkontroll/stickprov/", {"n": 500}).content.decode()
    assert re.search(r"seed=\d+", drawn)
    assert "other-unit" not in drawn


def test_sample_uses_the_same_filters(login_as, log) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get("/loggkontroll/stickprov/", {"action": "update", "n": 20, "seed": 1})
    assert _codes(response) == {"a-update"}


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_export_neutralises_formulas_and_is_itself_logged(  # type: ignore[no-untyped-def]
    login_as, org, consultant_a, manager_a
) -> None:
    consultant_a.full_name = '=HYPERLINK("http://evil")'
    consultant_a.save()
    for code in ("=1+1", "+1", "-1", "@SUM(A1)", "plain"):
        _log(actor=consultant_a, unit=org.unit_a, code=code)
    response = login_as("manager_a").get("/loggkontroll/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    header, data = rows[0], rows[1:]
    record_codes = {row[header.index("record_code")] for row in data}
    assert record_codes == {"'=1+1", "'+1", "'-1", "'@SUM(A1)", "plain"}
    assert {row[header.index("actor")] for row in data} == {'\'=HYPERLINK("http://evil")'}
    export = AccessLog.objects.get(action="export")
    assert (export.actor, export.unit, export.record_code, export.subject_code) == (
        manager_a,
        org.unit_a.parent,
        org.unit_a.parent.code,
        "",
    )


def test_export_follows_the_filters_and_the_scope(login_as, log) -> None:  # type: ignore[no-untyped-def]
    rows = _csv(login_as("manager_a").get("/loggkontroll/export.csv", {"anhorig": "A-00001"}))
    codes = {row[rows[0].index("record_code")] for row in rows[1:]}
    assert codes == {"a-view", "a-update"}
    rows = _csv(login_as("manager_a").get("/loggkontroll/export.csv"))
    assert "b-view" not in {row[rows[0].index("record_code")] for row in rows[1:]}
