from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "anhorigstod.rollups"
    label = "rollups"
    verbose_name = _("Follow-up counts")

    def ready(self) -> None:
        from anhorigstod.privacy.registry import register

        register.keep(
            "rollups.Rollup",
            fields=("counts",),
            reason=(
                "counts, not records; the only personal data are the carer ids (with their reach attributes) in the "
                "distinct sets, and they go with the carer: culling a carer's records takes away everything they "
                "contributed (contacts.rollups.carers_culled), and the nightly check rebuilds any document that "
                "differs from the raw rows"
            ),
        )
