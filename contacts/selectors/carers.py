"""Reads for carers and talks, always scoped to the user's units (accounts.scoping).

Selectors that return one personal record write an access-log row: a read is logged
as surely as a write.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anhorigstod.accounts.models import CASEWORK_ROLES, Unit, User
from anhorigstod.accounts.scoping import get_for_user_or_404, scope_to_user, unit_ids_for, units_for
from anhorigstod.audit.services import access_log
from anhorigstod.extensions import extensions
from contacts.models import (
    Carer,
    ExemptionDecision,
    JournalNote,
    Measurement,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    SupportPlanItem,
    Talk,
    TalkDraft,
    TalkFocus,
    TalkFocusEntry,
    TalkMode,
    TalkType,
)


def carer_list(*, user: Any) -> QuerySet[Carer]:
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


def carer_recent(*, user: Any) -> list[Carer]:
    """The carers of the user's latest talks, most recent first, within the user's units."""
    carer_ids = (
        Talk.objects.filter(consultant=user, carer__isnull=False)
        .order_by("-started_at", "-id")
        .values_list("carer_id", flat=True)[:_RECENT_TALKS_READ]
    )
    ordered = list(dict.fromkeys(carer_ids))
    found = carer_list(user=user).in_bulk(ordered)
    return [found[pk] for pk in ordered if pk in found][:RECENT_CARERS]


def carer_pick(*, user: Any, query: str, recent: list[Carer] | None = None) -> tuple[list[Carer], bool]:
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


def carer_get_for_user(*, user: Any, code: Any, request: HttpRequest | None = None, log: bool = True) -> Carer:
    carer = get_for_user_or_404(Carer.objects.select_related("unit__municipality", "support_contact"), user, code=code)
    if log:
        access_log(actor=user, action="view", record=carer, subject_code=str(carer.code), request=request)
    return carer


def talk_list(*, user: Any) -> QuerySet[Talk]:
    # Related rows are prefetched for the page, not joined: with joins the database joins
    # every talk of the user's units before it sorts and cuts the page (60 ms for a manager
    # of a 16,000-talk municipality); alone, the talks are sorted on narrow rows (3 ms).
    return (
        scope_to_user(Talk.objects.all(), user)
        .prefetch_related("consultant", "support_kind", "carer", "exemption")
        .order_by("-started_at", "-id")
    )


@dataclass(frozen=True)
class TalkRow:
    """One line of the talk list: the talk and its labels in the active language."""

    talk: Talk
    talk_type: str
    mode: str
    focus: list[str]


def talk_rows(*, talks: Sequence[Talk]) -> list[TalkRow]:
    """The labels of a page of talks, each translated once per page rather than once per cell
    (``get_FOO_display`` hashes the field's whole list of choices on every call), and every
    talk's focus in one query (a prefetch builds a queryset per talk)."""
    talk_types = {value: str(label) for value, label in TalkType.choices}
    modes = {value: str(label) for value, label in TalkMode.choices}
    foci = {value: str(label) for value, label in TalkFocus.choices}
    focus_of: dict[int, list[str]] = {}
    entries = TalkFocusEntry.objects.filter(talk__in=[talk.pk for talk in talks]).order_by("focus")
    for talk_id, focus in entries.values_list("talk_id", "focus"):
        focus_of.setdefault(talk_id, []).append(foci.get(focus, focus))
    return [
        TalkRow(
            talk=talk,
            talk_type=talk_types.get(talk.talk_type, talk.talk_type),
            mode=modes.get(talk.mode, talk.mode),
            focus=focus_of.get(talk.pk, []),
        )
        for talk in talks
    ]


def talk_get_for_user(*, user: Any, code: Any, request: HttpRequest | None = None, log: bool = True) -> Talk:
    talk = get_for_user_or_404(
        Talk.objects.select_related(
            "unit", "consultant", "support_kind", "carer", "exemption", "referral_partner", "follow_up_done_by"
        ),
        user,
        code=code,
    )
    if log and talk.carer is not None:
        access_log(actor=user, action="view", record=talk, subject_code=str(talk.carer.code), request=request)
    return talk


def note_get_for_user(*, user: Any, code: Any) -> JournalNote:
    return get_for_user_or_404(
        JournalNote.objects.select_related("carer__unit", "author"), user, unit_field="carer__unit", code=code
    )


def plan_item_get(*, carer: Carer, code: Any) -> SupportPlanItem:
    """One item of the carer's stödplan (the carer already reached and logged by the caller);
    404 for another carer's item."""
    try:
        item = SupportPlanItem.objects.select_related("done_by").get(code=code, carer=carer)
    except SupportPlanItem.DoesNotExist as exc:
        raise Http404 from exc
    item.carer = carer
    return item


def talk_kinds_for_unit(*, unit: Any) -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(municipality_id=unit.municipality_id, for_talks=True, active=True)


def partners_for_unit(*, unit: Any, current: Iterable[Partner] = ()) -> QuerySet[Partner]:
    """The partners offered for a new referral or activity: those not retired, and the
    ones a record being edited already names (``current``), so saving it keeps them."""
    keep = [partner.pk for partner in current]
    return Partner.objects.filter(Q(retired_on__isnull=True) | Q(pk__in=keep), unit=unit).order_by("name")


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


# --------------------------------------------------------------------------
# The consultant's day ("Idag", and the workload's follow-ups)
# --------------------------------------------------------------------------

# How far ahead "coming" follow-ups reach.
FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class FollowUp:
    """A follow-up due: a talk's follow-up date or a stödplan item's, not yet done.

    ``state`` is "overdue", "today" or "coming"; ``record`` is the talk or the item."""

    kind: str
    due: dt.date
    state: str
    days_overdue: int
    record: Any
    carer: Carer | None


@dataclass(frozen=True)
class FollowUps:
    """The follow-ups to show, nearest date first (so the overdue ones lead), and whether
    there were more than ``limit`` of them."""

    rows: list[FollowUp]
    more: bool

    @property
    def overdue(self) -> list[FollowUp]:
        return [row for row in self.rows if row.state == "overdue"]

    @property
    def today(self) -> list[FollowUp]:
        return [row for row in self.rows if row.state == "today"]

    @property
    def coming(self) -> list[FollowUp]:
        return [row for row in self.rows if row.state == "coming"]


def follow_ups_due(*, user: Any, today: dt.date, days: int = FOLLOW_UP_DAYS, limit: int = 50) -> FollowUps:
    """The user's follow-ups not yet done, up to ``days`` ahead and however long overdue:
    the talks they logged, and the stödplan items of the carers they are stödkontakt for,
    in the units where they do casework and of open records. Two queries, whatever the data."""
    unit_ids = unit_ids_for(user, roles=CASEWORK_ROLES)
    horizon = today + dt.timedelta(days=days)
    open_record = Q(carer__isnull=True) | Q(carer__status=Carer.Status.OPEN)
    talks = list(
        Talk.objects.filter(
            open_record,
            consultant=user,
            unit_id__in=unit_ids,
            follow_up_on__isnull=False,
            follow_up_on__lte=horizon,
            follow_up_done_at__isnull=True,
        )
        .select_related("carer", "exemption", "support_kind")
        .order_by("follow_up_on", "pk")[: limit + 1]
    )
    items = list(
        SupportPlanItem.objects.filter(
            carer__support_contact=user,
            carer__unit_id__in=unit_ids,
            carer__status=Carer.Status.OPEN,
            done=False,
            follow_up_on__isnull=False,
            follow_up_on__lte=horizon,
        )
        .select_related("carer")
        .order_by("follow_up_on", "pk")[: limit + 1]
    )

    def row(kind: str, record: Any) -> FollowUp:
        due: dt.date = record.follow_up_on
        state = "overdue" if due < today else "today" if due == today else "coming"
        return FollowUp(kind, due, state, max((today - due).days, 0), record, record.carer)

    rows = sorted(
        [row("talk", talk) for talk in talks] + [row("plan_item", item) for item in items],
        key=lambda follow_up: (follow_up.due, follow_up.kind, follow_up.record.pk),
    )
    return FollowUps(rows=rows[:limit], more=len(rows) > limit)


@dataclass(frozen=True)
class FollowUpLine:
    """A follow-up as a list shows it, its texts translated once per page rather than through
    template tags per row: when (and how overdue, in words), what (a link), whose (the
    carer's label, never a name) and where to post "done"."""

    follow_up: FollowUp
    overdue: str
    what: str
    url: str
    note: str
    whose: str
    done_url: str


def follow_up_lines(*, follow_ups: Sequence[FollowUp]) -> list[FollowUpLine]:
    areas = {value: str(label) for value, label in SupportPlanItem.Area.choices}
    anonymous = _("Anonymous")
    lines = []
    for row in follow_ups:
        overdue = (
            ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", row.days_overdue)
            % {"days": row.days_overdue}
            if row.state == "overdue"
            else ""
        )
        record = row.record
        if row.kind == "talk":
            date = timezone.localtime(record.started_at).strftime("%Y-%m-%d")
            what = _("Talk of %(date)s") % {"date": date}
            url = reverse("contacts:talk_detail", args=[record.code])
            done_url = reverse("contacts:talk_follow_up_done", args=[record.code])
            note = record.next_step
            if row.carer is not None:
                whose = row.carer.label
            elif record.exemption is not None:
                whose = f"{anonymous} ({record.exemption.reference})"
            else:
                whose = anonymous
        else:
            what = _("Support plan: %(area)s") % {"area": areas.get(record.area, record.area)}
            carer_url = reverse("contacts:carer_detail", args=[record.carer.code])
            url = f"{carer_url}#plan-{record.code}"
            done_url = reverse("contacts:plan_item_done", args=[record.carer.code, record.code])
            note, whose = "", record.carer.label
        lines.append(FollowUpLine(row, overdue, what, url, note, whose, done_url))
    return lines


def notes_unsigned(*, user: Any, limit: int = 50) -> list[JournalNote]:
    """The user's own journal notes not yet signed (only the author may sign), oldest first."""
    return list(
        JournalNote.objects.filter(
            author=user, signed_at__isnull=True, carer__unit_id__in=unit_ids_for(user, roles=CASEWORK_ROLES)
        )
        .select_related("carer")
        .order_by("created_at", "pk")[:limit]
    )


@dataclass(frozen=True)
class DraftRow:
    """An open talk draft: of the anonymous form (``carer`` None) or of a carer's."""

    key: str
    updated_at: dt.datetime
    carer: Carer | None


def talk_drafts_open(*, user: Any, limit: int = 50) -> list[DraftRow]:
    """The user's talk drafts, newest first; a carer's draft only while the carer is in reach.

    Two queries: the drafts (one per form), and their carers."""
    drafts = list(TalkDraft.objects.filter(user=user).order_by("-updated_at", "-pk")[:limit])
    codes = []
    for draft in drafts:
        if draft.key != "new":
            try:
                codes.append(uuid.UUID(draft.key))
            except ValueError:
                continue
    carers = {str(carer.code): carer for carer in scope_to_user(Carer.objects.filter(code__in=codes), user)}
    rows = []
    for draft in drafts:
        if draft.key == "new":
            rows.append(DraftRow(draft.key, draft.updated_at, None))
        elif draft.key in carers:
            rows.append(DraftRow(draft.key, draft.updated_at, carers[draft.key]))
    return rows


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
