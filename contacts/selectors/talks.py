"""Reads of individual talks and of the talk form's drafts, scoped to the user's units.

A selector that returns an identified talk writes an access-log row: a read is logged
as surely as a write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from anhorigstod.accounts.models import Unit, User
from anhorigstod.accounts.scoping import get_for_user_or_404, scope_to_user
from anhorigstod.audit.services import Action, access_log
from contacts.models import SupportKind, Talk, TalkDraft, TalkFocus, TalkFocusEntry, TalkMode, TalkType


def talk_list(*, user: User) -> QuerySet[Talk]:
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


def talk_get_for_user(*, user: User, code: UUID, request: HttpRequest | None = None, log: bool = True) -> Talk:
    talk = get_for_user_or_404(
        Talk.objects.select_related(
            "unit", "consultant", "support_kind", "carer", "exemption", "referral_partner", "follow_up_done_by"
        ),
        user,
        code=code,
    )
    if log and talk.carer is not None:
        access_log(actor=user, action=Action.VIEW, record=talk, subject_code=str(talk.carer.code), request=request)
    return talk


def talk_kinds_for_unit(*, unit: Unit) -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(municipality_id=unit.municipality_id, for_talks=True, active=True)


# A draft last saved longer ago than this is probably another talk's: the form asks
# whether to continue it instead of filling itself in (a session timeout or a reload
# comes back well within it).
DRAFT_FRESH_FOR = dt.timedelta(hours=1)


def talk_draft_find(*, user: User, key: str) -> TalkDraft | None:
    return TalkDraft.objects.filter(user=user, key=key[:80]).first()


def talk_draft_get(*, user: User, key: str) -> dict[str, Any] | None:
    draft = talk_draft_find(user=user, key=key)
    return draft.data if draft else None


def talk_draft_is_stale(*, draft: TalkDraft, now: dt.datetime | None = None) -> bool:
    """Whether the draft is probably left over from an earlier talk: last saved more than
    :data:`DRAFT_FRESH_FOR` ago, or the consultant has logged a talk since."""
    now = now or timezone.now()
    if draft.updated_at < now - DRAFT_FRESH_FOR:
        return True
    return Talk.objects.filter(consultant_id=draft.user_id, created_at__gt=draft.updated_at).exists()
