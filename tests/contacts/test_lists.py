"""The carer list and the talk list: scoped to the user's units, filtered, paginated by
50, searched by POST so a name never lands in a URL, logged row by row in one write, and
answered in a number of queries that does not grow with the data (PRODUCT §1, §9, §10)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any
from urllib.parse import urlencode

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anhorigstod.accounts.models import Unit, User
from anhorigstod.audit.models import AccessLog
from contacts.models import Carer, ExemptionDecision, SupportKind, Talk, TalkFocusEntry
from tests.conftest import CARER_A, CARER_B, Casework, Org

_numbers = itertools.count(100)


def make_carer(unit: Unit, **fields: Any) -> Carer:
    fields.setdefault("last_entry_at", timezone.now())
    return Carer.objects.create(unit=unit, number=next(_numbers), **fields)


def make_talk(
    unit: Unit,
    consultant: User,
    kind: SupportKind,
    *,
    carer: Carer | None = None,
    focus: tuple[str, ...] = ("supporting",),
    **fields: Any,
) -> Talk:
    values: dict[str, Any] = {
        "started_at": timezone.now() - dt.timedelta(days=2),
        "duration_minutes": 30,
        "mode": "phone",
        "talk_type": "advice",
        "initiator": "carer",
        "time_of_day": "daytime",
        "informed_right_to_apply": "yes",
        "asked_about_children": "no",
    }
    values.update(fields)
    talk = Talk.objects.create(unit=unit, consultant=consultant, support_kind=kind, carer=carer, **values)
    TalkFocusEntry.objects.bulk_create(TalkFocusEntry(talk=talk, focus=f) for f in focus)
    return talk


def codes(response: Any) -> set[str]:
    return {str(record.code) for record in response.context["page"].object_list}


# --- Scoping ---------------------------------------------------------------------------------


def test_lists_are_scoped_to_the_users_units(
    casework: Casework, org: Org, login_as: Any, consultant_b: User, manager_a: User
) -> None:
    kinds_b = SupportKind.objects.get(municipality=org.unit_b.municipality, code="individual_talk")
    talk_b = make_talk(org.unit_b, consultant_b, kinds_b, carer=casework.carer_b)
    carer_a2 = make_carer(org.unit_a2, first_name="Södra")
    talk_a2 = make_talk(org.unit_a2, manager_a, casework.kinds["individual_talk"], carer=carer_a2)
    anonymous_a = make_talk(org.unit_a, casework.talk_a.consultant, casework.kinds["individual_talk"])

    bertil = login_as("consultant_b")
    assert codes(bertil.get("/anhoriga/")) == {CARER_B}
    assert codes(bertil.get("/samtal/")) == {str(talk_b.code)}
    # Filters cannot reach outside either.
    assert codes(bertil.get("/samtal/", {"anonymous": "true"})) == set()
    assert codes(bertil.get("/anhoriga/", {"status": "open"})) == {CARER_B}

    karin = Client()
    karin.force_login(casework.talk_a.consultant)
    assert codes(karin.get("/anhoriga/")) == {CARER_A}
    assert codes(karin.get("/samtal/")) == {str(casework.talk_a.code), str(anonymous_a.code)}

    maria = Client()
    maria.force_login(manager_a)
    assert codes(maria.get("/anhoriga/")) == {CARER_A, str(carer_a2.code)}
    assert codes(maria.get("/samtal/")) == {str(casework.talk_a.code), str(anonymous_a.code), str(talk_a2.code)}


def test_the_lists_refuse_people_without_casework(casework: Casework, login_as: Any) -> None:
    alva = login_as("admin_a")
    assert alva.get("/anhoriga/").status_code == 403
    assert alva.get("/samtal/").status_code == 403


# --- Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def talks(casework: Casework, org: Org, consultant_a: User, manager_a: User) -> dict[str, Talk]:
    kinds = casework.kinds
    now = timezone.now()
    carer = make_carer(org.unit_a, first_name="Filter", target_group="npf")
    decision = ExemptionDecision.objects.create(
        municipality=org.unit_a.municipality,
        board="Socialnämnden",
        decided_on=now.date() - dt.timedelta(days=90),
        reference="SN 1",
        valid_from=now.date() - dt.timedelta(days=90),
        reason="other",
        reason_text="…",
        recorded_by=manager_a,
    )
    return {
        "old": make_talk(
            org.unit_a,
            consultant_a,
            kinds["individual_talk"],
            started_at=now - dt.timedelta(days=40),
            talk_type="information",
            focus=("informing",),
            target_group="elderly",
        ),
        "recent_identified": make_talk(
            org.unit_a,
            consultant_a,
            kinds["individual_talk"],
            carer=carer,
            started_at=now - dt.timedelta(days=3),
            talk_type="acute",
            focus=("supporting", "mapping"),
            target_group="npf",
        ),
        "by_manager": make_talk(
            org.unit_a,
            manager_a,
            kinds["individual_talk"],
            started_at=now - dt.timedelta(days=2),
            talk_type="acute",
            focus=("mapping",),
            target_group="dementia",
        ),
        "series_exempted": make_talk(
            org.unit_a,
            consultant_a,
            kinds["talk_series"],
            exemption=decision,
            started_at=now - dt.timedelta(days=1),
            focus=("wellness",),
            target_group="npf",
        ),
        "talk_a": casework.talk_a,
    }


def _names(talks: dict[str, Talk], response: Any) -> set[str]:
    by_code = {str(talk.code): name for name, talk in talks.items()}
    return {by_code[code] for code in codes(response)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({}, {"old", "recent_identified", "by_manager", "series_exempted", "talk_a"}, id="none"),
        pytest.param(
            {"started_after": "DAYS_AGO_10"},
            {"recent_identified", "by_manager", "series_exempted", "talk_a"},
            id="started_after",
        ),
        pytest.param({"started_before": "DAYS_AGO_10"}, {"old"}, id="started_before"),
        pytest.param({"talk_type": "acute"}, {"recent_identified", "by_manager"}, id="talk_type"),
        pytest.param({"focus": "mapping"}, {"recent_identified", "by_manager"}, id="focus"),
        pytest.param({"focus": "wellness"}, {"series_exempted"}, id="focus-one"),
        pytest.param({"anonymous": "true"}, {"old", "by_manager", "series_exempted"}, id="anonymous"),
        pytest.param({"anonymous": "false"}, {"recent_identified", "talk_a"}, id="identified"),
        pytest.param({"consultant": "MANAGER"}, {"by_manager"}, id="consultant"),
        pytest.param({"support_kind": "talk_series"}, {"series_exempted", "talk_a"}, id="support_kind"),
        pytest.param({"target_group": "npf"}, {"recent_identified", "series_exempted"}, id="target_group"),
        pytest.param({"talk_type": "acute", "anonymous": "true"}, {"by_manager"}, id="combined"),
    ],
)
def test_talk_list_filters(
    casework: Casework,
    talks: dict[str, Talk],
    login_as: Any,
    manager_a: User,
    query: dict[str, str],
    expected: set[str],
) -> None:
    values = dict(query)
    for key, value in values.items():
        if value == "DAYS_AGO_10":
            values[key] = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
        elif value == "MANAGER":
            values[key] = str(manager_a.pk)
        elif key == "support_kind":
            values[key] = str(casework.kinds[value].pk)

    response = login_as("manager_a").get("/samtal/", values)

    assert response.status_code == 200
    assert _names(talks, response) == expected


def test_carer_list_filters(casework: Casework, org: Org, login_as: Any) -> None:
    closed = make_carer(
        org.unit_a,
        first_name="Stängd",
        status="closed",
        closed_on=timezone.localdate(),
        close_reason="moved",
        target_group="npf",
    )
    npf = make_carer(org.unit_a, first_name="Öppen", target_group="npf")
    karin = login_as("consultant_a")

    assert codes(karin.get("/anhoriga/")) == {CARER_A, str(closed.code), str(npf.code)}
    assert codes(karin.get("/anhoriga/", {"status": "closed"})) == {str(closed.code)}
    assert codes(karin.get("/anhoriga/", {"status": "open"})) == {CARER_A, str(npf.code)}
    assert codes(karin.get("/anhoriga/", {"target_group": "npf"})) == {str(closed.code), str(npf.code)}
    assert codes(karin.get("/anhoriga/", {"target_group": "npf", "status": "open"})) == {str(npf.code)}
    assert codes(karin.get("/anhoriga/", {"target_group": "dementia"})) == {CARER_A}


# --- Search by POST ------------------------------------------------------------------------------------


def search(client: Client, term: str, **filters: str) -> Any:
    """Search as the page does: POST ``q`` (filters stay in the query string). Whether the
    answer comes directly or after a redirect, no URL on the way may carry the term."""
    url = "/anhoriga/" + (f"?{urlencode(filters)}" if filters else "")
    response = client.post(url, {"q": term})
    if response.status_code == 302:
        location = response["Location"]
        assert not term or term not in location, location
        assert "q=" not in location, location
        response = client.get(location)
    assert response.status_code == 200
    return response


def _link_targets(response: Any) -> list[str]:
    return re.findall(r'(?:href|action|formaction)="([^"]*)"', response.content.decode())


def test_the_name_search_is_posted_and_never_in_a_url(casework: Casework, org: Org, login_as: Any) -> None:
    other = make_carer(org.unit_a, first_name="Olle", last_name="Andersson")
    karin = login_as("consultant_a")

    listed = search(karin, "Testsson")

    assert codes(listed) == {CARER_A}
    # Every link and form target on the page is free of the search term.
    for target in _link_targets(listed):
        assert "Testsson" not in target, target
    # Filters combine with the search.
    assert codes(search(karin, "Testsson", status="open")) == {CARER_A}
    assert codes(search(karin, "Testsson", status="closed")) == set()
    # Searching for nothing shows everyone.
    assert codes(search(karin, "")) == {CARER_A, str(other.code)}


def test_a_long_name_search_keeps_the_name_out_of_the_page_links(casework: Casework, org: Org, login_as: Any) -> None:
    Carer.objects.bulk_create(
        Carer(
            unit=org.unit_a,
            number=next(_numbers),
            first_name="Nils",
            last_name="Testsson",
            last_entry_at=timezone.now(),
        )
        for _ in range(55)
    )
    karin = login_as("consultant_a")

    first = search(karin, "Testsson", status="open")

    assert first.context["page"].paginator.count == 56
    assert len(first.context["page"].object_list) == 50
    # Whatever the page offers for the rest (page links, or a hint to narrow the search),
    # no link carries the name.
    for target in _link_targets(first):
        assert "Testsson" not in target, target


def test_a_name_in_the_query_string_is_ignored(casework: Casework, org: Org, login_as: Any) -> None:
    other = make_carer(org.unit_a, first_name="Olle")
    karin = login_as("consultant_a")

    assert codes(karin.get("/anhoriga/", {"q": "Testsson"})) == {CARER_A, str(other.code)}


def test_search_by_number_and_email(casework: Casework, org: Org, login_as: Any) -> None:
    other = make_carer(org.unit_a, first_name="Olle", email="olle@example.se")
    karin = login_as("consultant_a")

    assert codes(search(karin, other.label)) == {str(other.code)}
    assert codes(search(karin, str(other.number))) == {str(other.code)}
    assert codes(search(karin, "OLLE@example.se")) == {str(other.code)}


def test_a_search_does_not_reach_outside_the_users_units(casework: Casework, login_as: Any) -> None:
    bertil = login_as("consultant_b")

    assert codes(search(bertil, "Testsson")) == set()
    assert codes(search(bertil, "Bo")) == {CARER_B}


# --- Pagination ------------------------------------------------------------------------------------------


def test_carer_list_pages_by_50(casework: Casework, org: Org, login_as: Any) -> None:
    Carer.objects.bulk_create(
        Carer(unit=org.unit_a, number=next(_numbers), last_entry_at=timezone.now() - dt.timedelta(minutes=i))
        for i in range(60)
    )
    karin = login_as("consultant_a")

    first = karin.get("/anhoriga/")
    second = karin.get("/anhoriga/", {"sida": "2"})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 11
    assert codes(first).isdisjoint(codes(second))
    assert first.context["page"].paginator.count == 61
    assert "sida=2" in first.content.decode()


def test_talk_list_pages_by_50_and_keeps_the_filter(
    casework: Casework, org: Org, consultant_a: User, login_as: Any
) -> None:
    for i in range(55):
        make_talk(
            org.unit_a,
            consultant_a,
            casework.kinds["individual_talk"],
            started_at=timezone.now() - dt.timedelta(hours=i + 1),
        )
    karin = login_as("consultant_a")

    first = karin.get("/samtal/", {"anonymous": "true"})
    second = karin.get("/samtal/", {"anonymous": "true", "sida": "2"})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    html = first.content.decode()
    assert "anonymous=true&amp;sida=2" in html


# --- Query counts ------------------------------------------------------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm: the session and any per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_talk_list_query_count_does_not_grow_with_the_talks(
    casework: Casework, org: Org, consultant_a: User, manager_a: User, login_as: Any
) -> None:
    decision = ExemptionDecision.objects.create(
        municipality=org.unit_a.municipality,
        board="SN",
        decided_on=timezone.localdate() - dt.timedelta(days=9),
        reference="SN 2",
        valid_from=timezone.localdate() - dt.timedelta(days=9),
        reason="other",
        reason_text="…",
        recorded_by=manager_a,
    )

    def add(count: int) -> None:
        for i in range(count):
            carer = make_carer(org.unit_a, first_name=f"Person {i}") if i % 3 == 0 else None
            make_talk(
                org.unit_a if i % 2 else org.unit_a2,
                consultant_a if i % 2 else manager_a,
                casework.kinds["talk_series" if i % 3 == 1 else "individual_talk"],
                carer=carer,
                exemption=decision if i % 3 == 1 else None,
                focus=("supporting", "mapping")[: 1 + i % 2],
            )

    maria = login_as("manager_a")
    add(5)
    few = _count_queries(maria, "/samtal/")
    add(60)
    many = _count_queries(maria, "/samtal/")

    assert many == few
    assert len(maria.get("/samtal/").context["page"].object_list) == 50


def test_carer_list_query_count_does_not_grow_with_the_carers(
    casework: Casework, org: Org, consultant_a: User, manager_a: User, login_as: Any
) -> None:
    def add(count: int) -> None:
        for i in range(count):
            carer = make_carer(
                org.unit_a if i % 2 else org.unit_a2,
                first_name=f"Person {i}",
                support_contact=consultant_a if i % 2 else manager_a,
            )
            if i % 4 == 0:
                make_talk(carer.unit, consultant_a, casework.kinds["individual_talk"], carer=carer)

    maria = login_as("manager_a")
    add(5)
    few = _count_queries(maria, "/anhoriga/")
    add(60)
    many = _count_queries(maria, "/anhoriga/")

    assert many == few
    assert len(maria.get("/anhoriga/").context["page"].object_list) == 50


# --- Access log ------------------------------------------------------------------------------------------


def test_the_talk_list_logs_each_identified_talk_shown_in_one_write(
    casework: Casework, talks: dict[str, Talk], consultant_a: User, login_as: Any
) -> None:
    karin = login_as("consultant_a")
    karin.get("/samtal/")  # warm
    before = set(AccessLog.objects.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        karin.get("/samtal/")

    rows = AccessLog.objects.exclude(pk__in=before)
    identified = {
        str(talks["recent_identified"].code): str(talks["recent_identified"].carer.code),
        str(casework.talk_a.code): CARER_A,
    }
    assert {(row.record_type, row.record_code, row.subject_code, row.action) for row in rows} == {
        ("contacts.talk", code, subject, "view") for code, subject in identified.items()
    }
    assert all(row.actor == consultant_a and row.via == "contacts:talk_list" for row in rows)
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "audit_accesslog"' in q["sql"]]
    assert len(inserts) == 1


def test_the_carer_list_logs_each_carer_shown_in_one_write(
    casework: Casework, org: Org, consultant_a: User, login_as: Any
) -> None:
    others = [make_carer(org.unit_a, first_name=f"P{i}") for i in range(3)]
    karin = login_as("consultant_a")
    karin.get("/anhoriga/")  # warm
    before = set(AccessLog.objects.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        karin.get("/anhoriga/", {"status": "open"})

    rows = AccessLog.objects.exclude(pk__in=before)
    shown = {CARER_A, *(str(carer.code) for carer in others)}
    assert {(row.record_type, row.record_code, row.subject_code, row.action) for row in rows} == {
        ("contacts.carer", code, code, "view") for code in shown
    }
    assert all(row.unit_id == org.unit_a.pk for row in rows)
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "audit_accesslog"' in q["sql"]]
    assert len(inserts) == 1


def test_an_empty_page_logs_nothing(casework: Casework, login_as: Any) -> None:
    karin = login_as("consultant_a")
    before = AccessLog.objects.count()

    karin.get("/samtal/", {"talk_type": "practical"})
    karin.get("/anhoriga/", {"status": "closed"})

    assert AccessLog.objects.count() == before
