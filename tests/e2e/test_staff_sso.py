"""Staff SSO in a real browser, against the OpenID Connect provider on loopback.

The browser goes from the sign-in page to the provider (tests/oidc_provider.py) and
back, as it would to a municipality's identity provider; axe checks every page of
ours that it stops on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from anhorigstod.accounts.models import User
from tests.accounts.test_staff_sso import configure
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_smoke import LOGIN_PATH, MFA_AUTHENTICATE_PATH, TODAY_PATH, _path_is
from tests.oidc_provider import Identity, OIDCProvider, running_provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CALLBACK_PATH = "/konto/oidc/staff-sso/login/callback/"


@pytest.fixture
def provider(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[OIDCProvider]:
    with running_provider() as running:
        configure(settings, monkeypatch, running)
        yield running


def _sign_in_through_sso(page: Any, base_url: str) -> None:
    page.goto(base_url + LOGIN_PATH)
    with page.expect_navigation():
        page.get_by_role("link", name="Kommunens inloggning").click()
    # allauth asks before leaving the site (a GET never starts a sign-in).
    assert_accessible(page, "sso-continue")
    # To the provider, which signs the person in at once, and back: one chain of redirects.
    with page.expect_navigation():
        page.locator("main form button[type='submit']").first.click()


def test_staff_member_signs_in_through_sso_with_trusted_mfa(
    live_server: Any, page: Any, settings: Any, provider: OIDCProvider, consultant_a: Any
) -> None:
    settings.ANHORIGSTOD_OIDC_TRUSTED_MFA = ["mfa"]
    provider.identity = Identity(sub="entra-karin", email=consultant_a.email, amr=["pwd", "mfa"])

    _sign_in_through_sso(page, live_server.url)

    page.wait_for_url(_path_is(TODAY_PATH))
    assert page.locator("h1").inner_text().strip() == "Idag"
    assert page.console_errors == [], page.console_errors


def test_untrusted_mfa_asks_for_the_code_and_says_why(
    live_server: Any, page: Any, settings: Any, provider: OIDCProvider, consultant_a: Any
) -> None:
    settings.ANHORIGSTOD_OIDC_TRUSTED_MFA = ["mfa"]
    provider.identity = Identity(sub="entra-karin", email=consultant_a.email, amr=["pwd"])

    _sign_in_through_sso(page, live_server.url)

    page.wait_for_url(_path_is(MFA_AUTHENTICATE_PATH))
    assert page.get_by_text("Kommunens inloggning angav inte att du använde tvåfaktorsinloggning").is_visible()
    assert_accessible(page, "sso-mfa-authenticate")


def test_unknown_person_is_refused(live_server: Any, page: Any, provider: OIDCProvider, consultant_a: Any) -> None:
    users_before = User.objects.count()
    provider.identity = Identity(sub="entra-okand", email="okand@angsvik.example")

    _sign_in_through_sso(page, live_server.url)

    assert _path_is(CALLBACK_PATH).match(page.url), page.url
    assert page.locator("h1").inner_text().strip() == "Du kunde inte loggas in"
    assert page.get_by_text("den skapar aldrig konton, och inget har skapats").is_visible()
    assert_accessible(page, "sso-refused")
    assert User.objects.count() == users_before
