"""A staff member's security key (WebAuthn), with Chromium's virtual authenticator.

The Chrome DevTools Protocol's WebAuthn domain gives the page a software FIDO2 key,
so navigator.credentials.create()/get() run for real and allauth verifies real
attestation and assertion signatures (python-fido2). Each page is checked with axe.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import TOTP_SECRET
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_smoke import (
    MFA_AUTHENTICATE_PATH,
    TODAY_PATH,
    _current_totp_code,
    _path_is,
    _sign_in_with_password,
    _submit,
)
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADD_KEY_PATH = "/konto/2fa/webauthn/add/"
REAUTHENTICATE_PATH = "/konto/reauthenticate/"


def _virtual_authenticator(page: Any) -> tuple[Any, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    created = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, created["authenticatorId"]


def test_staff_member_registers_a_security_key_and_signs_in_with_it(
    live_server: Any, page: Any, consultant_a: Any
) -> None:
    cdp, authenticator_id = _virtual_authenticator(page)

    # Signed in as usual (password and TOTP), the consultant adds a key.
    _sign_in_with_password(page, live_server.url, consultant_a.email)
    page.wait_for_url(_path_is(MFA_AUTHENTICATE_PATH))
    page.fill("input[name='code']", _current_totp_code(TOTP_SECRET))
    _submit(page, "code")
    page.wait_for_url(_path_is(TODAY_PATH))

    page.goto(live_server.url + ADD_KEY_PATH)
    if _path_is(REAUTHENTICATE_PATH).match(page.url):
        # allauth asks for the password again before a new factor is added.
        page.fill("input[name='password']", TEST_PASSWORD)
        _submit(page, "password")
    assert _path_is(ADD_KEY_PATH).match(page.url), page.url
    assert_accessible(page, "webauthn-add")
    page.fill("input[name='name']", "Jobbnyckel")
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()
    assert page.console_errors == [], page.console_errors
    key = Authenticator.objects.get(user=consultant_a, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Jobbnyckel"
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]) == 1

    # Signed out, then in again: the password, then the key instead of a code.
    page.goto(live_server.url + "/konto/logout/")
    with page.expect_navigation():
        page.locator("main form button[type='submit']").first.click()
    page.goto(live_server.url + TODAY_PATH)
    assert not _path_is(TODAY_PATH).match(page.url), "still signed in after signing out"

    _sign_in_with_password(page, live_server.url, consultant_a.email)
    page.wait_for_url(_path_is(MFA_AUTHENTICATE_PATH))
    assert_accessible(page, "mfa-authenticate-with-key")
    with page.expect_navigation():
        page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url(_path_is(TODAY_PATH))
    assert page.locator("h1").inner_text().strip() == "Idag"
    assert page.console_errors == [], page.console_errors
    key.refresh_from_db()
    assert key.last_used_at is not None
