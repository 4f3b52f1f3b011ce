"""When the public calendar's cached pages go stale: one version for all of them.

The calendar (groups.views.public.calendar) caches its pages under the current version;
every write that changes what it shows — a session, an activity, a booking's seat, a
unit's or a municipality's name — calls :func:`calendar_changed`, which sets a new
version once the transaction commits, so the next visitor sees the change. The pages'
own timeout (``CALENDAR_CACHE_SECONDS``) heals a write that forgot to call it.

The version is random, not a counter: if the cache evicts the version key, a fresh one
can never coincide with the version of pages still cached.
"""

from __future__ import annotations

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "groups:calendar:version"


def calendar_version() -> str:
    """The version the calendar's cached pages are stored under now."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid4().hex
        # Two first requests at once agree on one version: the first to add it wins.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return str(version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


def calendar_changed() -> None:
    """Drop the calendar's cached pages when the current transaction commits (at once
    outside one).

    After the commit, not before: a visitor who read the new version before the commit
    could otherwise cache the old rows under it. ``robust``: a cache that is down does not
    turn a committed booking into an error page; the pages' timeout catches up.
    """
    transaction.on_commit(_new_version, robust=True)
