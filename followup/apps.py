from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"

    def ready(self) -> None:
        from anhorigstod.accounts.models import Role
        from anhorigstod.extensions import extensions
        from followup import demo, personal_data, public

        casework = (Role.CONSULTANT, Role.MANAGER)
        managers = (Role.MANAGER,)
        extensions.add_staff_menu_item("followup:dashboard", _("Follow-up"), roles=managers, order=80)
        extensions.add_staff_menu_item("followup:report_list", _("Follow-up reports"), roles=managers, order=90)
        extensions.add_staff_menu_item("followup:national_export", _("National export"), roles=managers, order=100)
        extensions.add_staff_menu_item("followup:my_workload", _("My workload"), roles=casework, order=110)
        extensions.add_staff_menu_item("followup:catalogue_index", _("Support catalogue"), roles=casework, order=130)
        extensions.add_staff_menu_item("followup:assessment_index", _("Self-assessment"), roles=casework, order=140)
        extensions.add_municipality_section(public.support_offer_section, order=10)
        extensions.add_demo_seeder(demo.seed_followup, order=30)
        personal_data.declare()
