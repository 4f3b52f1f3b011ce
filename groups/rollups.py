"""What held sessions contribute to the follow-up counts (:mod:`anhorigstod.rollups.services`),
used both when a service changes a session or its attendance and when the counts are
rebuilt from the raw rows. The rule of what counts as held is ``groups.selectors.held_sessions``:
a scheduled (not cancelled) session, on the local day it starts, in its activity's unit.

The series are declared here once, as typed constants imported by the follow-up that
reads them (``followup.measures``); per follow-up area of the activity's kind of support:

- :data:`SESSION`: area -> sessions held;
- :data:`SESSION_PARTICIPANTS`: area -> the head count of a drop-in plus the bookings marked attended;
- :data:`SESSION_RESPITE`: area -> the people respite was arranged for during the session;
- :data:`SESSION_STAFF`, :data:`SESSION_STAFF_PARTICIPANTS`: area -> the same for training of
  staff groups (activities of the kind ``staff_training``), counted apart from carers and the public;
- :data:`SESSION_TALK_GROUP`, :data:`SESSION_TALK_GROUP_ATTENDANCES`: sessions of stödsamtal i
  grupp (activities of the kind ``support_group``, a closed talk group) and their attendances,
  the bookings marked attended. An open café is not a talk group, whatever its follow-up area;
- :data:`SESSION_INFORMED`: answer -> held group sessions where SoL 11 kap. 6 § was answered;
- :data:`SESSION_TALK_GROUP_PERSON`: the distinct set of the people who attended a talk
  group, each by :func:`person_hash` of the booking's person key (never the key itself).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anhorigstod.rollups.series import Series
from anhorigstod.rollups.services import Key, rollup_apply, rollup_change
from groups.models import SHREDDED_PREFIX, ActivityKind, Booking, Session
from groups.selectors import HELD_STATUS

SESSION = Series("session")
SESSION_PARTICIPANTS = Series("session__participants")
SESSION_RESPITE = Series("session__respite")
SESSION_STAFF = Series("session__staff")
SESSION_STAFF_PARTICIPANTS = Series("session__staff_participants")
SESSION_TALK_GROUP = Series("session__talk_group")
SESSION_TALK_GROUP_ATTENDANCES = Series("session__talk_group_attendances")
SESSION_INFORMED = Series("session__informed")
SESSION_TALK_GROUP_PERSON = Series("session__talk_group_person", distinct=True)
SESSION_SERIES = (
    SESSION,
    SESSION_PARTICIPANTS,
    SESSION_RESPITE,
    SESSION_STAFF,
    SESSION_STAFF_PARTICIPANTS,
    SESSION_TALK_GROUP,
    SESSION_TALK_GROUP_ATTENDANCES,
    SESSION_INFORMED,
    SESSION_TALK_GROUP_PERSON,
)


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
            "informed_right_to_apply",
        )
        .annotate(attended=Count("bookings", filter=Q(bookings__attended=True)))
    )


# A shredded booking keeps this hash as its person key (groups.services.shredder), so that the
# distinct people of a past period do not change when who they were is removed.
HASHED_PREFIX = "h"


def person_hash(person_key: str) -> str:
    """The key a booking's person counts by among the distinct people of a talk group: a
    keyed hash of the person key (an e-mail or phone digits), which cannot be turned back
    into them without the installation's secret; a shredded booking's key is kept as is."""
    if person_key.startswith(SHREDDED_PREFIX):
        return person_key[len(SHREDDED_PREFIX) :]
    digest = hmac.new(settings.SECRET_KEY.encode(), person_key.encode(), hashlib.sha256).hexdigest()
    return HASHED_PREFIX + digest[:16]


def _talk_group_people(session_ids: Sequence[int]) -> dict[int, list[str]]:
    """The person keys of the attended bookings of these sessions, by session."""
    people: dict[int, list[str]] = {}
    rows = Booking.objects.filter(session_id__in=list(session_ids), attended=True).values_list(
        "session_id", "person_key"
    )
    for session_id, person_key in rows:
        people.setdefault(session_id, []).append(person_key)
    return people


def session_counts(session: dict[str, Any], people: Sequence[str] = ()) -> Counter[Key]:
    """The counts one session contributes (a row of :func:`_with_numbers`); ``people``
    are the person keys of its attended bookings, needed for a talk group only."""
    counts: Counter[Key] = Counter()
    if session["status"] != HELD_STATUS:  # groups.selectors: a cancelled session is not held
        return counts
    unit_id, day = session["activity__unit_id"], timezone.localdate(session["starts_at"])
    area = session["activity__support_kind__area"]

    def add(series: Series, category: str, n: int = 1) -> None:
        counts[(unit_id, day, series.name, category)] += n

    present = (session["head_count"] or 0) + session["attended"]
    add(SESSION, area)
    add(SESSION_PARTICIPANTS, area, present)
    add(SESSION_RESPITE, area, session["respite_arranged"] or 0)
    if session["informed_right_to_apply"]:
        add(SESSION_INFORMED, session["informed_right_to_apply"])
    if session["activity__kind"] == ActivityKind.STAFF_TRAINING:
        # Training for staff groups, counted apart from carers and the public (PRODUCT §8).
        add(SESSION_STAFF, area)
        add(SESSION_STAFF_PARTICIPANTS, area, present)
    if session["activity__kind"] == ActivityKind.SUPPORT_GROUP:
        # Stödsamtal i grupp (PRODUCT §8): its sessions, attendances and distinct people.
        add(SESSION_TALK_GROUP, "")
        add(SESSION_TALK_GROUP_ATTENDANCES, "", session["attended"])
        for person_key in people:
            add(SESSION_TALK_GROUP_PERSON, person_hash(person_key))
    return counts


def _counts_of(rows: Sequence[dict[str, Any]]) -> Counter[Key]:
    talk_groups = [row["pk"] for row in rows if row["activity__kind"] == ActivityKind.SUPPORT_GROUP]
    people = _talk_group_people(talk_groups) if talk_groups else {}
    counts: Counter[Key] = Counter()
    for row in rows:
        counts.update(session_counts(row, people.get(row["pk"], ())))
    return counts


def session_counts_now(session_ids: Sequence[int]) -> Counter[Key]:
    return _counts_of(list(_with_numbers(Session.objects.filter(pk__in=list(session_ids)))))


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
    rows = _with_numbers(Session.objects.filter(activity__unit_id__in=unit_ids)).iterator(chunk_size=5000)
    while batch := list(islice(rows, 5000)):
        yield from _counts_of(batch).items()
