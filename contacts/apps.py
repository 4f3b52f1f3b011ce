from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self) -> None:
        from anhorigstod.accounts.models import Role
        from anhorigstod.extensions import extensions
        from anhorigstod.rollups.services import register_source
        from contacts import access_log_labels, demo, personal_data, rollups, today
        from contacts.selectors.handover import staff_responsibilities
        from contacts.services.documentation import municipality_start

        casework = (Role.CONSULTANT, Role.MANAGER)
        extensions.add_staff_menu_item("contacts:talk_create", _("Log an anonymous talk"), roles=casework, order=20)
        extensions.add_staff_menu_item("contacts:carer_list", _("Carers"), roles=casework, order=30)
        extensions.add_staff_menu_item("contacts:talk_list", _("Talks"), roles=casework, order=40)
        extensions.add_staff_menu_item("contacts:partner_list", _("Partners"), roles=[*casework, Role.ADMIN], order=70)
        extensions.add_staff_menu_item(
            "contacts:policy", _("Documentation"), roles=[Role.MANAGER, Role.ADMIN], order=120
        )
        extensions.add_demo_seeder(demo.seed_contacts, order=10)
        extensions.add_municipality_setup(municipality_start, order=10)
        extensions.add_staff_responsibility_provider(staff_responsibilities)
        # "Idag": groups puts today's sessions (10) and new requests (30) between these.
        extensions.add_today_section(today.follow_ups_section, order=20)
        extensions.add_today_section(today.unsigned_notes_section, order=40)
        extensions.add_today_section(today.drafts_section, order=50)
        personal_data.declare()
        # Loggkontroll names records by number and date (no names); Swedish gender for its verbs.
        extensions.add_record_describer("contacts.carer", access_log_labels.describe_carers)
        extensions.add_record_describer("contacts.talk", access_log_labels.describe_talks, neuter=True)
        extensions.add_record_describer("contacts.journalnote", access_log_labels.describe_journal_notes)
        extensions.add_record_describer("contacts.consent", neuter=True)
        # The raw rows of this app that feed the follow-up counts.
        register_source("talks", rollups.fresh_talk_counts, series=rollups.TALK_SERIES)
        register_source("respite_referrals", rollups.fresh_referral_counts, series=rollups.REFERRAL_SERIES)
        register_source("respite_grants", rollups.fresh_respite_counts, series=rollups.RESPITE_SERIES)
        register_source("measurements", rollups.fresh_kasam_counts, series=rollups.MEASUREMENT_SERIES)
