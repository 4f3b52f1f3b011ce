"""A manager's pages in a real browser: the follow-up dashboard, loggkontroll, the
support catalogue, the documentation policy and the unit's lists — 0 axe violations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from django.utils import timezone

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_contacts import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = (
    ("/uppfoljning/", "dashboard"),
    ("/uppfoljning/min-arbetsbelastning/", "my-workload"),
    ("/uppfoljning/rapporter/", "reports"),
    ("/uppfoljning/sjalvskattning/", "self-assessment-index"),
    ("/uppfoljning/sjalvskattning/norra/{year}/", "self-assessment-edit"),
    ("/uppfoljning/nationell-export/", "national-export"),
    ("/uppfoljning/nationell-export/?start={year}-01-01", "national-export-preview"),
    ("/loggkontroll/", "log-review"),
    ("/loggkontroll/stickprov/?n=5", "log-sample"),
    ("/katalog/", "catalogue-index"),
    ("/katalog/norra/{year}/", "catalogue-edit"),
    ("/dokumentation/", "documentation-policy"),
    ("/anhoriga/", "carer-list"),
    ("/samtal/", "talk-list"),
    ("/aktiviteter/", "activities"),
    ("/inkorg/", "inbox"),
)


def test_a_manager_reads_the_follow_up_and_the_log(page: Any, live_server: Any, casework: Any, manager_a: Any) -> None:
    _sign_in(page, live_server.url, manager_a.email)
    # Something to read in the log: the manager opens a record first.
    page.goto(f"{live_server.url}/anhoriga/{casework.carer_a.code}/")
    year = (timezone.localdate() - dt.timedelta(days=1)).year
    for path, name in PAGES:
        response = page.goto(live_server.url + path.format(year=year))
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page, f"manager-{name}")
    page.goto(live_server.url + "/loggkontroll/")
    assert page.get_by_text(casework.carer_a.label).first.is_visible()
