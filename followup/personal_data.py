"""The follow-up app's entries in the register of personal data (anhorigstod.privacy),
made by ``FollowupConfig.ready()``."""

from __future__ import annotations

from anhorigstod.privacy.registry import Clock, Period, Removal, register
from followup.reports.services import cull_reports


def declare() -> None:
    register.declare("followup.FollowUpReport", fields=("requested_by", "file"))
    register.rule(
        "followup_reports",
        models=["followup.FollowUpReport"],
        removal=Removal.DELETE,
        clock=Clock.REPORT_PERIOD_END,
        period=Period.municipality_years(),
        cull=cull_reports,
        count_keys=["followup_reports"],
        which="the row and its PDF file",
    )
    unit_data = "the unit's own answers about its work, not about a person; the staff member is the last editor"
    register.keep("followup.SupportCatalogue", reason=unit_data, fields=("other_views", "updated_by"))
    register.keep("followup.CatalogueResponse", reason=unit_data, fields=("text",))
    register.keep("followup.SelfAssessment", reason=unit_data, fields=("updated_by",))
    register.keep("followup.AssessmentAnswer", reason=unit_data, fields=("evidence",))
