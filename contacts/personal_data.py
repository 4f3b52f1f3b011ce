"""The contacts app's entries in the register of personal data (anhorigstod.privacy),
made by ``ContactsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anhorigstod.extensions import ProcessingItem, extensions
from anhorigstod.legal.processing import DOCUMENTATION_DUTY, period_amount, years
from anhorigstod.privacy.registry import Clock, Period, Removal, register
from contacts.models import Carer
from contacts.services import retention

# Everything hanging off a carer goes with the carer, in contacts.services.retention._cull_batch:
# each model with its personal fields, and the count key of its rows.
CARER_RECORD_KEYS = {
    "contacts.Carer": "carers",
    "contacts.Talk": "talks",
    "contacts.TalkFocusEntry": "talk_focus_entries",
    "contacts.JournalNote": "journal_notes",
    "contacts.Referral": "referrals",
    "contacts.RespiteGrant": "respite_grants",
    "contacts.Consent": "consents",
    "contacts.SupportPlanItem": "support_plan_items",
    "contacts.Measurement": "measurements",
    "contacts.MeasurementAnswer": "measurement_answers",
}
CARER_RECORD = {
    "contacts.Carer": ("first_name", "last_name", "email", "phone", "personnummer", "support_contact"),
    "contacts.Talk": ("carer", "consultant", "next_step", "bring_up_next_time", "follow_up_done_by"),
    "contacts.TalkFocusEntry": ("talk",),
    "contacts.JournalNote": ("carer", "text", "author", "marked_erroneous_by"),
    "contacts.Referral": ("carer", "talk", "recorded_by"),
    "contacts.RespiteGrant": ("carer", "recorded_by"),
    "contacts.Consent": ("carer", "to_whom", "scope", "recorded_by"),
    "contacts.SupportPlanItem": ("carer", "goal", "actions", "done_by"),
    "contacts.Measurement": ("carer", "recorded_by"),
    "contacts.MeasurementAnswer": ("measurement",),
}


def declare() -> None:
    extensions.set_subject_directory(by_number=carer_codes_by_number, labels=carer_labels)
    for model, fields in CARER_RECORD.items():
        register.declare(model, fields=fields)
    register.rule(
        retention.CARER_RECORDS,
        models=CARER_RECORD,
        removal=Removal.DELETE,
        clock=Clock.CARER_LAST_ENTRY,
        period=Period.municipality_years(),
        cull=retention.cull_carer_records,
        count_keys=retention.COUNT_KEYS,
        model_keys=CARER_RECORD_KEYS,
        which="identified talks only: anonymous talks are statistics and stay",
    )
    register.declare("contacts.TalkDraft", fields=("user", "data"))
    register.rule(
        "talk_drafts",
        models=["contacts.TalkDraft"],
        removal=Removal.DELETE,
        clock=Clock.DRAFT_SAVED,
        period=Period.own("CONTACTS_DRAFT_RETENTION_DAYS", 30),
        cull=retention.cull_talk_drafts,
        count_keys=["talk_drafts"],
        per_municipality=False,
    )
    # Not culled by time: the organisation's and the policy's own data.
    register.keep("contacts.Partner", reason="an organisation in the partner directory, not a person")
    register.keep("contacts.SupportKind", reason="a kind of support: its name is not a person's")
    register.keep(
        "contacts.SupportKindTierChange",
        reason="the documentation policy's history (who changed a tier, and why) is kept with the policy",
        fields=("changed_by", "reason"),
    )
    register.keep(
        "contacts.ExemptionDecision",
        reason="the nämnd's decision is a public document, kept as long as records point at it",
        fields=("recorded_by",),
    )
    register.keep("contacts.Instrument", reason="an instrument's definition (items, scale), not a person's answers")
    register.keep("contacts.InstrumentSubscale", reason="an instrument's definition, not a person's answers")
    register.keep("contacts.InstrumentItem", reason="an instrument's item text, entered under the licence")
    extensions.add_privacy_notice_items(privacy_notice_items, order=10)


def privacy_notice_items(municipality: Any) -> list[ProcessingItem]:
    """For the default privacy notice: the carer's record, with the period of its rule."""
    return [
        ProcessingItem(
            purpose=_("Support talks and the support you get as a carer"),
            data=_(
                "When you are not anonymous: your name and contact details, your personnummer if you give it, "
                "and what the support needs: your birth year, gender, language, how you are related to the person "
                "you care for and their situation (for example an illness), your consents, your support plan, "
                "answers to questionnaires and the consultant's notes. Anonymous talks are recorded as statistics only."
            ),
            legal_basis=DOCUMENTATION_DUTY,
            retention=_("%(period)s after the last entry, then deleted.")
            % {"period": years(period_amount(retention.CARER_RECORDS, municipality))},
        )
    ]


def carer_codes_by_number(unit_ids: list[int], number: int) -> list[str]:
    """The codes of the carers with this readable number in these units (loggkontroll)."""
    return [
        str(code) for code in Carer.objects.filter(unit_id__in=unit_ids, number=number).values_list("code", flat=True)
    ]


def carer_labels(codes: list[Any]) -> dict[str, str]:
    """Carer code -> readable number (``A-00042``), in one query (loggkontroll)."""
    rows = Carer.objects.filter(code__in=codes).values_list("code", "number")
    return {str(code): f"A-{number:05d}" for code, number in rows}
