"""An administrator offboards a consultant in a real browser: the person's page, handing
their carers over, removing them from a unit, deactivating the account — 0 axe violations
on every page, and the consultant can no longer sign in."""

from __future__ import annotations

from typing import Any

import pytest

from anhorigstod.accounts.models import Membership, Role
from contacts.models import Carer
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_contacts import _sign_in
from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_offboards_a_consultant(  # type: ignore[no-untyped-def]
    page: Any, browser: Any, live_server: Any, org, casework, admin_a
) -> None:
    karin = casework.talk_a.consultant
    kim = MembershipFactory(user__full_name="Kim Kollega", unit=org.unit_a, role=Role.CONSULTANT).user
    MembershipFactory(user=karin, unit=org.unit_a2, role=Role.CONSULTANT)
    base = live_server.url
    _sign_in(page, base, admin_a.email)

    page.goto(base + "/personal/")
    assert_accessible(page, "staff-list")
    page.get_by_role("link", name="Karin Konsulent").first.click()
    page.wait_for_url(f"**/personal/{karin.code}/")
    assert page.locator("h1").inner_text() == "Karin Konsulent"
    assert_accessible(page, "staff-detail")

    # She is stödkontakt in Norra, so leaving it first asks for a hand-over.
    page.goto(f"{base}/personal/{karin.code}/enhet/norra/ta-bort/")
    assert page.get_by_text("stödkontakt för 1 anhörig").is_visible()
    assert_accessible(page, "staff-remove-blocked")

    page.goto(f"{base}/personal/{karin.code}/overlamning/")
    assert_accessible(page, "handover-index")
    page.get_by_role("link", name="Lämna över (Anhörigstöd Norra)").click()
    page.wait_for_url("**/overlamning/norra/")
    assert_accessible(page, "handover-unit")
    page.get_by_label("Ny stödkontakt").select_option(label=f"Kim Kollega ({kim.email})")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 anhörig i Anhörigstöd Norra flyttas från Karin Konsulent till Kim Kollega.").is_visible()
    assert_accessible(page, "handover-confirm")
    page.get_by_role("button", name="Lämna över").click()
    page.wait_for_url("**/overlamning/")
    assert page.get_by_text("1 anhörig har nu Kim Kollega som stödkontakt.").is_visible()
    assert Carer.objects.get(pk=casework.carer_a.pk).support_contact == kim

    # Now she can leave Norra; she stays in Södra.
    page.goto(f"{base}/personal/{karin.code}/enhet/norra/ta-bort/")
    assert_accessible(page, "staff-remove")
    page.get_by_role("button", name="Ta bort från enheten").click()
    page.wait_for_url(f"**/personal/{karin.code}/")
    assert list(Membership.objects.filter(user=karin).values_list("unit__code", flat=True)) == ["sodra"]

    page.get_by_role("link", name="Inaktivera kontot").click()
    page.wait_for_url("**/inaktivera/")
    assert_accessible(page, "staff-deactivate")
    page.get_by_role("button", name="Inaktivera kontot").click()
    page.wait_for_url(f"**/personal/{karin.code}/")
    assert page.get_by_text("Kontot för Karin Konsulent är inaktiverat.").is_visible()
    assert_accessible(page, "staff-detail-deactivated")
    page.get_by_role("link", name="Återaktivera kontot").click()
    page.wait_for_url("**/aktivera/")
    assert_accessible(page, "staff-reactivate")

    # Karin, in her own browser, can no longer sign in.
    context = browser.new_context(bypass_csp=True, locale="sv-SE")
    hers = context.new_page()
    hers.goto(base + "/konto/login/")
    hers.fill("input[name='login']", karin.email)
    hers.fill("input[name='password']", TEST_PASSWORD)
    hers.locator("form:has([name='password']) button[type='submit']").first.click()
    hers.wait_for_load_state()
    assert "/konto/inactive/" in hers.url
    assert hers.locator("h1").count() == 1
    assert_accessible(hers, "account-inactive")
    hers.goto(base + "/idag/")
    assert "/konto/login/" in hers.url
    context.close()
