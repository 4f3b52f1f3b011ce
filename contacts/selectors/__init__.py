"""The contacts app's reads, one module per topic: ``carers`` (the carer's record and its
timeline), ``talks`` (with the talk form's drafts), ``partners``, ``documentation`` (kinds
of support, exemption decisions), ``today`` (the consultant's day), ``extract`` (the
register extract) and ``handover``. The scores of measurements are read with their rule,
in contacts.measurements.

Inside contacts, import from those modules. This package re-exports only what code
outside the app imports from it (the other apps, the benchmark).
"""

from contacts.selectors.carers import TimelineEntry, carer_timeline
from contacts.selectors.partners import partners_for_unit
from contacts.selectors.talks import talk_list
from contacts.selectors.today import FOLLOW_UP_DAYS, follow_up_lines, follow_ups_due

__all__ = [
    "FOLLOW_UP_DAYS",
    "TimelineEntry",
    "carer_timeline",
    "follow_up_lines",
    "follow_ups_due",
    "partners_for_unit",
    "talk_list",
]
