"""Timing a write: saving a talk (POST), and how much of it is the follow-up count upkeep.

The consultant the staff pages are measured as (``data.consultant``) logs an identified
talk of the carer of their unit whose page is measured (``data.carer``), by POSTing the
talk form (``contacts:talk_create_for_carer``) through Django's test client, as the
browser does: the answer must be the redirect to the carer's page, and each save must
create a talk. Two warm-up saves, then ``repeat`` timed ones, then one more whose queries
are counted.

The talks are dated on a weekday of the data year (the last whole calendar year), at
10:00: its distinct sets are full whatever day the benchmark runs, where the current
year's grow from 1 January. All the saves are on one day for one carer, so after the
warm-ups the carer is already in every set a save adds to (the steady state of a busy
unit).

The count upkeep is the time spent in ``anhorigstod.rollups.services.rollup_apply`` (the
talk service calls it once per save, with what the talk contributes): the unit locks,
the versions, the distinct sets' rows (``_upsert_members``, reported apart) and the count
documents. The wrapper replaces the function in every loaded module that imported it by
name, so whatever path calls it is timed; it costs two clock reads a call.

Afterwards the talks are deleted with their counts (``contacts.rollups.talks_counted``)
and the carer's last entry is put back, so a kept dataset (``--keep``) is as it was built:
the carer page timed on a later ``--reuse`` does not list the benchmark's talks.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.measure import Load, Result, load_text

WRITE_ROW = "saving a talk (POST)"
WARM_UPS = 2


@dataclass
class Upkeep:
    """Seconds spent in the count upkeep while :func:`upkeep_timed` is active."""

    seconds: float = 0.0
    members_seconds: float = 0.0  # of which in ``_upsert_members``: the distinct sets' rows
    calls: int = 0
    depth: int = 0  # a call inside a timed call is not timed twice


@contextmanager
def upkeep_timed() -> Iterator[Upkeep]:
    """Time every call of ``rollup_apply`` (and ``rollup_change``, which calls it) and, apart,
    of ``_upsert_members``, while the block runs."""
    from anhorigstod.rollups import services

    upkeep = Upkeep()
    apply, upsert = services.rollup_apply, services._upsert_members

    def timed_apply(delta: Any) -> None:
        if upkeep.depth:
            return apply(delta)
        upkeep.depth += 1
        started = time.perf_counter()
        try:
            return apply(delta)
        finally:
            upkeep.seconds += time.perf_counter() - started
            upkeep.calls += 1
            upkeep.depth -= 1

    def timed_upsert(members: Any) -> Any:
        started = time.perf_counter()
        try:
            return upsert(members)
        finally:
            upkeep.members_seconds += time.perf_counter() - started

    # The services module itself (rollup_change looks the name up there) and every module
    # that did ``from anhorigstod.rollups.services import rollup_apply``.
    holders: list[Any] = [
        module for module in list(sys.modules.values()) if getattr(module, "__dict__", {}).get("rollup_apply") is apply
    ]
    for module in holders:
        module.rollup_apply = timed_apply
    services._upsert_members = timed_upsert
    try:
        yield upkeep
    finally:
        for module in holders:
            module.rollup_apply = apply
        services._upsert_members = upsert


def talk_day(year: int) -> dt.date:
    """The last weekday on or before 15 November of ``year``."""
    day = dt.date(year, 11, 15)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def talk_post(data: Any) -> tuple[str, dict[str, Any], str]:
    """The talk form's URL for ``data.carer``, the form data of an identified talk, and the
    URL the save redirects to (the carer's page)."""
    from django.urls import reverse

    from contacts.models import Answer, Initiator, SupportKind, TalkFocus, TalkMode, TalkType

    carer = data.carer
    kind = SupportKind.objects.get(municipality_id=carer.unit.municipality_id, code="individual_talk")
    post = {
        "support_kind": str(kind.pk),
        "date": talk_day(data.year).isoformat(),
        "time": "10:00",
        "duration_minutes": "45",
        "mode": TalkMode.PHONE.value,
        "talk_type": TalkType.ADVICE.value,
        "focus": [TalkFocus.SUPPORTING.value, TalkFocus.INFORMING.value],
        "initiator": Initiator.CARER.value,
        "structured_material": "",
        "informed_right_to_apply": Answer.YES.value,
        "asked_about_children": Answer.NO.value,
    }
    url = reverse("contacts:talk_create_for_carer", kwargs={"code": carer.code})
    return url, post, reverse("contacts:carer_detail", kwargs={"code": carer.code})


def form_errors(data: Any, post: dict[str, Any]) -> dict[str, Any]:
    """The talk form's errors for ``post`` as the view builds the form (none: it is accepted)."""
    from contacts.forms import TalkForm
    from contacts.selectors.partners import partners_for_unit
    from contacts.selectors.talks import talk_kinds_for_unit

    unit = data.carer.unit
    form = TalkForm(post, kinds=talk_kinds_for_unit(unit=unit), partners=partners_for_unit(unit=unit), anonymous=False)
    form.is_valid()
    return dict(form.errors)


class Refused(Exception):
    """A save did not answer the redirect to the carer's page."""


def save(client: Any, url: str, post: dict[str, Any], redirect: str) -> None:
    response = client.post(url, post)
    if response.status_code != 302 or response["Location"] != redirect:
        raise Refused(
            f"answered {response.status_code}" + (f" to {response['Location']}" if "Location" in response else "")
        )


def forget_messages(client: Any) -> None:
    """The "talk logged" message is shown by the carer's page, which a browser opens next;
    not opened here, the messages would pile up in the cookie (and then the session) and
    every save would carry more of them."""
    client.cookies.pop("messages", None)


def measure_writes(data: Any, repeat: int) -> tuple[list[Result], list[Load]]:
    """Time ``repeat`` saves of a talk and their count upkeep; the talks are deleted afterwards."""
    from django.db import connection
    from django.db.models import Max
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contacts.models import Carer, Talk

    carer, consultant = data.carer, data.consultant
    url, post, redirect = talk_post(data)
    print(
        f"\n{repeat} timed saves of a talk (after {WARM_UPS} warm-up saves), Django test client, in-process; "
        f"{os.cpu_count()} CPUs: the consultant of {data.team.name} logs an identified talk of {carer.label} "
        f"on {post['date']} (POST {url}); the talks are deleted afterwards, with their counts"
    )
    print(f"{'write':<42} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    before = os.getloadavg()
    last_entry = Carer.objects.filter(pk=carer.pk).values_list("last_entry_at", flat=True).get()
    first_new = (Talk.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    client = Client()
    client.force_login(consultant, backend="django.contrib.auth.backends.ModelBackend")
    saves = 0
    error: str | None = None
    timings: list[float] = []
    upkeeps: list[float] = []
    members: list[float] = []
    try:
        for _ in range(WARM_UPS):
            save(client, url, post, redirect)
            saves += 1
            forget_messages(client)
        with upkeep_timed() as upkeep:
            for _ in range(repeat):
                spent, spent_members = upkeep.seconds, upkeep.members_seconds
                started = time.perf_counter()
                save(client, url, post, redirect)
                timings.append((time.perf_counter() - started) * 1000)
                saves += 1
                upkeeps.append((upkeep.seconds - spent) * 1000)
                members.append((upkeep.members_seconds - spent_members) * 1000)
                forget_messages(client)
        with CaptureQueriesContext(connection) as queries:
            save(client, url, post, redirect)
        saves += 1
        forget_messages(client)
        created = Talk.objects.filter(pk__gte=first_new, carer=carer, consultant=consultant).count()
        if created != saves:
            raise Refused(f"{created} talks created by {saves} saves")
        after = os.getloadavg()  # before the talks are deleted
    except Refused as refused:
        error = str(refused)
    finally:
        _delete_talks(first_new, carer, consultant, last_entry)
    load = Load("write (saving a talk)", before, after if error is None else os.getloadavg())
    if error is not None:
        print(f"{WRITE_ROW:<42} FAILED: POST {url} {error}", flush=True)
        errors = form_errors(data, post)
        if errors:
            print(f"{'':<42} the talk form's errors: {errors}", flush=True)
        return [Result(WRITE_ROW, float("nan"), float("nan"), 0, None, error=error)], [load]
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
    mean, upkeep_mean, members_mean = statistics.mean(timings), statistics.mean(upkeeps), statistics.mean(members)
    parts = {"mean_ms": mean, "upkeep_mean_ms": upkeep_mean, "upkeep_members_mean_ms": members_mean}
    result = Result(WRITE_ROW, statistics.median(timings), p95, len(queries), None, parts=parts)
    print(f"{WRITE_ROW:<42} {result.median:>10.1f} {result.p95:>8.1f} {result.queries:>8}", flush=True)
    print(f"  {upkeep_text(parts)}")
    if upkeep.calls != repeat:
        print(f"  WARNING: the count upkeep was called {upkeep.calls} times in {repeat} saves (once a save expected)")
    print(f"  load average {load_text(load.before)} before the saves, {load_text(load.after)} after")
    return [result], [load]


def upkeep_text(parts: dict[str, float]) -> str:
    """What the count upkeep costs a save, from a write row's ``parts``."""
    mean, upkeep, members = parts["mean_ms"], parts["upkeep_mean_ms"], parts["upkeep_members_mean_ms"]
    rest = mean - upkeep
    ratio = f", {upkeep / rest:.2f}× the rest of the save" if rest > 0 else ""
    return (
        f"count upkeep {upkeep:.1f} ms of {mean:.1f} ms per save ({upkeep / mean:.0%} of the request{ratio}; "
        f"mean of the timed saves); of the upkeep, {members:.1f} ms the distinct sets' rows (_upsert_members), "
        "the rest the locks, versions and count documents"
    )


def _delete_talks(first_new: int, carer: Any, consultant: Any, last_entry: dt.datetime | None) -> None:
    """Delete the benchmark's talks with what they added to the counts, and put the carer's last entry back."""
    from django.db import transaction

    from contacts import rollups
    from contacts.models import Carer, Talk

    ids = list(Talk.objects.filter(pk__gte=first_new, carer=carer, consultant=consultant).values_list("pk", flat=True))
    with transaction.atomic(), rollups.talks_counted(ids):
        Talk.objects.filter(pk__in=ids).delete()
    Carer.objects.filter(pk=carer.pk).update(last_entry_at=last_entry)
