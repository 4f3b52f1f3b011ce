from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "anhorigstod.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from anhorigstod.outbox.services import outbox_cull
        from anhorigstod.privacy.registry import Clock, Period, Removal, register

        register.declare("outbox.OutboxMessage", fields=("to", "context", "attachments"))
        register.rule(
            "outbox_messages",
            models=["outbox.OutboxMessage"],
            removal=Removal.BLANK,
            clock=Clock.MESSAGE_WRITTEN,
            period=Period.own("ANHORIGSTOD_OUTBOX_RETENTION_DAYS", 30),
            cull=outbox_cull,
            count_keys=["outbox_messages"],
            which="the address, the context and the attachments; the row stays as a receipt",
            per_municipality=False,
        )
