"""Reads for carers and talks, always scoped to the user's units (accounts.scoping).

Selectors that return one personal record write an access-log row: a read is logged
as surely as a write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from anhorigstod.accounts.scoping import get_for_user_or_404, scope_to_user, units_for
from anhorigstod.audit.services import access_log
from contacts.models import (
    Carer,
    ExemptionDecision,
    JournalNote,
    Measurement,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    Talk,
    TalkFocusEntry,
)


def carer_list(*, user: Any) -> QuerySet[Carer]:
    return (
        scope_to_user(Carer.objects.all(), user)
        .select_related("unit", "support_contact")
        .annotate(talk_count=Count("talks"))
        .order_by("-last_entry_at", "-id")
    )


def carer_get_for_user(*, user: Any, code: Any, request: HttpRequest | None = None, log: bool = True) -> Carer:
    carer = get_for_user_or_404(Carer.objects.select_related("unit__municipality", "support_contact"), user, code=code)
    if log:
        access_log(actor=user, action="view", record=carer, subject_code=str(carer.code), request=request)
    return carer


def talk_list(*, user: Any) -> QuerySet[Talk]:
    return (
        scope_to_user(Talk.objects.all(), user)
        .select_related("unit", "consultant", "support_kind", "carer", "exemption")
        .prefetch_related(Prefetch("focus_entries", queryset=TalkFocusEntry.objects.order_by("focus")))
        .order_by("-started_at", "-id")
    )


def talk_get_for_user(*, user: Any, code: Any, request: HttpRequest | None = None) -> Talk:
    talk = get_for_user_or_404(
        Talk.objects.select_related("unit", "consultant", "support_kind", "carer", "exemption", "referral_partner"),
        user,
        code=code,
    )
    if talk.carer is not None:
        access_log(actor=user, action="view", record=talk, subject_code=str(talk.carer.code), request=request)
    return talk


def note_get_for_user(*, user: Any, code: Any) -> JournalNote:
    return get_for_user_or_404(
        JournalNote.objects.select_related("carer__unit", "author"), user, unit_field="carer__unit", code=code
    )


def talk_kinds_for_unit(*, unit: Any) -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(municipality_id=unit.municipality_id, for_talks=True, active=True)


def partners_for_unit(*, unit: Any) -> QuerySet[Partner]:
    return Partner.objects.filter(unit=unit).order_by("name")


def partner_list(*, user: Any) -> QuerySet[Partner]:
    return (
        scope_to_user(Partner.objects.all(), user, roles=None)
        .select_related("unit")
        .annotate(referral_count=Count("referrals"))
        .order_by("unit__name", "name")
    )


def exemption_list(*, user: Any) -> QuerySet[ExemptionDecision]:
    municipality_ids = units_for(user, roles=None).values("municipality_id")
    return (
        ExemptionDecision.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality", "recorded_by")
        .prefetch_related("kinds")
        .annotate(talk_count=Count("talks"))
        .order_by("-valid_from")
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    record: Any


def carer_timeline(*, carer: Carer) -> list[TimelineEntry]:
    """Everything that happened to the carer, newest first, in a fixed number of queries."""
    entries: list[TimelineEntry] = []

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

    for talk in (
        carer.talks.select_related("consultant", "support_kind", "referral_partner")
        .prefetch_related("focus_entries")
        .order_by("-started_at")
    ):
        entries.append(TimelineEntry(talk.started_at, "talk", talk))
    for note in carer.journal_notes.select_related("author", "marked_erroneous_by", "corrects"):
        entries.append(TimelineEntry(note.created_at, "note", note))
    for grant in RespiteGrant.objects.filter(carer=carer).select_related("provider"):
        entries.append(TimelineEntry(at(grant.given_on), "respite", grant))
    for referral in Referral.objects.filter(carer=carer, talk__isnull=True).select_related("partner"):
        entries.append(TimelineEntry(at(referral.referred_on), "referral", referral))
    for measurement in Measurement.objects.filter(carer=carer).select_related("instrument"):
        entries.append(TimelineEntry(at(measurement.measured_on), "measurement", measurement))
    # Apps above contacts add their entries (group participation) without contacts importing them.
    for path in settings.CONTACTS_TIMELINE_PROVIDERS:
        entries.extend(import_string(path)(carer=carer))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries
