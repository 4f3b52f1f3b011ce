"""The follow-up's periods are bounded (issue 22): a date to the year 9999 or from the
year 1, or a period longer than ANHORIGSTOD_FOLLOWUP_MAX_YEARS, is refused with a message
in Swedish on the form, which keeps what was typed; the page shows this year to date."""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from followup.models import FollowUpReport

DASHBOARD = "/uppfoljning/"


@pytest.mark.parametrize(
    "query",
    [
        {"end": "9999-12-31"},
        {"start": "0001-01-01", "end": "2026-12-31"},
        {"start": "2000-01-01", "end": "2026-12-31"},  # 27 years: longer than 10
    ],
)
def test_a_period_out_of_bounds_is_refused_on_the_form_and_this_year_is_shown(login_as, org, query) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get(DASHBOARD, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Välj datum från 1900-01-01" in html or "En period kan vara högst 10 år lång." in html
    assert "Perioden som visas är i år till i dag." in html
    # What was typed stays in the form.
    for value in query.values():
        assert f'value="{value}"' in html
    today = timezone.localdate()
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (today.replace(month=1, day=1), today)


@pytest.mark.parametrize("path", ["export.csv", "export.xlsx"])
def test_an_export_of_an_unbounded_period_is_this_year_to_date(login_as, org, path) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get(DASHBOARD + path, {"start": "0001-01-01", "end": "2026-12-31"})
    assert response.status_code == 200


def test_ten_years_are_allowed(login_as, org, settings) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    response = login_as("manager_a").get(DASHBOARD, {"start": f"{year - 9}-01-01", "end": f"{year}-12-31"})
    assert 'role="alert"' not in response.content.decode()
    assert response.context["figures"].start == dt.date(year - 9, 1, 1)


def test_a_report_to_the_year_9999_is_refused_and_nothing_is_queued(login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    response = client.post(
        "/uppfoljning/rapporter/", {"unit": org.unit_a.pk, "start": "2026-01-01", "end": "9999-12-31"}
    )
    assert response.status_code == 200
    assert "Välj datum från 1900-01-01" in response.content.decode()
    assert not FollowUpReport.objects.exists()
