"""Timing the pages: each requested repeatedly through Django's test client, in-process,
for its median, its 95th percentile and its query count; for the dashboards, the share of
a request spent in SQL."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from typing import Any

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


def time_page(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm up: template loading, the first connection, caches
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return timings, len(queries)


def measure_pages(data: Any, repeat: int, *, only: str | None = None) -> list[Result]:
    from django.test import Client

    year = f"start={data.year}-01-01&end={data.year}-12-31"
    talk = data.carer.talks.order_by("-started_at").first()
    staff, dashboard = STAFF_PAGE_GOAL_MS, DASHBOARD_GOAL_MS
    # (name, URL, who, goal at the 95th percentile, group for --only)
    pages: list[tuple[str, str, Any, float | None, str]] = [
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
        ("dashboard, municipality-year", f"/uppfoljning/?{year}", data.manager, dashboard, "dashboard"),
        ("dashboard, smallest municipality", f"/uppfoljning/?{year}", data.small_manager, dashboard, "dashboard"),
    ]
    print(
        f"\n{repeat} timed requests per page (after 2 warm-up requests), Django test client, in-process; "
        f"{os.cpu_count()} CPUs, load average {load_average()} before"
    )
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    results = []
    splits: list[tuple[str, float, float]] = []
    for name, url, who, goal, group in pages:
        if only is not None and group != only:
            continue
        client = Client()
        if who is not None:
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        try:
            timings, queries = time_page(client, url, repeat)
        except AssertionError as failure:
            # One broken page (another area's work in progress) does not lose the others' figures.
            results.append(Result(name, float("nan"), float("nan"), 0, goal, error=f"answered {failure.args[0][1]}"))
            print(f"{name:<34} FAILED: {url} answered {failure.args[0][1]}", flush=True)
            continue
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
        result = Result(name, statistics.median(timings), p95, queries, goal)
        results.append(result)
        print(f"{name:<34} {result.median:>10.1f} {result.p95:>8.1f} {result.queries:>8}", flush=True)
        if group == "dashboard":
            splits.append((name, *sql_share(client, url, max(repeat // 3, 5))))
    print(f"load average {load_average()} after: other work on the machine inflates the 95th percentiles")
    if splits:
        print("\nwhere a dashboard request's time goes (mean over separate requests, timed with a query wrapper):")
        for name, sql, total in splits:
            print(f"  {name:<34} SQL {sql:.1f} ms of {total:.1f} ms ({sql / total:.0%}); Python and templates the rest")
    return results


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


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())
