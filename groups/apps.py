from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"

    def ready(self) -> None:
        from anhorigstod.accounts.models import Municipality, Role, Unit
        from anhorigstod.extensions import extensions
        from anhorigstod.rollups.services import register_source
        from groups import demo, personal_data, rollups, timeline, today
        from groups.models import describe_bookings

        casework = (Role.CONSULTANT, Role.MANAGER)
        extensions.add_staff_menu_item("groups:activity_list", _("Activities"), roles=casework, order=50)
        extensions.add_staff_menu_item("groups:inbox_list", _("Contact requests"), roles=casework, order=60)
        extensions.add_public_menu_item("groups:calendar", _("Calendar"), order=20)
        extensions.add_public_menu_item("groups:my_pages", _("My pages"), order=30, signed_in_only=True)
        extensions.add_unit_link("groups:contact_request_form", _("Be contacted"))
        extensions.add_timeline_provider(timeline.carer_group_entries)
        extensions.add_demo_seeder(demo.seed_groups, order=20)
        extensions.add_today_section(today.sessions_section, order=10)
        extensions.add_today_section(today.requests_section, order=30)
        personal_data.declare()
        # Loggkontroll names a booking by its reference, never by the person's name.
        extensions.add_record_describer("groups.booking", describe_bookings)
        # Held sessions and their participants feed the follow-up counts.
        register_source("sessions", rollups.fresh_session_counts, series=rollups.SESSION_SERIES)
        # The public calendar shows unit and municipality names and offers the units as a
        # filter; their services live below this app (anhorigstod.accounts), which cannot
        # call it, so a save of either drops the calendar's cached pages.
        for model in (Municipality, Unit):
            post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"groups_calendar_{model.__name__}")


def _calendar_changed(**kwargs: object) -> None:
    from groups.services.calendar import calendar_changed

    calendar_changed()
