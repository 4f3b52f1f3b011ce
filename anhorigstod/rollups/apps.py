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
            reason="counts, not records: the distinct sets of people are kept apart (rollups.Member)",
        )
        register.keep(
            "rollups.Member",
            fields=("key",),
            reason=(
                "the members of the distinct sets: carer ids (with their reach attributes) and hashed keys of group "
                "participants, and they go with the person: culling a carer's records takes away everything they "
                "contributed (contacts.rollups.carers_culled), and the nightly check rebuilds any set that differs "
                "from the raw rows"
            ),
        )
