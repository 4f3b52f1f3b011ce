"""What held sessions contribute to the follow-up counts (:mod:`anhorigstod.rollups.services`),
used both when a service changes a session or its attendance and when the counts are
rebuilt from the raw rows. The rule of what counts as held is ``groups.selectors.held_sessions``:
a scheduled (not cancelled) session, on the local day it starts, in its activity's unit.

Series, per follow-up area of the activity's kind of support:

- ``session``: area -> sessions held;
- ``session__participants``: area -> the head count of a drop-in plus the bookings marked attended;
- ``session__respite``: area -> the people respite was arranged for during the session;
- ``session__staff``, ``session__staff_participants``: area -> the same for training of staff
  groups (activities of the kind ``staff_training``), counted apart from carers and the public.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anhorigstod.rollups.services import Key, rollup_apply, rollup_change
from groups.models import ActivityKind, Session
from groups.selectors import HELD_STATUS


def _with_numbers(sessions: QuerySet[Session]) -> Any:
    # The primary key keeps two sessions with the same numbers from being grouped together.
    return (
        sessions.order_by()
        .values(
            "pk",
            "starts_at",
            "status",
            "head_count",
            "respite_arranged",
            "activity__unit_id",
            "activity__support_kind__area",
            "activity__kind",
        )
        .annotate(attended=Count("bookings", filter=Q(bookings__attended=True)))
    )


def session_counts(session: dict[str, Any]) -> Counter[Key]:
    """The counts one session contributes (a row of :func:`_with_numbers`)."""
    counts: Counter[Key] = Counter()
    if session["status"] != HELD_STATUS:  # groups.selectors: a cancelled session is not held
        return counts
    unit_id, day = session["activity__unit_id"], timezone.localdate(session["starts_at"])
    area = session["activity__support_kind__area"]
    counts[(unit_id, day, "session", area)] += 1
    counts[(unit_id, day, "session__participants", area)] += (session["head_count"] or 0) + session["attended"]
    counts[(unit_id, day, "session__respite", area)] += session["respite_arranged"] or 0
    if session["activity__kind"] == ActivityKind.STAFF_TRAINING:
        # Training for staff groups, counted apart from carers and the public (PRODUCT §8).
        counts[(unit_id, day, "session__staff", area)] += 1
        counts[(unit_id, day, "session__staff_participants", area)] += (session["head_count"] or 0) + session[
            "attended"
        ]
    return counts


def session_counts_now(session_ids: Sequence[int]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for row in _with_numbers(Session.objects.filter(pk__in=list(session_ids))):
        counts.update(session_counts(row))
    return counts


def sessions_created(session_ids: Sequence[int]) -> None:
    rollup_apply(session_counts_now(session_ids))


@contextmanager
def sessions_counted(session_ids: Sequence[int]) -> Iterator[None]:
    """Keep the counts right across a change of these sessions, their activity or their
    bookings' attendance: their contribution before the block is replaced by the one after."""
    ids = list(session_ids)
    before = session_counts_now(ids)
    yield
    rollup_change(before=before, after=session_counts_now(ids))


def fresh_session_counts(unit_ids: Sequence[int]) -> Iterator[tuple[Key, int]]:
    for row in _with_numbers(Session.objects.filter(activity__unit_id__in=unit_ids)).iterator(chunk_size=5000):
        yield from session_counts(row).items()
