"""A real OpenID Connect provider on loopback, for the staff SSO tests.

Built on Authlib's server components (the authorization code grant, PKCE and the
OpenID Connect code flow), served by the standard library's WSGI server on
127.0.0.1 and a random port. It publishes discovery, a JWKS, the authorization,
token and userinfo endpoints, and issues ID tokens signed with RS256 carrying
``email``, ``email_verified``, ``acr``, ``amr`` and the client's ``nonce`` when it sent one,
so allauth's openid_connect provider runs exactly the code it runs against a municipality's
identity provider.

The provider has no login page of its own: whoever the test puts in ``identity`` has
an SSO session there, as a staff member signed in to the municipality's network has,
and is let through the authorization endpoint at once.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2 import AuthorizationServer, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc6749.models import ClientMixin
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import grants as oidc_grants
from authlib.oidc.core.models import AuthorizationCodeMixin
from joserfc.jwk import RSAKey


@dataclass
class Identity:
    """The person signed in at the provider, and how they authenticated there."""

    sub: str
    email: str | None
    email_verified: bool = True
    acr: str | None = None
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    name: str = "Testperson"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in {"openid", "profile", "email"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # The relying party's callback; a real provider keeps a registered list.
        return redirect_uri.endswith("/konto/oidc/staff-sso/login/callback/")

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    identity: Identity
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:  # type: ignore[override]
        return self.identity.acr

    def get_amr(self) -> list[str] | None:  # type: ignore[override]
        return self.identity.amr


class _Payload(OAuth2Payload):
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._data = dict(pairs)
        self._datalist: defaultdict[str, list] = defaultdict(list)
        for key, value in pairs:
            self._datalist[key].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list]:
        return self._datalist


class _Request(OAuth2Request):
    """An OAuth2Request built from a WSGI environ (what Authlib's Flask and Django glue do)."""

    def __init__(self, environ: dict[str, Any], base_url: str) -> None:
        headers = {
            key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        query = environ.get("QUERY_STRING", "")
        super().__init__(environ["REQUEST_METHOD"], f"{base_url}{environ['PATH_INFO']}?{query}", headers=headers)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        self._args = dict(parse_qsl(query))
        self._form = dict(parse_qsl(body))
        self.payload = _Payload(parse_qsl(query) + parse_qsl(body))

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _Server(AuthorizationServer):
    def __init__(self, provider: OIDCProvider) -> None:
        super().__init__(scopes_supported=["openid", "profile", "email"])
        self.provider = provider
        self.register_token_generator("default", BearerTokenGenerator(lambda **kwargs: secrets.token_urlsafe(32)))

    def query_client(self, client_id: str) -> Client | None:
        return self.provider.client if client_id == self.provider.client.client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.provider.access_tokens[token["access_token"]] = request.user

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: Iterable[tuple[str, str]]) -> tuple:
        return status, body, list(headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        provider: OIDCProvider = self.server.provider  # type: ignore[attr-defined]
        provider.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            identity=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.provider.codes.get(code)  # type: ignore[attr-defined]
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.server.provider.codes.pop(authorization_code.code, None)  # type: ignore[attr-defined]

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Identity:
        return authorization_code.identity


class _PKCEForEveryClient(CodeChallenge):
    """PKCE with S256 for confidential clients too (RFC 9700, 2.1.1); Authlib asks it of public ones only."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


class _OpenIDCode(oidc_grants.OpenIDCode):
    def __init__(self, provider: OIDCProvider) -> None:
        super().__init__(require_nonce=False)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.provider.key.kid or ""}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def generate_user_info(self, user: Identity, scope: str) -> dict[str, Any]:
        return self.provider.claims(user, scope)


class OIDCProvider:
    """``with running_provider() as provider:``; ``provider.issuer`` is its URL."""

    def __init__(self, *, client_id: str = "anhorigstod", client_secret: str | None = None) -> None:
        self.client = Client(client_id=client_id, client_secret=client_secret or secrets.token_urlsafe(24))
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig"}, private=True)
        self.identity: Identity | None = None
        self.codes: dict[str, AuthorizationCode] = {}
        self.access_tokens: dict[str, Identity] = {}
        # Every authorization request's parameters, for the tests to look at.
        self.authorization_requests: list[dict[str, str]] = []
        self.token_requests = 0
        self.issuer = ""
        self._server = _Server(self)
        self._server.register_grant(_CodeGrant, [_PKCEForEveryClient(required=True), _OpenIDCode(self)])
        self._httpd: WSGIServer | None = None

    # -- the claims the provider hands out ---------------------------------------
    def claims(self, identity: Identity, scope: str) -> dict[str, Any]:
        claims: dict[str, Any] = {"sub": identity.sub}
        if "profile" in scope.split():
            claims["name"] = identity.name
        if "email" in scope.split() and identity.email is not None:
            claims["email"] = identity.email
            claims["email_verified"] = identity.email_verified
        return claims

    # -- HTTP --------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "email", "email_verified", "acr", "amr", "nonce"],
        }

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        status, body, headers = self._route(environ)
        if isinstance(body, dict):
            body = json.dumps(body)
        payload = (body or "").encode()
        reason = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
        start_response(f"{status} {reason.get(status, 'Error')}", [*headers, ("Content-Length", str(len(payload)))])
        return [payload]

    def _route(self, environ: dict[str, Any]) -> tuple[int, Any, list[tuple[str, str]]]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        json_headers = [("Content-Type", "application/json")]
        if path == "/.well-known/openid-configuration" and method == "GET":
            return 200, self.discovery(), json_headers
        if path == "/jwks" and method == "GET":
            return 200, {"keys": [self.key.as_dict(private=False)]}, json_headers
        if path == "/authorize" and method == "GET":
            request = _Request(environ, self.issuer)
            self.authorization_requests.append(dict(request.payload.data))
            try:
                grant = self._server.get_consent_grant(request, end_user=self.identity)
            except OAuth2Error as error:
                # Back to the client with ?error=... (RFC 6749 4.1.2.1).
                return self._server.handle_error_response(request, error)
            return self._server.create_authorization_response(request, grant_user=self.identity, grant=grant)
        if path == "/token" and method == "POST":
            self.token_requests += 1
            return self._server.create_token_response(_Request(environ, self.issuer))
        if path == "/userinfo" and method == "GET":
            authorization = environ.get("HTTP_AUTHORIZATION", "")
            identity = self.access_tokens.get(authorization.removeprefix("Bearer "))
            if not authorization.startswith("Bearer ") or identity is None:
                return 401, {"error": "invalid_token"}, json_headers
            return 200, self.claims(identity, "openid profile email"), json_headers
        return 404, {"error": "not_found"}, json_headers

    def start(self) -> None:
        class QuietHandler(WSGIRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._httpd = make_server("127.0.0.1", 0, self, handler_class=QuietHandler)
        self.issuer = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(target=self._httpd.serve_forever, name="oidc-provider", daemon=True).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


@contextmanager
def running_provider(**kwargs: Any) -> Iterator[OIDCProvider]:
    """An OIDCProvider serving on 127.0.0.1 and a random port until the block ends."""
    provider = OIDCProvider(**kwargs)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()
