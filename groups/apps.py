from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"

    def ready(self) -> None:
        from anhorigstod.rollups.services import register_source
        from groups import rollups

        # Held sessions and their participants feed the follow-up counts.
        register_source("sessions", rollups.fresh_session_counts)
