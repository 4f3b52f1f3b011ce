"""Staff set up a second factor before anything else is shown to them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import is_staff_member
from anhorigstod.accounts.sso import second_factor_by_provider

# Pages a staff member without a second factor may still reach: setting one up,
# signing out, switching language and the static files those pages use.
_ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_logout",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "set_language",
    "healthz",
)


def staff_lacks_second_factor(user: User | AnonymousUser) -> bool:
    if not getattr(user, "is_authenticated", False) or not is_staff_member(user):
        return False
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return not is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


class StaffSecondFactorMiddleware:
    """Staff without a second factor of their own set one up first.

    A session signed in through the staff SSO provider, whose multi-factor
    authentication this installation trusts (``ANHORIGSTOD_OIDC_TRUSTED_MFA``), has its
    second factor already (``accounts.sso``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._allowed_paths: frozenset[str] | None = None

    def _is_allowed(self, path: str) -> bool:
        if self._allowed_paths is None:
            paths = set()
            for name in _ALLOWED_URL_NAMES:
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:  # an authenticator type switched off in settings has no URL
                    continue
            self._allowed_paths = frozenset(paths)
        return path in self._allowed_paths or path.startswith(settings.STATIC_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.ANHORIGSTOD_STAFF_MFA_REQUIRED
            and not self._is_allowed(request.path)
            and staff_lacks_second_factor(request.user)
            and not second_factor_by_provider(request)
        ):
            messages.info(
                request,
                _("Staff must use two-factor authentication. Set up an authenticator app to continue."),
                fail_silently=True,
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
