from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self) -> None:
        from anhorigstod.rollups.services import register_source
        from contacts import rollups

        # The raw rows of this app that feed the follow-up counts.
        register_source("talks", rollups.fresh_talk_counts, distinct=["talk__carer"], weekly=["talk__consultant"])
        register_source("respite_referrals", rollups.fresh_referral_counts)
        register_source("respite_grants", rollups.fresh_respite_counts, distinct=["respite__carer"])
