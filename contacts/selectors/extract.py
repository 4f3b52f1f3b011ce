"""Registerutdrag: everything stored about one carer, readable by the carer (PRODUCT §9;
GDPR art. 15).

:func:`carer_extract_data` is the one context builder; the JSON and the PDF are two
renderings of it, and each delivery is written to the access log as an export. Labels are
taken in the active language, so the caller decides which language the carer gets.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import access_log
from anhorigstod.lib.pdf import render_pdf
from contacts.measurements import measurement_scores
from contacts.models import (
    Carer,
    Consent,
    JournalNote,
    Measurement,
    MeasurementAnswer,
    Partner,
    Referral,
    RespiteGrant,
    SupportPlanItem,
    Talk,
    TalkFocusEntry,
)
from contacts.models.carers import CARER_IDENTITY_FIELDS, CARER_STATISTICS_FIELDS

EXTRACT_TEMPLATE = "contacts/extract.html"

# The same fields the carer form and the services use: what is stored is what is shown.
IDENTITY_FIELDS = CARER_IDENTITY_FIELDS
STATISTICS_FIELDS = CARER_STATISTICS_FIELDS
RECORD_FIELDS = ("status", "closed_on", "close_reason", "created_at", "last_entry_at")


def carer_extract_data(*, carer: Carer) -> dict[str, Any]:
    """Everything stored about ``carer``, with display labels, in a fixed number of queries.

    Values stay typed (dates, booleans, numbers) so the JSON is exact and the PDF
    template formats them; datetimes are in local time.
    """
    carer = _carer_with_everything(carer.pk)
    municipality = carer.unit.municipality
    # Referrals made in one of the carer's talks may have been saved without the carer.
    referrals = (
        Referral.objects.filter(Q(carer=carer) | Q(talk__carer=carer))
        .select_related("partner", "recorded_by", "talk")
        .order_by("-referred_on", "id")
        .distinct()
    )
    log = AccessLog.objects.filter(subject_code=str(carer.code)).select_related("actor").order_by("at", "id")
    return {
        "generated_at": timezone.localtime(),
        "municipality": {"name": municipality.name, "kommunkod": municipality.kommunkod},
        "unit": {"name": carer.unit.name},
        "carer": {
            "code": str(carer.code),
            "number": carer.label,
            "identity": [_field(carer, name) for name in IDENTITY_FIELDS],
            "statistics": [_field(carer, name) for name in STATISTICS_FIELDS],
            "record": [
                *(_field(carer, name) for name in RECORD_FIELDS),
                _labelled(carer, "support_contact", _person(carer.support_contact)),
            ],
        },
        "consents": [_consent(consent) for consent in carer.consents.all()],
        "support_plan": [
            {
                "area": item.get_area_display(),
                "goal": item.goal,
                "actions": item.actions,
                "follow_up_on": item.follow_up_on,
                "done": item.done,
            }
            for item in carer.plan_items.all()
        ],
        "talks": [_talk(talk) for talk in carer.talks.all()],
        "journal_notes": [_journal_note(note) for note in carer.journal_notes.all()],
        "respite_grants": [_respite(grant) for grant in carer.respite_grants.all()],
        "referrals": [_referral(referral) for referral in referrals],
        "measurements": [_measurement(measurement) for measurement in carer.measurements.all()],
        "access_log": [_access(entry) for entry in log],
    }


def carer_extract_json(*, carer: Carer, requested_by: User, request: HttpRequest | None = None) -> bytes:
    """The extract as UTF-8 JSON (ISO dates), logged as an export."""
    data = carer_extract_data(carer=carer)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
    _log_export(carer=carer, requested_by=requested_by, request=request)
    return body


def carer_extract_pdf(*, carer: Carer, requested_by: User, request: HttpRequest | None = None) -> bytes:
    """The extract as a PDF, logged as an export."""
    context = {"extract": carer_extract_data(carer=carer), "headings": extract_headings()}
    _html, pdf = render_pdf(EXTRACT_TEMPLATE, context)
    _log_export(carer=carer, requested_by=requested_by, request=request)
    return pdf


def extract_headings() -> dict[str, dict[str, str]]:
    """Column headings for the PDF, from the models' own field labels, so the extract
    names each thing as the rest of the product does (and in the active language)."""

    def labels(model: type[Model], *names: str) -> dict[str, str]:
        return {name: capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name))) for name in names}

    return {
        "consent": labels(Consent, "to_whom", "scope", "given_on", "revoked_on"),
        "plan": labels(SupportPlanItem, "area", "goal", "actions", "follow_up_on", "done"),
        "talk": labels(
            Talk,
            "started_at",
            "mode",
            "talk_type",
            "initiator",
            "time_of_day",
            "structured_material",
            "informed_right_to_apply",
            "asked_about_children",
            "follow_up_on",
            "next_step",
            "bring_up_next_time",
        ),
        "note": labels(JournalNote, "text"),
        "respite": labels(RespiteGrant, "given_on", "hours"),
        "referral": labels(Referral, "referred_on", "respite"),
        "partner": labels(Partner, "organisation_type"),
        "access": labels(AccessLog, "at", "actor", "action", "record_type"),
    }


# --------------------------------------------------------------------------


def _carer_with_everything(pk: int) -> Carer:
    # One query per relation whatever the number of rows: the extract of a carer with
    # ten years of talks costs what the extract of a new carer costs.
    return (
        Carer.objects.select_related("unit__municipality", "support_contact")
        .prefetch_related(
            # Secondary orders by id: the same record gives the same extract, row for row.
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by").order_by("-given_on", "id")),
            Prefetch("plan_items", queryset=SupportPlanItem.objects.order_by("area", "follow_up_on", "id")),
            Prefetch(
                "talks",
                queryset=Talk.objects.select_related("consultant", "support_kind", "referral_partner").prefetch_related(
                    Prefetch("focus_entries", queryset=TalkFocusEntry.objects.order_by("id"))
                ),
            ),
            Prefetch(
                "journal_notes",
                queryset=JournalNote.objects.select_related("author", "marked_erroneous_by", "corrects", "talk"),
            ),
            Prefetch(
                "respite_grants",
                queryset=RespiteGrant.objects.select_related("provider", "recorded_by").order_by("-given_on", "id"),
            ),
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related("instrument", "recorded_by")
                .order_by("measured_on", "id")
                .prefetch_related(
                    Prefetch(
                        "answers",
                        queryset=MeasurementAnswer.objects.select_related("item__subscale").order_by("item__number"),
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def _field(obj: Model, name: str) -> dict[str, Any]:
    """A model field as label and value; a field with choices gives its display label."""
    if getattr(obj._meta.get_field(name), "choices", None):
        return _labelled(obj, name, getattr(obj, f"get_{name}_display")())
    return _labelled(obj, name, _local(getattr(obj, name)))


def _labelled(obj: Model, name: str, value: Any) -> dict[str, Any]:
    field = obj._meta.get_field(name)
    return {"field": name, "label": str(getattr(field, "verbose_name", name)), "value": value}


def _local(value: Any) -> Any:
    return timezone.localtime(value) if isinstance(value, dt.datetime) else value


def _person(user: User | None) -> str:
    return str(user) if user is not None else ""


def _consent(consent: Consent) -> dict[str, Any]:
    return {
        "to_whom": consent.to_whom,
        "scope": consent.scope,
        "given_on": consent.given_on,
        "revoked_on": consent.revoked_on,
        "recorded_by": _person(consent.recorded_by),
    }


def _talk(talk: Talk) -> dict[str, Any]:
    return {
        "started_at": _local(talk.started_at),
        "support_kind": talk.support_kind.name,
        "talk_type": talk.get_talk_type_display(),
        "focus": [entry.get_focus_display() for entry in talk.focus_entries.all()],
        "mode": talk.get_mode_display(),
        "duration_minutes": talk.duration_minutes,
        "time_of_day": talk.get_time_of_day_display(),
        "initiator": talk.get_initiator_display(),
        "structured_material": talk.structured_material,
        "informed_right_to_apply": talk.get_informed_right_to_apply_display(),
        "asked_about_children": talk.get_asked_about_children_display(),
        "referral_partner": talk.referral_partner.name if talk.referral_partner else "",
        "consultant": _person(talk.consultant),
        "next_step": talk.next_step,
        "follow_up_on": talk.follow_up_on,
        "bring_up_next_time": talk.bring_up_next_time,
    }


def _journal_note(note: JournalNote) -> dict[str, Any]:
    return {
        "code": str(note.code),
        "written_at": _local(note.created_at),
        "author": _person(note.author),
        "text": note.text,
        "talk_started_at": _local(note.talk.started_at) if note.talk else None,
        "signed": note.signed_at is not None,
        "signed_at": _local(note.signed_at),
        "corrects": (
            {"code": str(note.corrects.code), "written_at": _local(note.corrects.created_at)} if note.corrects else None
        ),
        "erroneous": note.marked_erroneous_at is not None,
        "marked_erroneous_at": _local(note.marked_erroneous_at),
        "marked_erroneous_by": _person(note.marked_erroneous_by),
        "erroneous_reason": note.erroneous_reason,
    }


def _respite(grant: RespiteGrant) -> dict[str, Any]:
    return {
        "given_on": grant.given_on,
        "hours": grant.hours,
        "provider": grant.provider.name if grant.provider else "",
        "recorded_by": _person(grant.recorded_by),
    }


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        "referred_on": referral.referred_on,
        "partner": referral.partner.name,
        "partner_type": referral.partner.get_organisation_type_display(),
        "respite": referral.respite,
        "talk_started_at": _local(referral.talk.started_at) if referral.talk else None,
        "recorded_by": _person(referral.recorded_by),
    }


def _measurement(measurement: Measurement) -> dict[str, Any]:
    scores = _scores(measurement)
    return {
        "instrument": measurement.instrument.name,
        "occasion": measurement.get_occasion_display(),
        "measured_on": measurement.measured_on,
        "recorded_by": _person(measurement.recorded_by),
        # The answers are what is stored; the scores are computed from them.
        "answers": [
            {
                "item": answer.item.number,
                "text": answer.item.text,
                "subscale": answer.item.subscale.name if answer.item.subscale else "",
                "value": answer.value,
            }
            for answer in measurement.answers.all()
        ],
        "scores": scores,
    }


def _scores(measurement: Measurement) -> dict[str, Any] | None:
    """Total and sub-scale scores, by the one scoring rule (contacts.measurements).

    None when the stored answers cannot be scored (an incomplete measurement entered
    before the instrument gained an item): the answers themselves are still shown.
    """
    try:
        score = measurement_scores(measurement=measurement)
    except ValidationError:
        return None
    names = {a.item.subscale.code: a.item.subscale.name for a in measurement.answers.all() if a.item.subscale}
    return {
        "total": score.total,
        "subscales": [
            {"code": code, "name": names.get(code, code), "score": value} for code, value in score.subscales.items()
        ],
    }


def _access(entry: AccessLog) -> dict[str, Any]:
    return {
        "at": _local(entry.at),
        "who": _person(entry.actor),
        "action": entry.get_action_display(),
        "record": _record_type_label(entry.record_type),
    }


def _record_type_label(label: str) -> str:
    """``contacts.talk`` → "talk" in the active language (the app registry, no query)."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _log_export(*, carer: Carer, requested_by: User, request: HttpRequest | None) -> None:
    access_log(
        actor=requested_by,
        action=AccessLog.Action.EXPORT,
        record=carer,
        unit=carer.unit,
        subject_code=str(carer.code),
        request=request,
    )
