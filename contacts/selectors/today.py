"""The consultant's day: the follow-ups due, the journal notes to sign and the open talk
drafts, for "Idag" (contacts.today) and the workload's follow-ups."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anhorigstod.accounts.models import CASEWORK_ROLES, User
from anhorigstod.accounts.scoping import scope_to_user, unit_ids_for
from contacts.models import Carer, JournalNote, SupportPlanItem, Talk, TalkDraft

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


def follow_ups_due(*, user: User, today: dt.date, days: int = FOLLOW_UP_DAYS, limit: int = 50) -> FollowUps:
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


def notes_unsigned(*, user: User, limit: int = 50) -> list[JournalNote]:
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


def talk_drafts_open(*, user: User, limit: int = 50) -> list[DraftRow]:
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
