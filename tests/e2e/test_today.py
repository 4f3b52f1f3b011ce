""" "Idag" with a full day in a real browser: overdue, today's and coming follow-ups, today's
sessions, a contact request, interest, an unsigned note and drafts, then a follow-up marked
done from the keyboard and a stödplan item changed. 0 axe violations on each page."""

from __future__ import annotations

from typing import Any

import pytest

from contacts.models import Talk
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_contacts import _sign_in, sv
from tests.test_today import build_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_consultants_day_on_idag(
    page: Any, live_server: Any, org: Any, casework: Any, consultant_a: Any, consultant_b: Any
) -> None:
    day = build_day(org, casework, consultant_a, consultant_b)
    _sign_in(page, live_server.url, consultant_a.email)  # lands on Idag
    assert page.get_by_role("heading", level=1).inner_text().strip() == sv("Today")
    follow_ups = page.locator("#follow-ups")
    assert follow_ups.get_by_role("heading", name=sv("Overdue"), exact=True).is_visible()
    assert page.locator("#sessions tbody tr").count() == 2  # today's two, not tomorrow's
    assert_accessible(page, "today-full-day")

    # The overdue talk's follow-up is done: Tab to its button and press Enter.
    overdue_row = follow_ups.locator("tr", has=page.locator(f'a[href="/samtal/{day.talk_overdue.code}/"]'))
    button = overdue_row.get_by_role("button")
    button.focus()
    with page.expect_navigation():
        button.press("Enter")
    assert page.url.endswith("/idag/")
    assert page.locator(f'#follow-ups a[href="/samtal/{day.talk_overdue.code}/"]').count() == 0
    assert page.locator(".message").first.is_visible()
    assert Talk.objects.get(pk=day.talk_overdue.pk).follow_up_done_at is not None
    assert_accessible(page, "today-after-mark-done")

    # The coming stödplan item, from its link to the record, then changed.
    item = day.item_coming
    page.goto(f"{live_server.url}/anhoriga/{item.carer.code}/#plan-{item.code}")
    assert page.locator(f"#plan-{item.code}").is_visible()
    assert_accessible(page, "today-carer-plan")
    page.locator(f"#plan-{item.code}").get_by_role("link").first.click()
    page.wait_for_url(f"**/stodplan/{item.code}/")
    assert_accessible(page, "today-plan-item-edit")
    page.locator("textarea[name='actions']").fill("Ringa biståndshandläggaren")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save")).click()
    item.refresh_from_db()
    assert item.actions == "Ringa biståndshandläggaren"

    # The workload lists the overdue plan item first, marked in words.
    page.goto(f"{live_server.url}/uppfoljning/min-arbetsbelastning/")
    first = page.locator("table.follow-ups tbody tr").first
    assert f"#plan-{day.item_overdue.code}" in (first.locator("a").first.get_attribute("href") or "")
    assert first.locator(".badge--overdue").is_visible()
    assert_accessible(page, "today-workload")
