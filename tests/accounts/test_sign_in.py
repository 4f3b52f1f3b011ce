"""Sign-in: staff with password and a second factor, carers with an e-mailed code."""

from __future__ import annotations

import re

import pytest
from allauth.account import app_settings as account_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

from django.core import mail
from django.core.cache import cache

from anhorigstod.accounts.models import Membership, User
from tests.conftest import TOTP_SECRET
from tests.factories import TEST_PASSWORD


def current_totp(secret: str = TOTP_SECRET) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(secret, counter):06d}"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_staff_sign_in_needs_password_and_totp(client, consultant_a) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/konto/login/", {"login": consultant_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"
    # The password alone does not sign in.
    assert client.get("/idag/")["Location"].startswith("/konto/login/")

    response = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Felaktig kod" in response.content.decode()

    response = client.post("/konto/2fa/authenticate/", {"code": current_totp()})
    assert response.status_code == 302 and response["Location"] == "/idag/"
    page = client.get("/idag/")
    assert page.status_code == 200
    assert "<h1>Idag</h1>" in page.content.decode()


def test_staff_without_second_factor_must_set_one_up_first(client, staff_without_mfa) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/konto/login/", {"login": staff_without_mfa.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    # Every staff page leads to the set-up page until an authenticator exists.
    for url in ("/idag/", "/personal/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/konto/2fa/totp/activate/", url

    setup = client.get("/konto/2fa/totp/activate/")
    assert setup.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in setup.content.decode()  # shown for typing into the app
    response = client.post("/konto/2fa/totp/activate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.get("/idag/").status_code == 200


RECOVERY_CODES = "/konto/2fa/recovery-codes/"
REAUTHENTICATE = "/konto/reauthenticate/"


def _first_set_up(client, user) -> None:  # type: ignore[no-untyped-def]
    """Sign in with the password and set up the authenticator app; returns at allauth's
    redirect to the recovery codes it made along with it."""
    client.post("/konto/login/", {"login": user.email, "password": TEST_PASSWORD})
    client.get("/konto/2fa/totp/activate/")
    response = client.post("/konto/2fa/totp/activate/", {"code": current_totp(client.session["mfa.totp.secret"])})
    assert response.status_code == 302 and response["Location"] == RECOVERY_CODES


def test_the_first_set_up_shows_the_recovery_codes_without_asking_for_the_password_again(  # type: ignore[no-untyped-def]
    client, staff_without_mfa
) -> None:
    _first_set_up(client, staff_without_mfa)
    response = client.get(RECOVERY_CODES)
    assert response.status_code == 200
    codes = RecoveryCodes(Authenticator.objects.get(user=staff_without_mfa, type="recovery_codes")).get_unused_codes()
    assert codes and all(code in response.content.decode() for code in codes)


def test_the_recovery_codes_ask_for_the_password_once_the_sign_in_is_no_longer_fresh(  # type: ignore[no-untyped-def]
    client, staff_without_mfa
) -> None:
    _first_set_up(client, staff_without_mfa)
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= account_settings.REAUTHENTICATION_TIMEOUT + 1
    session["account_authentication_methods"] = records
    session.save()
    response = client.get(RECOVERY_CODES)
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)


def test_the_recovery_codes_of_factors_older_than_the_sign_in_ask_for_the_password(  # type: ignore[no-untyped-def]
    client, consultant_a
) -> None:
    RecoveryCodes.activate(consultant_a)
    client.post("/konto/login/", {"login": consultant_a.email, "password": TEST_PASSWORD})
    response = client.post("/konto/2fa/authenticate/", {"code": current_totp()})
    assert response["Location"] == "/idag/"
    response = client.get(RECOVERY_CODES)
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)


def test_carer_signs_in_with_an_emailed_code(client, carer) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/konto/login/code/", {"email": carer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert carer.full_name not in message.subject
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert code, message.body
    response = client.post("/konto/login/code/confirm/", {"code": code.group(1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/idag/").status_code == 403  # a carer is not staff


def test_signing_up_never_makes_anyone_staff(client, org) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/konto/signup/", {"email": "ny.anhorig@example.se"})
    assert response.status_code == 302
    user = User.objects.get(email="ny.anhorig@example.se")
    assert not Membership.objects.filter(user=user).exists()
    assert not user.has_usable_password()


def test_failed_logins_are_rate_limited(client, consultant_a) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        response = client.post("/konto/login/", {"login": consultant_a.email, "password": "fel-lösenord"})
        assert response.status_code == 200
        assert "lösenordet är felaktigt" in response.content.decode()
    # The sixth attempt within five minutes is refused, even with the right password.
    response = client.post("/konto/login/", {"login": consultant_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_keeps_the_typed_address(client, consultant_a) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/konto/login/", {"login": consultant_a.email, "password": "fel"})
    assert f'value="{consultant_a.email}"' in response.content.decode()
