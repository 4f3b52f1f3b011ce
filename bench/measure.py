"""Timing the pages: each requested repeatedly through Django's test client, in-process,
for its median, its 95th percentile and its query count; for the dashboards, the share of
a request spent in SQL."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.dashboards import FRESH

# PRODUCT §10, "Fast at scale".
STAFF_PAGE_GOAL_MS = 100.0
DASHBOARD_GOAL_MS = 150.0
PDF_GOAL_S = 3.0


@dataclass(frozen=True)
class Result:
    name: str
    median: float
    p95: float
    queries: int
    goal: float | None  # ms at the 95th percentile; None where PRODUCT §10 sets none
    error: str | None = None  # the page did not answer 200: no figures
    expected_queries: int | None = None  # bench/query_counts.py's count, where it has one
    # Where a request's time goes, in mean ms (the write row: "mean_ms", "upkeep_mean_ms", …)
    parts: dict[str, float] | None = None


@dataclass(frozen=True)
class Load:
    """The machine's load average (1, 5 and 15 minutes) around one group of pages: other
    work on the machine inflates the 95th percentiles."""

    group: str
    before: tuple[float, float, float]
    after: tuple[float, float, float]


def queries_of(client: Any, url: str) -> int:
    """Queries of one request, as bench/query_counts.py counts them (tests assert the same)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def warm_up(client: Any, url: str) -> None:
    """Template loading, the first connection, caches: two requests before any is counted."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def time_page(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    warm_up(client, url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings, queries_of(client, url)


def pages_of(data: Any, dashboards: list[Any]) -> list[tuple[str, str, Any, float | None, str]]:
    """(name, URL, who, goal at the 95th percentile, group for --only) of every page timed."""
    talk = data.carer.talks.order_by("-started_at").first()
    staff, dashboard = STAFF_PAGE_GOAL_MS, DASHBOARD_GOAL_MS
    return [
        ("public start page (/)", "/", None, None, "public"),
        ("municipality page", f"/kommun/{data.municipality.kommunkod}/", None, None, "public"),
        ("public calendar", "/kalender/", None, None, "public"),
        ("Idag (admin)", "/idag/", data.admin, staff, "staff"),
        ("staff list (admin)", "/personal/", data.admin, staff, "staff"),
        ("Idag (consultant)", "/idag/", data.consultant, staff, "staff"),
        ("carer list", "/anhoriga/", data.consultant, staff, "staff"),
        ("carer list, manager", "/anhoriga/", data.manager, staff, "staff"),
        ("carer list, manager, page 5", "/anhoriga/?sida=5", data.manager, staff, "staff"),
        ("talk list", "/samtal/", data.consultant, staff, "staff"),
        ("talk list, filtered", "/samtal/?anonymous=false&talk_type=advice", data.consultant, staff, "staff"),
        ("talk list, manager", "/samtal/", data.manager, staff, "staff"),
        ("talk list, manager, page 5", "/samtal/?sida=5", data.manager, staff, "staff"),
        (
            "talk list, manager, a month",
            f"/samtal/?started_after={data.year}-03-01&started_before={data.year}-03-31",
            data.manager,
            staff,
            "staff",
        ),
        ("talk list, manager, by focus", "/samtal/?focus=bereavement", data.manager, staff, "staff"),
        ("carer page", f"/anhoriga/{data.carer.code}/", data.consultant, staff, "staff"),
        ("talk page", f"/samtal/{talk.code}/", data.consultant, staff, "staff"),
        ("activities (staff)", "/aktiviteter/", data.consultant, staff, "staff"),
        ("my workload", "/uppfoljning/min-arbetsbelastning/", data.consultant, staff, "staff"),
        *((row.name, row.url, row.who, dashboard, "dashboard") for row in dashboards),
    ]


def measure_pages(
    data: Any, repeat: int, *, dashboards: list[Any], only: str | None = None
) -> tuple[list[Result], list[Load]]:
    """Time every page of the chosen group (all without ``only``); the dashboard's rows are
    ``dashboards`` (bench/dashboards.py). The load average is read before and after each group."""
    from django.test import Client

    from bench.query_counts import QUERY_COUNTS

    print(
        f"\n{repeat} timed requests per page (after 2 warm-up requests), Django test client, in-process; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'page':<42} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    results = []
    loads: list[Load] = []
    splits: list[tuple[str, float, float]] = []
    group_now: str | None = None
    before = os.getloadavg()

    def group_done() -> None:
        if group_now is not None:
            loads.append(Load(f"{group_now} pages", before, os.getloadavg()))
            print(
                f"  load average {load_text(before)} before the {group_now} pages, {load_text(loads[-1].after)} after"
            )

    for name, url, who, goal, group in pages_of(data, dashboards):
        if only is not None and group != only:
            continue
        if group != group_now:
            group_done()
            group_now, before = group, os.getloadavg()
        client = Client()
        if who is not None:
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        expected = QUERY_COUNTS.get(name)
        try:
            with _protection_afresh(name.endswith(FRESH)):
                timings, queries = time_page(client, url, repeat)
        except AssertionError as failure:
            # One broken page (another area's work in progress) does not lose the others' figures.
            error = f"answered {failure.args[0][1]}"
            results.append(Result(name, float("nan"), float("nan"), 0, goal, error=error, expected_queries=expected))
            print(f"{name:<42} FAILED: {url} answered {failure.args[0][1]}", flush=True)
            continue
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
        result = Result(name, statistics.median(timings), p95, queries, goal, expected_queries=expected)
        results.append(result)
        print(f"{name:<42} {result.median:>10.1f} {result.p95:>8.1f} {result.queries:>8}", flush=True)
        if expected is not None and queries != expected:
            print(f"{'':<42} WARNING: {queries} queries, bench/query_counts.py says {expected}", flush=True)
        if group == "dashboard":
            with _protection_afresh(name.endswith(FRESH)):
                splits.append((name, *sql_share(client, url, max(repeat // 3, 5))))
    group_done()
    if splits:
        print("\nwhere a dashboard request's time goes (mean over separate requests, timed with a query wrapper):")
        for name, sql, total in splits:
            print(f"  {name:<42} SQL {sql:.1f} ms of {total:.1f} ms ({sql / total:.0%}); Python and templates the rest")
    return results, loads


@contextmanager
def _protection_afresh(afresh: bool) -> Iterator[None]:
    """With ``afresh``, no unit tree's protection is taken from the cache (what the first
    request after a write of the tree's counts costs)."""
    if not afresh:
        yield
        return
    from followup.disclosure import figures

    kept = figures._cached
    figures._cached = lambda key: None
    try:
        yield
    finally:
        figures._cached = kept


def sql_share(client: Any, url: str, repeat: int) -> tuple[float, float]:
    """Mean milliseconds per request spent executing SQL (database round trips included),
    and in the whole request. Timed apart from the figures above, as the wrapper costs a little."""
    from django.db import connection

    sql = 0.0

    def timed(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal sql
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql += time.perf_counter() - started

    total = 0.0
    with connection.execute_wrapper(timed):
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            total += time.perf_counter() - started
    return sql * 1000 / repeat, total * 1000 / repeat


def load_text(values: tuple[float, ...]) -> str:
    return " ".join(f"{value:.2f}" for value in values)
