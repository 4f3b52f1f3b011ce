"""Smoke tests in a real browser: the public pages, the language switch and staff sign-in.

Each visited page is checked with axe-core (WCAG 2.1 A/AA) and screenshotted.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from django.utils import translation

from tests.conftest import TOTP_SECRET, Org
from tests.e2e.conftest import assert_accessible, totp_code
from tests.e2e.conftest import current_totp_code as _current_totp_code
from tests.e2e.conftest import path_is as _path_is
from tests.factories import TEST_PASSWORD, MunicipalityFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGIN_PATH = "/konto/login/"
MFA_AUTHENTICATE_PATH = "/konto/2fa/authenticate/"
TOTP_ACTIVATE_PATH = "/konto/2fa/totp/activate/"
TODAY_PATH = "/idag/"


def _assert_page_basics(page: Any, *, lang: str, h1: str) -> None:
    """What a visitor sees: the page's language, and one visible h1 with the expected text."""
    assert page.locator("html").get_attribute("lang") == lang
    headings = page.locator("h1")
    assert headings.count() == 1, f"expected exactly one h1 on {page.url}, found {headings.count()}"
    assert headings.first.is_visible()
    assert headings.first.inner_text().strip() == h1
    assert page.console_errors == [], f"JavaScript errors on {page.url}: {page.console_errors}"


def _check_page(page: Any, name: str, *, lang: str, h1: str) -> None:
    """Language, heading and axe together, so one run reports every problem of the page."""
    problems = []
    for check in (lambda: _assert_page_basics(page, lang=lang, h1=h1), lambda: assert_accessible(page, name)):
        try:
            check()
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, f"{name}:\n" + "\n\n".join(problems)


def _submit(page: Any, field: str) -> None:
    """Click the submit button of the form that holds the named field; wait for the answer."""
    with page.expect_navigation():
        page.locator(f"form:has([name='{field}']) button[type='submit']").first.click()


def _sign_in_with_password(page: Any, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto(base_url + LOGIN_PATH)
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    _submit(page, "password")


# --- RFC 6238 itself -----------------------------------------------------------------


def test_totp_code_matches_rfc_6238_vectors() -> None:
    # RFC 6238 appendix B (SHA1, secret "12345678901234567890"), truncated to 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59, digits=8) == "94287082"
    assert totp_code(secret, at=1111111109, digits=8) == "07081804"
    assert totp_code(secret, at=2000000000, digits=8) == "69279037"
    assert totp_code(secret, at=59) == "287082"


# --- Public pages ----------------------------------------------------------------------


def test_visitor_sees_the_list_of_municipalities(live_server: Any, page: Any, org: Org) -> None:
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="Ängsviks kommun").is_visible()
    assert page.get_by_role("link", name="Sjöhaga kommun").is_visible()
    # Whatever the translators call it, it must be Swedish, not the English source text.
    with translation.override("sv"):
        title = translation.gettext("Support for carers")
    _check_page(page, "public-home", lang="sv", h1=title)
    assert title != "Support for carers", "no Swedish translation of 'Support for carers' (run `make messages`)"


@pytest.fixture
def catalogue(org: Org, manager_a: Any) -> None:
    """Unit A's support catalogue, which "Stöd i din kommun" shows."""
    from followup.catalogue.services import catalogue_save

    answers = {"8.1": ("ja", ""), "8.13": ("ja", "Promenadsamtal"), "7.4": ("ja", ""), "7.9": ("", "16")}
    catalogue_save(unit=org.unit_a, year=2026, answers=answers, other_views="", user=manager_a)


def test_visitor_opens_a_municipality_page(live_server: Any, page: Any, org: Org, catalogue: None) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ängsviks kommun").click()
    page.wait_for_url(_path_is("/kommun/9901/"))
    _check_page(page, "municipality-home", lang="sv", h1="Anhörigstöd i Ängsviks kommun")
    assert page.get_by_role("heading", name="Det här erbjuder vi").is_visible()
    assert page.get_by_role("listitem").filter(has_text="Promenadsamtal").is_visible()


def test_single_municipality_start_page(live_server: Any, page: Any) -> None:
    MunicipalityFactory(name="Ängsviks kommun", kommunkod="9901")
    page.goto(live_server.url + "/")
    _check_page(page, "start-single-municipality", lang="sv", h1="Anhörigstöd i Ängsviks kommun")


def test_municipality_page_on_a_phone(live_server: Any, phone_page: Any, org: Org, catalogue: None) -> None:
    phone_page.goto(live_server.url + "/kommun/9901/")
    # Nothing may force sideways scrolling on a narrow screen (WCAG 1.4.10 Reflow).
    overflow = phone_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone's screen"
    _check_page(phone_page, "municipality-home-phone", lang="sv", h1="Anhörigstöd i Ängsviks kommun")


def test_language_switch_to_english(live_server: Any, page: Any, org: Org) -> None:
    page.goto(live_server.url + "/kommun/9901/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(_path_is("/kommun/9901/"))
    page.wait_for_load_state()
    assert page.get_by_role("button", name="På svenska").is_visible()
    _check_page(page, "municipality-home-en", lang="en", h1="Carer support in Ängsviks kommun")


# --- Staff sign-in ---------------------------------------------------------------------


def test_consultant_signs_in_with_password_and_totp(live_server: Any, page: Any, consultant_a: Any) -> None:
    page.goto(live_server.url + LOGIN_PATH)
    _check_page(page, "login", lang="sv", h1="Logga in")

    _sign_in_with_password(page, live_server.url, consultant_a.email)
    page.wait_for_url(_path_is(MFA_AUTHENTICATE_PATH))
    assert page.locator("input[name='code']").is_visible()
    _check_page(page, "mfa-authenticate", lang="sv", h1="Tvåfaktorsautentisering")

    page.fill("input[name='code']", _current_totp_code(TOTP_SECRET))
    _submit(page, "code")
    page.wait_for_url(_path_is(TODAY_PATH))
    _check_page(page, "today", lang="sv", h1="Idag")


def test_staff_without_second_factor_must_set_up_totp(live_server: Any, page: Any, staff_without_mfa: Any) -> None:
    # Signing in lands on the setup page at once (no second password prompt: the adapter
    # waives reauthentication for a staff member who has no factor yet).
    _sign_in_with_password(page, live_server.url, staff_without_mfa.email)
    page.wait_for_url(_path_is(TOTP_ACTIVATE_PATH))

    # Nothing else is reachable before a second factor is set up.
    page.goto(live_server.url + TODAY_PATH)
    page.wait_for_url(_path_is(TOTP_ACTIVATE_PATH))
    _check_page(page, "totp-activate", lang="sv", h1="Aktivera autentiseringsapp")

    # allauth shows the secret as text (a read-only field) next to the QR code.
    secret = page.locator("#authenticator_secret").input_value().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), f"unexpected authenticator secret {secret!r}"
    page.fill("input[name='code']", _current_totp_code(secret))
    _submit(page, "code")
    assert not _path_is(TOTP_ACTIVATE_PATH).match(page.url), "the code was not accepted"

    page.goto(live_server.url + TODAY_PATH)
    page.wait_for_url(_path_is(TODAY_PATH))
    _assert_page_basics(page, lang="sv", h1="Idag")


def test_wrong_password_shows_swedish_error_and_keeps_email(live_server: Any, page: Any, consultant_a: Any) -> None:
    _sign_in_with_password(page, live_server.url, consultant_a.email, password="not-the-password")
    assert _path_is(LOGIN_PATH).match(page.url)
    assert page.get_by_text("Epost-adressen och/eller lösenordet är felaktigt.").is_visible()
    assert page.locator("input[name='login']").input_value() == consultant_a.email
    assert page.locator("input[name='password']").input_value() == ""
    assert_accessible(page, "login-wrong-password")
