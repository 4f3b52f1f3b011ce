#!/usr/bin/env python
"""Response-time benchmark of the staff and public pages, the dashboard and the yearly PDF.

Builds a large dataset in a scratch database (a fresh SQLite file, or ``test_<name>`` on
the PostgreSQL server named by ``DATABASE_URL``; see bench/dataset.py), then requests each
page repeatedly through Django's test client and prints the median, the 95th percentile
and the query count, renders one yearly PDF follow-up report of the largest municipality
in a fresh child process (its time and peak memory), and checks every figure against
PRODUCT §10.

    make bench                                  # SQLite
    DATABASE_URL=postgres://... make bench
    make bench BENCH_ARGS="--talks 1000000 --repeat 200"
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# PRODUCT §10, "Fast at scale".
STAFF_PAGE_GOAL_MS = 100.0
DASHBOARD_GOAL_MS = 150.0
PDF_GOAL_S = 3.0
MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - a scratch database's test key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=290, help="municipalities (Sweden has 290)")
    parser.add_argument("--units", type=int, default=8, help="units per municipality, the förvaltning included")
    parser.add_argument("--staff", type=int, default=6, help="consultants per team unit")
    parser.add_argument("--talks", type=int, default=100_000, help="talks in all, over --years years")
    parser.add_argument("--years", type=int, default=2, help="calendar years of casework, up to yesterday (≥ 2)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the dataset")
    parser.add_argument("--repeat", type=int, default=100, help="timed requests per page")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF report")
    parser.add_argument("--pdf-child", nargs=4, metavar=("DB", "UNIT", "START", "END"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if args.pdf_child:
        _pdf_child(*args.pdf_child)
        return
    scratch = Path(tempfile.mkdtemp(prefix="anhorigstod-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(scratch / "unused.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    if connection.vendor == "sqlite":
        # A file, not SQLite's in-memory test database: the PDF child process must open it.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(scratch / "bench.sqlite3")
    # Without setup_test_environment(): it instruments template rendering to copy every
    # context for the test client, work no production request does.
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        data = _build(args)
        results = _measure(data, args.repeat)
        pdf = None if args.no_pdf else _pdf(data, connection)
        _verdict(results, pdf, pdf_wanted=not args.no_pdf)
    finally:
        runner.teardown_databases(old_config)
        shutil.rmtree(scratch, ignore_errors=True)


# --- Building -------------------------------------------------------------------------


def _build(args: argparse.Namespace) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from django.utils import timezone

    from bench.dataset import Sizes, build

    sizes = Sizes(
        municipalities=args.municipalities,
        units=args.units,
        staff=args.staff,
        talks=args.talks,
        years=args.years,
        seed=args.seed,
    )
    print(f"building: {sizes}")
    data = build(sizes, today=timezone.localdate(), progress=print)
    for user in (data.admin, data.manager, data.small_manager, data.consultant):
        TOTP.activate(user, MFA_SECRET)  # staff must have MFA, or every page redirects to its set-up
    _analyze()
    print(f"built in {data.seconds:.1f} s, statistics refreshed (ANALYZE):")
    for key, n in data.counts.items():
        print(f"  {key:<22} {n:>10,}")
    _describe(data)
    return data


def _analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (or SQLite's optimize) does in a live
    database: straight after a bulk load the planner still believes the tables are empty."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _describe(data: Any) -> None:
    """What the measured pages see, so their figures can be read honestly."""
    from django.db.models import Q

    from anhorigstod.accounts.scoping import unit_ids_for
    from anhorigstod.lib.dates import local_range
    from contacts import selectors
    from contacts.models import Carer, Measurement, Talk
    from followup.reports import unit_and_below

    begins, ends = local_range(dt.date(data.year, 1, 1), dt.date(data.year, 12, 31))

    def year_of(top: Any) -> tuple[int, int]:
        talks = Talk.objects.filter(unit_id__in=unit_and_below(top), started_at__gte=begins, started_at__lt=ends)
        return talks.count(), talks.exclude(carer=None).values("carer").distinct().count()

    talks, carers = year_of(data.top_unit)
    small_talks, small_carers = year_of(data.small_top_unit)
    measured = Measurement.objects.filter(carer__unit_id__in=unit_and_below(data.top_unit))
    kasam_pairs = (
        measured.filter(occasion="after", measured_on__year=data.year)
        .filter(carer__in=measured.filter(occasion="before").values("carer"))
        .values("carer")
        .distinct()
        .count()
    )
    manager_talks = Talk.objects.filter(unit_id__in=unit_ids_for(data.manager)).count()
    print("what the measured pages see:")
    print(
        f"  {data.municipality.name} (the largest), {data.year}: {talks:,} talks, {carers:,} carers reached, "
        f"{kasam_pairs:,} carers with a SOC-13 before and after; {manager_talks:,} talks in all its units, all years"
    )
    print(f"  the smallest municipality, {data.year}: {small_talks:,} talks, {small_carers:,} carers reached")
    print(
        f"  consultant of {data.team.name} ({data.municipality.name}): "
        f"{selectors.talk_list(user=data.consultant).count():,} talks, "
        f"{Carer.objects.filter(unit=data.team).count():,} carers in the unit"
    )
    carer = data.carer
    print(
        f"  carer page {carer.label}: {carer.talks.count()} talks, {carer.journal_notes.count()} journal notes, "
        f"{carer.measurements.count()} measurements, {len(selectors.carer_timeline(carer=carer))} timeline entries"
    )
    anonymous = Talk.objects.filter(Q(carer=None)).count() / max(Talk.objects.count(), 1)
    print(f"  talks anonymous: {anonymous:.0%} of all")


# --- Measuring ------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    name: str
    median: float
    p95: float
    queries: int
    goal: float | None  # ms at the 95th percentile; None where PRODUCT §10 sets none


def _time(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
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


def _measure(data: Any, repeat: int) -> list[Result]:
    from django.test import Client

    year = f"start={data.year}-01-01&end={data.year}-12-31"
    talk = data.carer.talks.order_by("-started_at").first()
    staff, dashboard = STAFF_PAGE_GOAL_MS, DASHBOARD_GOAL_MS
    pages: list[tuple[str, str, Any, float | None]] = [
        ("public start page (/)", "/", None, None),
        ("municipality page", f"/kommun/{data.municipality.kommunkod}/", None, None),
        ("public calendar", "/kalender/", None, None),
        ("Idag (admin)", "/idag/", data.admin, staff),
        ("staff list (admin)", "/personal/", data.admin, staff),
        ("Idag (consultant)", "/idag/", data.consultant, staff),
        ("carer list", "/anhoriga/", data.consultant, staff),
        ("carer list, manager", "/anhoriga/", data.manager, staff),
        ("talk list", "/samtal/", data.consultant, staff),
        ("talk list, filtered", "/samtal/?anonymous=false&talk_type=advice", data.consultant, staff),
        ("talk list, manager", "/samtal/", data.manager, staff),
        ("carer page", f"/anhoriga/{data.carer.code}/", data.consultant, staff),
        ("talk page", f"/samtal/{talk.code}/", data.consultant, staff),
        ("activities (staff)", "/aktiviteter/", data.consultant, staff),
        ("my workload", "/uppfoljning/min-arbetsbelastning/", data.consultant, staff),
        ("dashboard, municipality-year", f"/uppfoljning/?{year}", data.manager, dashboard),
        ("dashboard, smallest municipality", f"/uppfoljning/?{year}", data.small_manager, dashboard),
    ]
    print(
        f"\n{repeat} timed requests per page (after 2 warm-up requests), Django test client, in-process; "
        f"{os.cpu_count()} CPUs, load average {_load()} before"
    )
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    results = []
    for name, url, who, goal in pages:
        client = Client()
        if who is not None:
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        timings, queries = _time(client, url, repeat)
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
        result = Result(name, statistics.median(timings), p95, queries, goal)
        results.append(result)
        print(f"{name:<34} {result.median:>10.1f} {result.p95:>8.1f} {result.queries:>8}", flush=True)
    print(f"load average {_load()} after: other work on the machine inflates the 95th percentiles")
    return results


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


# --- The PDF, in a child process ------------------------------------------------------


def _pdf(data: Any, connection: Any) -> dict[str, Any] | None:
    """Render the largest municipality's report of last year in a fresh process.

    A fresh process so that its peak resident memory is the rendering's, not the dataset
    build's: the parent has held hundreds of thousands of model instances by now.
    """
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = connection.settings_dict["NAME"]
    command = [
        sys.executable,
        __file__,
        "--pdf-child",
        connection.settings_dict["NAME"],
        data.top_unit.code,
        f"{data.year}-01-01",
        f"{data.year}-12-31",
    ]
    connection.close()  # the child needs no competition for an SQLite file lock
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        print(f"\nPDF report: the child process failed:\n{completed.stderr[-3000:]}")
        return None
    pdf: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    print(f"\nyearly PDF report, {data.municipality.name} {data.year}, whole municipality (followup_report's renderer)")
    print(f"  first render in a fresh process (imports WeasyPrint): {pdf['cold_s']:.2f} s")
    print(f"  second render in the same process:                     {pdf['warm_s']:.2f} s, {pdf['queries']} queries")
    print(f"  PDF: {pdf['bytes']:,} bytes")
    print(
        f"  peak memory: {pdf['peak_rss_mb']:.0f} MB peak resident set of the child process over both renders "
        "(ru_maxrss), "
        f"{pdf['peak_rss_mb'] - pdf['rss_before_mb']:.0f} MB above its {pdf['rss_before_mb']:.0f} MB "
        f"before rendering; Python heap peak during a render {pdf['tracemalloc_peak_mb']:.0f} MB (tracemalloc)"
    )
    return pdf


def _pdf_child(db_name: str, unit_code: str, start: str, end: str) -> None:
    import resource
    import tracemalloc

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    connection.settings_dict["NAME"] = db_name
    from anhorigstod.accounts.models import Unit
    from followup.reports import report_render

    unit = Unit.objects.select_related("municipality").get(code=unit_code)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)

    def rss_mb() -> float:
        # Linux: the current resident set, in kB.
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rss_before = rss_mb()
    with translation.override("sv"):
        started = time.perf_counter()
        _html, pdf = report_render(unit=unit, start=first, end=last)
        cold = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report_render(unit=unit, start=first, end=last)
            warm = time.perf_counter() - started
        # Before tracemalloc, whose own bookkeeping would add to the process's memory.
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        tracemalloc.start()
        report_render(unit=unit, start=first, end=last)
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    result = {
        "cold_s": cold,
        "warm_s": warm,
        "queries": len(queries),
        "bytes": len(pdf),
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss,
        "tracemalloc_peak_mb": traced_peak / 2**20,
    }
    print(json.dumps(result))


# --- The verdict ----------------------------------------------------------------------


def _verdict(results: list[Result], pdf: dict[str, Any] | None, *, pdf_wanted: bool) -> None:
    print("\nagainst PRODUCT §10 (at the 95th percentile):")
    for result in results:
        if result.goal is None:
            continue
        verdict = "pass" if result.p95 < result.goal else "MISS"
        print(f"  {result.name:<34} p95 {result.p95:>7.1f} ms  goal < {result.goal:.0f} ms  {verdict}")
    dashboards = [result for result in results if result.name.startswith("dashboard")]
    if len(dashboards) == 2:
        large, small = dashboards
        verdict = "pass" if large.queries == small.queries else "MISS"
        print(
            f"  {'dashboard query count':<34} {large.queries} (largest) vs {small.queries} (smallest municipality)"
            f"  goal: does not grow with the data  {verdict}"
        )
    if pdf is None and pdf_wanted:
        print(f"  {'yearly PDF':<34} not measured: the render failed (above)  MISS")
    if pdf is not None:
        verdict = "pass" if pdf["cold_s"] < PDF_GOAL_S else "MISS"
        print(f"  {'yearly PDF, first render':<34} {pdf['cold_s']:>11.2f} s   goal < {PDF_GOAL_S:.0f} s    {verdict}")
    print(
        "\nThe goals are for a national dataset (290 municipalities, 1 million carers, 10 million talks); "
        "this run's size is above. Scale it with --talks."
    )


if __name__ == "__main__":
    main()
