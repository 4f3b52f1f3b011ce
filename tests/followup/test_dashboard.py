"""The follow-up pages through the client: who may see them, and what they show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from django.utils import timezone

from contacts.models import Talk

DASHBOARD = "/uppfoljning/"
EXPORT = "/uppfoljning/export.csv"
WORKLOAD = "/uppfoljning/min-arbetsbelastning/"


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.fixture
def this_year_talks(org, casework, consultant_a):  # type: ignore[no-untyped-def]
    """Six more talks of Karin's in unit A this year (seven with casework.talk_a), one due for follow-up."""
    today = timezone.localdate()
    start = timezone.now().replace(month=1, day=1, hour=10, minute=0, second=0, microsecond=0)
    for i in range(6):
        Talk.objects.create(
            unit=org.unit_a, consultant=consultant_a, support_kind=casework.kinds["individual_talk"],
            started_at=min(start + dt.timedelta(days=i), timezone.now()), duration_minutes=30, mode="phone",
            talk_type="advice", initiator="carer", time_of_day="daytime", informed_right_to_apply="yes",
            asked_about_children="no", follow_up_on=today + dt.timedelta(days=3) if i == 0 else None,
        )  # fmt: skip


@pytest.mark.parametrize("persona", ["consultant_a", "consultant_b", "admin_a", "carer"])
def test_only_managers_see_the_dashboard(persona: str, login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as(persona)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db) -> None:  # type: ignore[no-untyped-def]
    for url in (DASHBOARD, EXPORT, WORKLOAD):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


def test_manager_sees_the_figures_of_her_units(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(html) == 1
    # This year to date by default: casework.talk_a and the six above, unless talk_a fell last year.
    talks = response.context["figures"]["support_talks"]["talks"]
    assert talks in (6, 7)
    assert response.context["figures"]["start"] == timezone.localdate().replace(month=1, day=1)
    assert "Karin Konsulent" in html


def test_a_unit_outside_the_managers_reach_is_a_404(login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    assert client.get(DASHBOARD, {"unit": org.unit_b.pk}).status_code == 404
    assert client.get(EXPORT, {"unit": org.unit_b.pk}).status_code == 404
    assert client.get(DASHBOARD, {"unit": org.unit_a.pk}).status_code == 200


def test_choosing_one_unit_counts_only_that_unit(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    response = client.get(DASHBOARD, {"unit": org.unit_a2.pk})
    assert response.context["figures"]["support_talks"]["talks"] == 0


def test_export_is_suppressed_and_neutralised(login_as, org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    # A consultant whose name a spreadsheet would run as a formula.
    consultant_a.full_name = '=HYPERLINK("http://evil")'
    consultant_a.save()
    response = login_as("manager_a").get(EXPORT, {"start": "2000-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    # One talk (casework.talk_a): shown as "<5".
    individual = next(row for row in rows if row[1] == "Individual talks" or row[1].startswith("Enskilda"))
    assert individual[2] == "<5"


def test_consultant_sees_her_own_workload(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    response = login_as("consultant_a").get(WORKLOAD)
    assert response.status_code == 200
    assert h1_count(response.content.decode()) == 1
    assert len(response.context["due"]) == 1


def test_consultant_b_sees_nothing_of_unit_a(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    response = login_as("consultant_b").get(WORKLOAD)
    assert response.status_code == 200
    assert len(response.context["due"]) == 0
    assert all(row["talks"] == 0 for row in response.context["rows"])
    assert login_as("consultant_b").get(DASHBOARD).status_code == 403
