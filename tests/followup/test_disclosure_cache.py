"""A unit tree's protection is kept in the cache until a count of one of its units changes.

The protection of a 5-year förvaltning with its weekly workload is the costliest part of
a suppressed dashboard; it depends only on the counts, which change only through the
rollups (anhorigstod.rollups gives a unit a new version at every write of its counts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from followup.disclosure import figures as disclosure_figures
from followup.disclosure import released_figures
from tests.followup.test_rollups import talk_data


def _counting(monkeypatch: Any) -> list[int]:
    calls: list[int] = []
    real = disclosure_figures._protection

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(disclosure_figures, "_protection", counted)
    return calls


def test_a_kept_protection_is_used_until_a_count_of_the_tree_changes(org, casework, consultant_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from contacts.services import talks as talk_services

    calls = _counting(monkeypatch)
    today = timezone.localdate()
    period = {"unit_ids": [org.unit_a.pk], "start": today - dt.timedelta(days=30), "end": today}
    first = released_figures(**period)
    again = released_figures(**period)
    assert len(calls) == 1
    assert again.value("individual_talks").shown == first.value("individual_talks").shown

    talk_services.talk_log(
        consultant=consultant_a, unit=org.unit_a, data=talk_data(casework.kinds["talk_series"], None)
    )
    released_figures(**period)
    assert len(calls) == 2  # a new version of unit A: computed afresh


def test_without_the_cache_the_protection_is_computed_each_time(org, casework, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the cache is down")

    calls = _counting(monkeypatch)
    monkeypatch.setattr(cache, "get_many", down)
    today = timezone.localdate()
    period = {"unit_ids": [org.unit_a.pk], "start": today - dt.timedelta(days=30), "end": today}
    released_figures(**period)
    released_figures(**period)
    assert len(calls) == 2
