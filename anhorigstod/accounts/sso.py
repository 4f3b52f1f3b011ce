"""Municipal SSO for staff: who the provider may sign in, and when its MFA counts.

The provider (OpenID Connect, allauth's ``openid_connect`` provider with the id
``staff-sso``) never creates an account. On a first sign-in it is matched to an
existing, active staff member by the e-mail address it says it has verified
(``email_verified``); everyone else is refused. When the installation trusts the
provider's multi-factor authentication (``ANHORIGSTOD_OIDC_TRUSTED_MFA``), an ID token
whose ``acr`` or ``amr`` names a trusted value counts as the staff second factor.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import is_staff_member

logger = logging.getLogger(__name__)

STAFF_SSO_PROVIDER = "staff-sso"
# Kept in the session of a staff member whose provider vouched for a second factor:
# the user's primary key, so a session can never carry it over to someone else.
SECOND_FACTOR_BY_PROVIDER_SESSION_KEY = "anhorigstod.second_factor_by_provider"
# Carried on allauth's social login state from pre_social_login to the login stages.
MFA_VERDICT_STATE_KEY = "anhorigstod_provider_mfa"


@dataclass(frozen=True)
class MfaVerdict:
    trusted: bool
    # Why the provider's sign-in does not count as a second factor: "not_configured"
    # (the installation trusts no acr/amr value) or "not_asserted" (the ID token named
    # none of the trusted values). Empty when trusted.
    reason: str = ""


def verified_email(claims: Mapping[str, Any]) -> str | None:
    """The e-mail address the provider vouches for, or None.

    Only ``email_verified`` that is literally true counts: some providers send the
    string "true", which OpenID Connect Core (5.1) does not allow, and an address the
    provider has not verified could have been typed by anyone.
    """
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    if claims.get("email_verified") is not True:
        return None
    return email.strip()


def verified_email_in(extra_data: Mapping[str, Any]) -> str | None:
    """The verified address in allauth's OpenID Connect data: userinfo first, then the ID token.

    Both come from the provider over its own TLS connection; a provider that leaves
    ``email_verified`` out of one of them may still state it in the other.
    """
    for source in ("userinfo", "id_token"):
        claims = extra_data.get(source)
        if isinstance(claims, Mapping) and (email := verified_email(claims)):
            return email
    return None


def staff_member_for_email(email: str) -> User | None:
    """The active staff member with this e-mail address, or None (never a carer)."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not is_staff_member(user):
        return None
    return user


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [item for item in value if isinstance(item, str)]
    return []


def provider_mfa_verdict(id_token: Mapping[str, Any], trusted: Iterable[str] | None = None) -> MfaVerdict:
    """Whether the ID token's ``acr`` or ``amr`` names a trusted multi-factor method.

    ``trusted`` (default: ``settings.ANHORIGSTOD_OIDC_TRUSTED_MFA``) lists values that
    count when they are the ``acr`` or one of the ``amr`` (RFC 8176: "mfa", "otp",
    "hwk", ...). Only the ID token is read: the userinfo endpoint does not carry them.
    """
    values = set(settings.ANHORIGSTOD_OIDC_TRUSTED_MFA if trusted is None else trusted)
    if not values:
        return MfaVerdict(trusted=False, reason="not_configured")
    asserted = set(_as_list(id_token.get("acr"))) | set(_as_list(id_token.get("amr")))
    if asserted & values:
        return MfaVerdict(trusted=True)
    return MfaVerdict(trusted=False, reason="not_asserted")


def mark_second_factor_by_provider(request: HttpRequest, user: User) -> None:
    request.session[SECOND_FACTOR_BY_PROVIDER_SESSION_KEY] = str(user.pk)


def second_factor_by_provider(request: HttpRequest) -> bool:
    """True when this session's staff member signed in through SSO with trusted MFA."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    return session is not None and session.get(SECOND_FACTOR_BY_PROVIDER_SESSION_KEY) == str(user.pk)
