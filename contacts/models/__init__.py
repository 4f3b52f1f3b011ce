"""The contacts app's models, one module per topic; every model and category is imported
here, so ``from contacts.models import Carer`` works everywhere and Django finds them all.

- ``categories``: the category lists of carers and talks (TextChoices)
- ``documentation``: documentation tiers, kinds of support, tier changes, exemption decisions
- ``partners``: the partner directory (vägvisare)
- ``carers``: the carer's record
- ``talks``: individual talks, their focus, the talk form's drafts
- ``notes``: journal notes
- ``support``: consents, the support plan, respite, referrals
- ``measurements``: instruments and carers' measurements
"""

from contacts.models.carers import Carer
from contacts.models.categories import (
    AgeBand,
    Answer,
    CareHours,
    ContactChannel,
    Gender,
    Initiator,
    Occupation,
    Relation,
    TalkFocus,
    TalkMode,
    TalkType,
    TargetGroup,
    TimeOfDay,
    YesNoUnknown,
)
from contacts.models.documentation import DocumentationTier, ExemptionDecision, SupportKind, SupportKindTierChange
from contacts.models.measurements import Instrument, InstrumentItem, InstrumentSubscale, Measurement, MeasurementAnswer
from contacts.models.notes import JournalNote
from contacts.models.partners import Partner
from contacts.models.support import Consent, Referral, RespiteGrant, SupportPlanItem
from contacts.models.talks import Talk, TalkDraft, TalkFocusEntry

__all__ = [
    "AgeBand",
    "Answer",
    "CareHours",
    "Carer",
    "Consent",
    "ContactChannel",
    "DocumentationTier",
    "ExemptionDecision",
    "Gender",
    "Initiator",
    "Instrument",
    "InstrumentItem",
    "InstrumentSubscale",
    "JournalNote",
    "Measurement",
    "MeasurementAnswer",
    "Occupation",
    "Partner",
    "Referral",
    "Relation",
    "RespiteGrant",
    "SupportKind",
    "SupportKindTierChange",
    "SupportPlanItem",
    "Talk",
    "TalkDraft",
    "TalkFocus",
    "TalkFocusEntry",
    "TalkMode",
    "TalkType",
    "TargetGroup",
    "TimeOfDay",
    "YesNoUnknown",
]
