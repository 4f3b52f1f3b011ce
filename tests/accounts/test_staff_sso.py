"""Staff SSO against a real OpenID Connect provider on loopback (tests/oidc_provider.py).

allauth's openid_connect provider runs unmocked: it reads the provider's discovery
document, sends the browser to its authorization endpoint (the test follows that
redirect with ``requests``), and on the callback calls the token and userinfo
endpoints over HTTP and decodes the RS256-signed ID token.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from anhorigstod.accounts.models import Membership, User
from anhorigstod.accounts.sso import provider_mfa_verdict, verified_email, verified_email_in
from anhorigstod.settings import _oidc_app
from tests.accounts.test_sign_in import current_totp
from tests.oidc_provider import Identity, OIDCProvider, running_provider

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


@pytest.fixture
def provider() -> Iterator[OIDCProvider]:
    with running_provider() as running:
        yield running


def configure(settings: Any, monkeypatch: pytest.MonkeyPatch, provider: OIDCProvider, **env: str) -> None:
    """The staff SSO app exactly as anhorigstod.settings builds it from the environment."""
    monkeypatch.setenv("OIDC_STAFF_SERVER_URL", provider.issuer)
    monkeypatch.setenv("OIDC_STAFF_CLIENT_ID", provider.client.client_id)
    monkeypatch.setenv("OIDC_STAFF_CLIENT_SECRET", provider.client.client_secret)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = _oidc_app("OIDC_STAFF", "staff-sso", "Kommunens inloggning")
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [app], "OAUTH_PKCE_ENABLED": True}}


@pytest.fixture
def sso(settings: Any, monkeypatch: pytest.MonkeyPatch, provider: OIDCProvider) -> OIDCProvider:
    settings.ANHORIGSTOD_OIDC_TRUSTED_MFA = []
    configure(settings, monkeypatch, provider)
    return provider


def sign_in_through_sso(client: Any, provider: OIDCProvider, identity: Identity) -> Any:
    """Press "Kommunens inloggning", pass the provider, and return the callback's response."""
    provider.identity = identity
    start = client.post("/konto/oidc/staff-sso/login/")
    assert start.status_code == 302, start.content.decode()[:500]
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    callback = urlsplit(at_provider.headers["Location"])
    assert callback.path == "/konto/oidc/staff-sso/login/callback/"
    assert "code=" in callback.query
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_as(client: Any) -> str | None:
    return client.session.get("_auth_user_id")


def test_existing_staff_member_signs_in_on_the_first_try_and_trusted_mfa_skips_totp(
    client, settings, consultant_a, sso
) -> None:  # type: ignore[no-untyped-def]
    settings.ANHORIGSTOD_OIDC_TRUSTED_MFA = ["mfa"]
    users_before = User.objects.count()
    # The provider writes the address its own way; it is the same address.
    identity = Identity(sub="entra-karin", email="Karin@Angsvik.example", amr=["pwd", "mfa"])

    response = sign_in_through_sso(client, sso, identity)

    assert response.status_code == 302 and response["Location"] == "/idag/"
    page = client.get("/idag/")
    assert page.status_code == 200
    assert "<h1>Idag</h1>" in page.content.decode()
    assert signed_in_as(client) == str(consultant_a.pk)
    account = SocialAccount.objects.get(provider="staff-sso")
    assert (account.uid, account.user) == ("entra-karin", consultant_a)
    assert account.extra_data == {}  # nothing from the provider is kept
    assert User.objects.count() == users_before
    # allauth used PKCE (the provider requires it) and the real token endpoint.
    (authorization,) = sso.authorization_requests
    assert authorization["code_challenge_method"] == "S256"
    assert set(authorization["scope"].split()) == {"openid", "profile", "email"}
    assert sso.token_requests == 1

    # The next time the linked account is found by its subject, whatever the address.
    client.post("/konto/logout/")
    assert signed_in_as(client) is None
    again = sign_in_through_sso(client, sso, Identity(sub="entra-karin", email="karin@angsvik.example", amr=["mfa"]))
    assert again["Location"] == "/idag/"
    assert signed_in_as(client) == str(consultant_a.pk)
    assert SocialAccount.objects.filter(provider="staff-sso").count() == 1


def test_without_trusted_mfa_totp_is_asked_and_the_page_says_why(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    response = sign_in_through_sso(client, sso, Identity(sub="entra-karin", email=consultant_a.email, amr=["mfa"]))

    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"
    assert signed_in_as(client) is None
    page = client.get("/konto/2fa/authenticate/").content.decode()
    assert "Inloggning via kommunens inloggning räknas inte som tvåfaktorsinloggning här" in page
    # The account is linked all the same, so the next sign-in is found at once.
    assert SocialAccount.objects.get(provider="staff-sso").user == consultant_a

    response = client.post("/konto/2fa/authenticate/", {"code": current_totp()})
    assert response.status_code == 302 and response["Location"] == "/idag/"
    assert client.get("/idag/").status_code == 200


def test_trusted_mfa_not_asserted_by_the_token_asks_for_totp(client, settings, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    settings.ANHORIGSTOD_OIDC_TRUSTED_MFA = ["mfa", LOA3]
    identity = Identity(sub="entra-karin", email=consultant_a.email, acr="urn:password-only", amr=["pwd"])

    response = sign_in_through_sso(client, sso, identity)

    assert response["Location"] == "/konto/2fa/authenticate/"
    assert signed_in_as(client) is None
    page = client.get("/konto/2fa/authenticate/").content.decode()
    assert "Kommunens inloggning angav inte att du använde tvåfaktorsinloggning" in page


def test_trusted_acr_lets_staff_without_an_own_authenticator_in(
    client, settings, monkeypatch, provider, staff_without_mfa
) -> None:  # type: ignore[no-untyped-def]
    settings.ANHORIGSTOD_OIDC_TRUSTED_MFA = [LOA3]
    configure(settings, monkeypatch, provider, OIDC_STAFF_ACR_VALUES=LOA3)
    identity = Identity(sub="entra-nora", email=staff_without_mfa.email, acr=LOA3, amr=["pwd"])

    response = sign_in_through_sso(client, provider, identity)

    # The provider was asked for the level of authentication that is trusted.
    assert provider.authorization_requests[0]["acr_values"] == LOA3
    assert response["Location"] == "/idag/"
    # Not sent to set up TOTP: the provider's MFA is the second factor of this session.
    page = client.get("/idag/")
    assert page.status_code == 200 and "<h1>Idag</h1>" in page.content.decode()

    # A password sign-in of the same person is not covered by it.
    client.post("/konto/logout/")
    client.force_login(staff_without_mfa, backend=settings.AUTHENTICATION_BACKENDS[0])
    assert client.get("/idag/")["Location"] == "/konto/2fa/totp/activate/"


def test_unknown_person_is_refused_and_no_account_is_created(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    users_before = User.objects.count()

    response = sign_in_through_sso(client, sso, Identity(sub="entra-okand", email="okand@angsvik.example"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Du kunde inte loggas in</h1>" in page
    assert "Det finns inget aktivt personalkonto här med den e-postadress" in page
    assert "Anmälan stängd" not in page
    assert signed_in_as(client) is None
    assert User.objects.count() == users_before
    assert not User.objects.filter(email__iexact="okand@angsvik.example").exists()
    assert not SocialAccount.objects.exists()


def test_a_carer_with_the_address_is_not_staff_and_is_refused(client, carer, sso) -> None:  # type: ignore[no-untyped-def]
    response = sign_in_through_sso(client, sso, Identity(sub="entra-cecilia", email=carer.email))

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert not Membership.objects.filter(user=carer).exists()


def test_unverified_email_is_refused(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    identity = Identity(sub="entra-karin", email=consultant_a.email, email_verified=False, amr=["mfa"])

    response = sign_in_through_sso(client, sso, identity)

    assert response.status_code == 403
    assert "har inte verifierat din e-postadress" in response.content.decode()
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_deactivated_staff_member_is_refused_even_when_linked(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    identity = Identity(sub="entra-karin", email=consultant_a.email)
    sign_in_through_sso(client, sso, identity)
    assert SocialAccount.objects.filter(user=consultant_a).exists()
    client.logout()
    Membership.objects.filter(user=consultant_a).delete()

    response = sign_in_through_sso(client, sso, identity)

    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_inactive_user_is_not_matched(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=consultant_a.pk).update(is_active=False)

    response = sign_in_through_sso(client, sso, Identity(sub="entra-karin", email=consultant_a.email))

    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "a@example.se", "email_verified": True}, "a@example.se"),
        ({"email": "a@example.se", "email_verified": "true"}, None),  # a string is not a verification
        ({"email": "a@example.se"}, None),
        ({"email_verified": True}, None),
    ],
)
def test_verified_email(claims: dict[str, Any], expected: str | None) -> None:
    assert verified_email(claims) == expected


@pytest.mark.parametrize(
    ("token", "trusted", "verdict"),
    [
        ({"amr": ["pwd", "otp"]}, ["otp", "hwk"], (True, "")),
        ({"acr": LOA3}, [LOA3], (True, "")),
        ({"amr": "mfa"}, ["mfa"], (True, "")),
        ({"amr": ["pwd"], "acr": "1"}, ["mfa"], (False, "not_asserted")),
        ({"amr": ["mfa"]}, [], (False, "not_configured")),
    ],
)
def test_provider_mfa_verdict(token: dict[str, Any], trusted: list[str], verdict: tuple[bool, str]) -> None:
    result = provider_mfa_verdict(token, trusted)
    assert (result.trusted, result.reason) == verdict


def test_a_signed_in_staff_member_can_still_link_the_provider_by_hand(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    # The address at the provider differs: linking from the connections page is the
    # way for such a staff member, and it links to whoever is signed in.
    client.force_login(consultant_a, backend="django.contrib.auth.backends.ModelBackend")
    sso.identity = Identity(sub="entra-karin", email="k.konsulent@annan.example", email_verified=False)
    start = client.post("/konto/oidc/staff-sso/login/", {"process": "connect"})
    assert start.status_code == 302 and start["Location"].startswith(f"{sso.issuer}/authorize?")
    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    client.get(f"{back.path}?{back.query}")

    assert SocialAccount.objects.get(provider="staff-sso", uid="entra-karin").user == consultant_a


def test_the_loopback_provider_issues_signed_id_tokens_with_the_claims(provider) -> None:  # type: ignore[no-untyped-def]
    """The provider itself, without allauth: discovery, PKCE, RS256 over its JWKS, nonce, acr/amr."""
    from authlib.oauth2.rfc7636 import create_s256_code_challenge
    from joserfc import jwt
    from joserfc.jwk import KeySet

    config = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert config["issuer"] == provider.issuer
    provider.identity = Identity(sub="s1", email="a@example.se", acr=LOA3, amr=["pwd", "otp"])
    verifier = "v" * 50
    redirect_uri = "http://testserver/konto/oidc/staff-sso/login/callback/"
    params = {
        "response_type": "code",
        "client_id": provider.client.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid email",
        "state": "st",
        "nonce": "n-0S6_WzA2Mj",
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    # Without PKCE the provider refuses, as the tests rely on it to show allauth uses PKCE.
    refused = requests.get(
        config["authorization_endpoint"],
        params={k: v for k, v in params.items() if not k.startswith("code_")},
        allow_redirects=False,
        timeout=10,
    )
    assert "error=invalid_request" in refused.headers["Location"]
    answer = requests.get(config["authorization_endpoint"], params=params, allow_redirects=False, timeout=10)
    code = dict(parse_qsl(urlsplit(answer.headers["Location"]).query))["code"]
    token = requests.post(
        config["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": provider.client.client_id,
            "client_secret": provider.client.client_secret,
        },
        timeout=10,
    ).json()

    keys = KeySet.import_key_set(requests.get(config["jwks_uri"], timeout=10).json())
    id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    assert id_token.header["alg"] == "RS256"
    claims = id_token.claims
    assert claims["iss"] == provider.issuer and claims["aud"] == [provider.client.client_id]
    assert (claims["sub"], claims["email"], claims["email_verified"]) == ("s1", "a@example.se", True)
    assert (claims["nonce"], claims["acr"], claims["amr"]) == ("n-0S6_WzA2Mj", LOA3, ["pwd", "otp"])
    userinfo = requests.get(
        config["userinfo_endpoint"], headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10
    )
    assert userinfo.json()["email"] == "a@example.se"


@pytest.mark.parametrize(
    ("extra_data", "expected"),
    [
        ({"userinfo": {"email": "u@example.se", "email_verified": True}, "id_token": {}}, "u@example.se"),
        # userinfo without email_verified; the ID token states it
        (
            {"userinfo": {"email": "t@example.se"}, "id_token": {"email": "t@example.se", "email_verified": True}},
            "t@example.se",
        ),
        ({"userinfo": {"email": "x@example.se", "email_verified": False}, "id_token": {"sub": "1"}}, None),
        ({}, None),
    ],
)
def test_verified_email_in_userinfo_or_id_token(extra_data: dict[str, Any], expected: str | None) -> None:
    assert verified_email_in(extra_data) == expected


def test_no_email_at_all_is_refused_with_its_own_reason(client, consultant_a, sso) -> None:  # type: ignore[no-untyped-def]
    response = sign_in_through_sso(client, sso, Identity(sub="entra-karin", email=None))

    assert response.status_code == 403
    assert "lämnade inte ut din e-postadress" in response.content.decode()
    assert not SocialAccount.objects.exists()
