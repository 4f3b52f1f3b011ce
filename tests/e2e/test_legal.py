"""The legal pages in a real browser: reached from the footer, read on a phone and in
English, and the administrator's page; each checked with axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

from typing import Any

import pytest

from anhorigstod.legal.models import PrivacyNotice
from tests.conftest import Org
from tests.e2e.conftest import assert_accessible
from tests.e2e.conftest import path_is as _path_is
from tests.e2e.conftest import sign_in as _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _h1(page: Any) -> str:
    headings = page.locator("h1")
    assert headings.count() == 1, f"expected exactly one h1 on {page.url}"
    return str(headings.first.inner_text()).strip()


def _footer_link(page: Any, name: str) -> Any:
    return page.locator("footer").get_by_role("link", name=name)


def test_a_visitor_finds_the_privacy_notice_from_the_footer(live_server: Any, page: Any, org: Org) -> None:
    page.goto(live_server.url + "/kommun/9901/")
    _footer_link(page, "Personuppgifter").click()
    page.wait_for_url(_path_is("/personuppgifter/"))
    assert _h1(page) == "Så behandlar vi dina personuppgifter"
    assert_accessible(page, "privacy-index")
    page.get_by_role("link", name="Ängsviks kommun").click()
    page.wait_for_url(_path_is("/kommun/9901/personuppgifter/"))
    assert _h1(page) == "Så behandlar Ängsviks kommun dina personuppgifter"
    assert page.get_by_role("heading", name="Dina rättigheter").is_visible()
    assert page.get_by_role("link", name="www.imy.se").is_visible()
    assert_accessible(page, "privacy-notice")


def test_a_visitor_reads_the_accessibility_statement_from_the_footer(live_server: Any, page: Any, org: Org) -> None:
    page.goto(live_server.url + "/kalender/")
    _footer_link(page, "Tillgänglighetsredogörelse").click()
    page.wait_for_url(_path_is("/tillganglighet/"))
    assert _h1(page) == "Tillgänglighetsredogörelse"
    assert page.get_by_role("link", name="Anmäl bristande tillgänglighet (digg.se)").is_visible()
    assert_accessible(page, "accessibility-statement")


def test_the_legal_pages_on_a_phone_and_in_english(live_server: Any, phone_page: Any, org: Org) -> None:
    for path, name in (("/kommun/9901/personuppgifter/", "privacy-notice"), ("/tillganglighet/", "accessibility")):
        phone_page.goto(live_server.url + path)
        # Nothing may force sideways scrolling on a narrow screen (WCAG 1.4.10 Reflow).
        overflow = phone_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone's screen"
        assert_accessible(phone_page, f"{name}-phone")
    phone_page.get_by_role("button", name="In English").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("html").get_attribute("lang") == "en"
    assert _h1(phone_page) == "Accessibility statement"
    assert_accessible(phone_page, "accessibility-en")
    phone_page.goto(live_server.url + "/kommun/9901/personuppgifter/")
    assert _h1(phone_page) == "How Ängsviks kommun processes your personal data"
    assert_accessible(phone_page, "privacy-notice-en")


def test_the_administrator_fills_in_the_privacy_notice(live_server: Any, page: Any, admin_a: Any) -> None:
    _sign_in(page, live_server.url, admin_a.email)
    page.locator("nav").get_by_role("link", name="Integritetsmeddelande").click()
    page.wait_for_url(_path_is("/installningar/personuppgifter/9901/"))
    assert _h1(page) == "Integritetsmeddelande – Ängsviks kommun"
    assert page.get_by_role("heading", name="Publicerad nu: standardtexten").is_visible()
    assert_accessible(page, "privacy-admin")

    page.get_by_label("Personuppgiftsansvarig", exact=True).fill("Socialnämnden i Ängsviks kommun")
    page.get_by_label("Dataskyddsombudets e-postadress").fill("inte-en-adress")
    page.get_by_role("button", name="Spara och publicera").click()
    page.wait_for_load_state()
    assert page.get_by_text("Fyll i en giltig e-postadress.").is_visible()
    # What was typed is still there.
    assert page.get_by_label("Personuppgiftsansvarig", exact=True).input_value() == "Socialnämnden i Ängsviks kommun"
    assert_accessible(page, "privacy-admin-error")

    page.get_by_label("Dataskyddsombudets e-postadress").fill("dataskyddsombud@angsvik.example")
    page.get_by_role("button", name="Spara och publicera").click()
    page.wait_for_url(_path_is("/installningar/personuppgifter/9901/"))
    assert page.get_by_text("Integritetsmeddelandet är sparat och publicerat.").is_visible()
    assert_accessible(page, "privacy-admin-saved")
    assert PrivacyNotice.objects.get().dpo_email == "dataskyddsombud@angsvik.example"

    page.get_by_role("link", name="Se det publicerade meddelandet").click()
    page.wait_for_url(_path_is("/kommun/9901/personuppgifter/"))
    assert page.get_by_text("Socialnämnden i Ängsviks kommun är personuppgiftsansvarig").is_visible()
    assert page.get_by_role("link", name="dataskyddsombud@angsvik.example").is_visible()
