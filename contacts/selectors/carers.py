"""Reads of carers and their records, always scoped to the user's units (accounts.scoping).

Selectors that return one personal record write an access-log row: a read is logged
as surely as a write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from anhorigstod.accounts.models import CASEWORK_ROLES, Unit, User
from anhorigstod.accounts.scoping import get_for_user_or_404, scope_to_user
from anhorigstod.audit.services import Action, access_log
from anhorigstod.extensions import extensions
from contacts.models import Carer, JournalNote, Measurement, Referral, RespiteGrant, SupportPlanItem, Talk


def carer_list(*, user: User) -> QuerySet[Carer]:
    return (
        scope_to_user(Carer.objects.all(), user)
        .select_related("unit", "support_contact")
        .order_by("-last_entry_at", "-id")
    )


def carer_matching(queryset: QuerySet[Carer], query: str) -> QuerySet[Carer]:
    """Carers matching a search: by number (A-00042, a-42 or 42), by name (every word in
    the first or the last name, so "Gunnel Testsson" finds her), or by exact e-mail.
    The one search of the carer list and the talk form's carer picker."""
    value = query.strip()
    digits = value.upper().removeprefix("A-").removeprefix("A").lstrip("0")
    words = value.split()
    by_name = Q()
    for word in words:
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    match = Q(email__iexact=value)
    if words:
        match |= by_name
    if digits.isdigit():
        match |= Q(number=int(digits))
    return queryset.filter(match)


# The carers the talk form offers first: a consultant's most recent, found among their
# latest talks (a bounded read of the index on (consultant, started_at)).
RECENT_CARERS = 8
_RECENT_TALKS_READ = 200
PICKER_LIMIT = 20


def carer_recent(*, user: User) -> list[Carer]:
    """The carers of the user's latest talks, most recent first, within the user's units."""
    carer_ids = (
        Talk.objects.filter(consultant=user, carer__isnull=False)
        .order_by("-started_at", "-id")
        .values_list("carer_id", flat=True)[:_RECENT_TALKS_READ]
    )
    ordered = list(dict.fromkeys(carer_ids))
    found = carer_list(user=user).in_bulk(ordered)
    return [found[pk] for pk in ordered if pk in found][:RECENT_CARERS]


def carer_pick(*, user: User, query: str, recent: list[Carer] | None = None) -> tuple[list[Carer], bool]:
    """The talk form's carer picker: the carers matching ``query`` in the user's units,
    the user's recent carers first (``recent``, if already read), then the others by latest
    entry. Also says whether there were more than :data:`PICKER_LIMIT`."""
    recent = carer_recent(user=user) if recent is None else recent
    matching = carer_matching(carer_list(user=user), query)
    recent_ids = {carer.pk for carer in recent}
    matching_recent = set(matching.filter(pk__in=recent_ids).values_list("pk", flat=True)) if recent_ids else set()
    first = [carer for carer in recent if carer.pk in matching_recent]
    rest = list(matching.exclude(pk__in=recent_ids)[: PICKER_LIMIT + 1 - len(first)])
    carers = first + rest
    return carers[:PICKER_LIMIT], len(carers) > PICKER_LIMIT


@dataclass(frozen=True)
class CarerRow:
    """One line of the carer list."""

    carer: Carer
    talk_count: int


def carer_rows(*, carers: Sequence[Carer]) -> list[CarerRow]:
    """The page's carers with their number of talks, counted for these carers only: counted
    in the list's own query, every carer of the user's units was grouped with their talks
    before the page was cut (40 ms for a manager of a 6,000-carer municipality, against 6 ms)."""
    counts = dict(
        Talk.objects.filter(carer__in=[carer.pk for carer in carers])
        .values_list("carer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [CarerRow(carer=carer, talk_count=counts.get(carer.pk, 0)) for carer in carers]


def carer_get_for_user(*, user: User, code: UUID, request: HttpRequest | None = None, log: bool = True) -> Carer:
    carer = get_for_user_or_404(Carer.objects.select_related("unit__municipality", "support_contact"), user, code=code)
    if log:
        access_log(actor=user, action=Action.VIEW, record=carer, subject_code=str(carer.code), request=request)
    return carer


def note_get_for_user(*, user: User, code: UUID) -> JournalNote:
    return get_for_user_or_404(
        JournalNote.objects.select_related("carer__unit", "author"), user, unit_field="carer__unit", code=code
    )


def plan_item_get(*, carer: Carer, code: UUID) -> SupportPlanItem:
    """One item of the carer's stödplan (the carer already reached and logged by the caller);
    404 for another carer's item."""
    try:
        item = SupportPlanItem.objects.select_related("done_by").get(code=code, carer=carer)
    except SupportPlanItem.DoesNotExist as exc:
        raise Http404 from exc
    item.carer = carer
    return item


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

    # No focus entries: the timeline does not show them (the register extract reads its own).
    for talk in carer.talks.select_related("consultant", "support_kind", "referral_partner").order_by("-started_at"):
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
    for provider in extensions.timeline_providers.values():
        entries.extend(provider(carer=carer))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def support_contact_candidates(unit: Unit) -> QuerySet[User]:
    """Who may be a carer's stödkontakt in ``unit``: active staff doing casework there (a
    consultant's or manager's role in the unit or in a unit above it). The one rule for the
    carer form and for handing carers over."""
    ids: list[int] = []
    node: Unit | None = unit
    while node is not None:  # a unit tree is a few levels deep
        ids.append(node.pk)
        node = node.parent
    return (
        User.objects.filter(is_active=True, memberships__unit_id__in=ids, memberships__role__in=list(CASEWORK_ROLES))
        .distinct()
        .order_by("full_name", "email")
    )
