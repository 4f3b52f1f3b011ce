from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anhorigstod.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from anhorigstod.privacy.registry import register

        register.keep(
            "accounts.User",
            reason="an account is kept while it is in use: administrators close staff accounts, carers their own",
            fields=("email", "full_name"),
        )
        register.keep("accounts.Membership", reason="goes with the account", fields=("user",))
        organisation = "the organisation's public contact details, not a person's"
        register.keep("accounts.Municipality", reason=organisation)
        register.keep("accounts.Unit", reason=organisation)
