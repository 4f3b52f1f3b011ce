from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    """The pages every installation must publish: the municipality's privacy notice
    (GDPR art. 13) and the accessibility statement (DOS-lagen)."""

    name = "anhorigstod.legal"
    label = "legal"
    verbose_name = _("Privacy notice and accessibility statement")

    def ready(self) -> None:
        from anhorigstod.accounts.models import Role
        from anhorigstod.extensions import extensions
        from anhorigstod.legal import processing
        from anhorigstod.privacy.registry import register

        extensions.add_staff_menu_item("legal:privacy_admin_list", _("Privacy notice"), roles=[Role.ADMIN], order=170)
        extensions.add_privacy_notice_items(processing.platform_items, order=90)
        register.keep(
            "legal.PrivacyNotice",
            reason="the municipality's published text; who last changed it is a staff member's work record",
            fields=("updated_by",),
        )
