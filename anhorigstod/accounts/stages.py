"""allauth login stages of our own."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage

from django.http import HttpRequest

from anhorigstod.accounts.sso import MFA_VERDICT_STATE_KEY


class AuthenticateUnlessProviderVouchedStage(AuthenticateStage):
    """allauth's second-factor step, skipped when the staff SSO provider's MFA is trusted.

    Keeps allauth's stage key, so allauth's own "enter your code" page still finds it.
    """

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.state.get(MFA_VERDICT_STATE_KEY, {}).get("trusted"):
            return False
        return super()._should_handle(request)
