from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "anhorigstod.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from anhorigstod.accounts.models import Role
        from anhorigstod.audit.services import access_log_cull
        from anhorigstod.extensions import extensions
        from anhorigstod.privacy.registry import Clock, Period, Removal, register

        extensions.add_staff_menu_item("audit:log_review", _("Access log review"), roles=[Role.MANAGER], order=150)
        register.declare("audit.AccessLog", fields=("actor", "subject_code", "ip_address"))
        register.rule(
            "access_log",
            models=["audit.AccessLog"],
            removal=Removal.DELETE,
            clock=Clock.LOGGED,
            # PRODUCT §9: kept five years by default.
            period=Period.own("ANHORIGSTOD_ACCESS_LOG_RETENTION_YEARS", 5, unit="years"),
            cull=access_log_cull,
            count_keys=["access_log_entries"],
            which="through the one delete the append-only trigger allows, itself logged",
            per_municipality=False,
        )
