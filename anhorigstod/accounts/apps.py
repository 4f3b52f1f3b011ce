from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anhorigstod.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from anhorigstod.accounts.models import Role
        from anhorigstod.extensions import extensions
        from anhorigstod.privacy.registry import register

        everyone = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
        extensions.add_staff_menu_item("today", _("Today"), roles=everyone, order=10)
        extensions.add_staff_menu_item("staff_list", _("Staff"), roles=[Role.ADMIN], order=160)
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
