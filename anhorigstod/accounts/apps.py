from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anhorigstod.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from anhorigstod.accounts.models import Role
        from anhorigstod.accounts.services import sessions_cull
        from anhorigstod.extensions import extensions
        from anhorigstod.privacy.registry import Clock, Period, Removal, register

        everyone = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
        extensions.add_staff_menu_item("today", _("Today"), roles=everyone, order=10)
        extensions.add_staff_menu_item("staff_list", _("Staff"), roles=[Role.ADMIN], order=160)
        extensions.add_staff_menu_item("organisation", _("Organisation"), roles=[Role.ADMIN], order=150)
        extensions.add_public_menu_item("public_home", _("Support for carers"), order=10)

        register.keep(
            "accounts.User",
            reason="an account is kept while it is in use: administrators close staff accounts, carers their own",
            fields=("email", "full_name"),
        )
        register.keep("accounts.Membership", reason="goes with the account", fields=("user",))
        organisation = "the organisation's public contact details, not a person's"
        register.keep("accounts.Municipality", reason=organisation)
        register.keep("accounts.Unit", reason=organisation)
        # Sign-in's own models (allauth, Django): they go with the account, or hold none.
        with_account = "belongs to an account (accounts.User) and goes with it"
        for label in (
            "account.EmailAddress",
            "account.EmailConfirmation",
            "mfa.Authenticator",
            "socialaccount.SocialAccount",
            "socialaccount.SocialToken",
        ):
            register.keep(label, reason=with_account)
        register.keep("socialaccount.SocialApp", reason="an OpenID Connect provider's configuration, not a person")
        register.keep("auth.Permission", reason="Django's permission names, not a person's")
        register.keep("auth.Group", reason="Django's group names, not a person's")
        register.declare("sessions.Session", fields=("session_data",))
        register.rule(
            "expired_sessions",
            models=["sessions.Session"],
            removal=Removal.DELETE,
            clock=Clock.BROWSER_SESSION_END,
            period=Period.own("ANHORIGSTOD_EXPIRED_SESSION_DAYS", 0),
            cull=sessions_cull,
            count_keys=["expired_sessions"],
            per_municipality=False,
        )
