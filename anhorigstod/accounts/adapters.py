"""allauth adapters: who may sign up, where people land, what is kept from e-ID."""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from anhorigstod.accounts import sso
from anhorigstod.accounts.middleware import staff_lacks_second_factor
from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import is_staff_member

logger = logging.getLogger(__name__)

# Kept for the imports that name it here.
STAFF_SSO_PROVIDER = sso.STAFF_SSO_PROVIDER

_MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is for carers only: it never creates a membership, so it never makes staff.

    Staff accounts are created by an administrator (``manage.py create_staff``).
    """

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("today") if is_staff_member(request.user) else reverse("public_home")

    def get_login_stages(self) -> list[str]:
        # The second-factor step also knows about the staff SSO provider's trusted MFA.
        return [
            "anhorigstod.accounts.stages.AuthenticateUnlessProviderVouchedStage" if path == _MFA_STAGE else path
            for path in super().get_login_stages()
        ]

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse:
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.state.get(sso.MFA_VERDICT_STATE_KEY, {}).get("trusted"):
            # After django's login(), which starts a fresh session for a new user.
            sso.mark_second_factor_by_provider(request, user)
        return super().post_login(request, user, **kwargs)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A staff member who has just signed in and has no second factor yet is sent
        # straight to set one up (StaffSecondFactorMiddleware); asking for the password
        # again there protects nothing, since there is no factor to take over. Nor on the
        # recovery codes allauth shows next, as long as every factor of the account was
        # made after this sign-in and the sign-in is as recent as a reauthentication.
        request = context.request
        if app == "allauth.mfa" and request is not None:
            url_name = getattr(request.resolver_match, "url_name", None)
            if url_name == "mfa_activate_totp" and staff_lacks_second_factor(request.user):
                return False
            if url_name == "mfa_view_recovery_codes" and _factors_set_up_since_a_fresh_sign_in(request):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)


def _factors_set_up_since_a_fresh_sign_in(request: HttpRequest) -> bool:
    """Did this session sign a staff member in within allauth's reauthentication window,
    with every factor of the account set up after that sign-in (a first set-up)?"""
    user = request.user
    if not user.is_authenticated or not is_staff_member(user):
        return False
    records = get_authentication_records(request, user)
    if not records:
        return False
    signed_in_at = records[0]["at"]
    if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    created = list(Authenticator.objects.filter(user=user).values_list("created_at", flat=True))
    return bool(created) and all(at.timestamp() >= signed_in_at for at in created)


def _refuse(request: HttpRequest, reason: str) -> ImmediateHttpResponse:
    # The reason is a fixed word, never the address: a log line holds no personal data.
    logger.info("Staff SSO sign-in refused: %s", reason)
    response = render(request, "accounts/staff_sso_refused.html", {"reason": reason}, status=403)
    return ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # Municipal SSO signs in staff who already exist; it never creates accounts.
        if sociallogin.account.provider == sso.STAFF_SSO_PROVIDER:
            return False
        return super().is_open_for_signup(request, sociallogin)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        claims = sociallogin.account.extra_data or {}
        if sociallogin.account.provider == sso.STAFF_SSO_PROVIDER:
            self._staff_sso(request, sociallogin, claims)
        # An e-ID broker's userinfo holds the personnummer and full name; keep none of it
        # in allauth's free-form JSON, where no rule of ours would govern it. An account
        # seen before was already saved with the fresh data by allauth's lookup.
        sociallogin.account.extra_data = {}
        if sociallogin.is_existing:
            sociallogin.account.save(update_fields=["extra_data"])

    def _staff_sso(self, request: HttpRequest, sociallogin: Any, claims: dict[str, Any]) -> None:
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # A signed-in staff member links the provider to their own account
            # (allauth's connections page): allauth links it to request.user.
            return
        if not sociallogin.is_existing:
            # A first sign-in: find the staff member the provider has verified the address of.
            email = sso.verified_email_in(claims)
            if email is None:
                any_email = any((claims.get(source) or {}).get("email") for source in ("userinfo", "id_token"))
                raise _refuse(request, "unverified_email" if any_email else "no_email")
            user = sso.staff_member_for_email(email)
            if user is None:
                raise _refuse(request, "unknown")
            with transaction.atomic():
                sociallogin.connect(request, user)
            logger.info("Staff SSO connected to staff member %s", user.pk)
        elif not sociallogin.user.is_active:
            # A deactivated account (offboarding): allauth itself turns it away, to its
            # "account inactive" page, which says why better than "unknown" would.
            return
        elif not is_staff_member(sociallogin.user):
            # A linked account whose holder is no longer staff: no staff sign-in through SSO.
            raise _refuse(request, "unknown")

        verdict = sso.provider_mfa_verdict(claims.get("id_token") or {})
        sociallogin.state[sso.MFA_VERDICT_STATE_KEY] = {"trusted": verdict.trusted, "reason": verdict.reason}
        user = sociallogin.user
        will_ask = settings.ANHORIGSTOD_STAFF_MFA_REQUIRED or is_mfa_enabled(
            user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        )
        if not verdict.trusted and will_ask:
            if verdict.reason == "not_configured":
                text = _(
                    "Signing in through the municipality's login does not count as two-factor "
                    "authentication here, so you are also asked for your own second factor."
                )
            else:
                text = _(
                    "The municipality's login did not say that you used two-factor authentication, "
                    "so you are also asked for your own second factor."
                )
            messages.info(request, text, fail_silently=True)
