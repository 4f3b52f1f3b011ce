from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "anhorigstod.privacy"
    label = "privacy"
    verbose_name = _("Register of personal data")

    def ready(self) -> None:
        from anhorigstod.privacy.models import CullRun
        from anhorigstod.privacy.registry import register

        # The run record holds counts and cut-off dates only, never who.
        register.keep(CullRun, reason="counts and cut-off dates only, never who")
