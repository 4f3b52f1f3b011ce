"""A manager in a real browser: from the dashboard to a PDF report made by a real Celery
worker (Redis, PostgreSQL), waited for on the self-refreshing list and downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_contacts import _sign_in
from tests.followup.test_reports import (  # noqa: F401  (fixtures)
    dataset,
    line_with,
    pdf_text,
    private_files,
    report_worker,
    reports_on_the_worker,
)
from tests.groups.conftest import activity_booking, activity_drop_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]


def test_a_manager_requests_a_report_waits_and_downloads_it(
    page: Any,
    live_server: Any,
    dataset: Any,  # noqa: F811
    reports_on_the_worker: str,  # noqa: F811
    manager_a: Any,
) -> None:
    _sign_in(page, live_server.url, manager_a.email)
    page.goto(f"{live_server.url}/uppfoljning/?start=2025-03-01&end=2025-03-31&unit={dataset.unit_a.pk}")
    assert page.get_by_role("cell", name="6", exact=True).first.is_visible()
    assert_accessible(page, "report-dashboard")

    page.get_by_role("link", name="Beställ perioden som PDF-rapport").click()
    # The form holds the dashboard's unit and period.
    assert page.get_by_label("Från").input_value() == "2025-03-01"
    assert page.get_by_label("Till").input_value() == "2025-03-31"
    assert page.get_by_label("Enhet").locator("option:checked").inner_text() == dataset.unit_a.name
    assert_accessible(page, "report-request")
    with page.expect_navigation():
        page.locator("main button[type=submit]", has_text="Beställ rapport").click()

    # The list refreshes itself every 5 seconds until the worker has made the report.
    download_link = page.get_by_role("link", name="Ladda ner PDF")
    download_link.wait_for(timeout=90_000)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert_accessible(page, "report-done")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert line_with(text, "Enskilda samtal").endswith(" 6")
    assert "Ängsviks kommun" in text
