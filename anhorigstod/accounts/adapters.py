"""allauth adapters: who may sign up, where people land, what is kept from e-ID."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from django.http import HttpRequest
from django.urls import reverse

from anhorigstod.accounts.middleware import staff_lacks_second_factor
from anhorigstod.accounts.scoping import is_staff_member

STAFF_SSO_PROVIDER = "staff-sso"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is for carers only: it never creates a membership, so it never makes staff.

    Staff accounts are created by an administrator (``manage.py create_staff``).
    """

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("today") if is_staff_member(request.user) else reverse("public_home")

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A staff member who has just signed in and has no second factor yet is sent
        # straight to set one up (StaffSecondFactorMiddleware); asking for the password
        # again there protects nothing, since there is no factor to take over.
        request = context.request
        if (
            app == "allauth.mfa"
            and request is not None
            and getattr(request.resolver_match, "url_name", None) == "mfa_activate_totp"
            and staff_lacks_second_factor(request.user)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # Municipal SSO signs in staff who already exist; it never creates accounts.
        if sociallogin.account.provider == STAFF_SSO_PROVIDER:
            return False
        return super().is_open_for_signup(request, sociallogin)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        # An e-ID broker's userinfo holds the personnummer and full name; keep none of it
        # in allauth's free-form JSON, where no rule of ours would govern it.
        sociallogin.account.extra_data = {}
