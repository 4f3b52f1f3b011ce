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

Building a million talks takes minutes, so a dataset can be built once and measured many
times:

    bench/run.py --talks 1000000 --keep         # build, measure, and keep the scratch database
    bench/run.py --talks 1000000 --reuse        # measure the kept dataset again (no build)

``--keep`` leaves the scratch database in place at the end (SQLite: a file in the
temporary directory, named after the sizes). ``--reuse`` opens a kept scratch database
without recreating it, applies any pending migrations to it (``migrate``, as the test
runner does with ``keepdb``), and measures the dataset in it when it was built with the
same sizes and seed; otherwise it drops it and builds a new one. The sizes, the seed and
the records the pages are measured on are kept in a small table of the scratch database
(``bench_dataset``). ``--reuse`` implies ``--keep``.

When the ``rollups_rebuild`` management command exists, the bench calls it after building
(the dataset is written with ``bulk_create``, which bypasses the services that keep the
rollups up to date), and on ``--reuse`` when the kept dataset has not had it yet, when
migrations were applied since it had it, or when ``--rebuild-rollups`` asks for it.

``--only dashboard`` times the two dashboard pages and nothing else (no PDF): the mode for
``--talks 10000000``, whose build alone takes about an hour. ``--only staff`` times the
staff lists and pages. Every run ends with a markdown table of its figures; ``--save``
writes them to a JSON file and ``--table A.json B.json`` prints saved runs side by side
(the README's 100,000 and 1,000,000 columns).
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
# What --only can choose: the pages of each group (every page without --only).
PAGE_GROUPS = {"staff", "dashboard"}


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
    parser.add_argument(
        "--only",
        choices=sorted(PAGE_GROUPS),
        help="time only these pages and skip the PDF: 'dashboard' (the two dashboard pages, for --talks 10000000) "
        "or 'staff' (the staff lists and pages)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database at the end (see --reuse)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the kept scratch database's dataset when it has the same sizes and seed (pending migrations "
        "are applied first); build a new one otherwise. Implies --keep",
    )
    parser.add_argument(
        "--rebuild-rollups", action="store_true", help="with --reuse: run rollups_rebuild even if it has run"
    )
    parser.add_argument("--save", metavar="JSON", help="write this run's figures to a JSON file (for --table)")
    parser.add_argument(
        "--table",
        nargs="+",
        metavar="JSON",
        help="print the figures of runs saved with --save side by side as a markdown table, and nothing else",
    )
    parser.add_argument("--pdf-child", nargs=4, metavar=("DB", "UNIT", "START", "END"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.table:
        _table_of_saved(args.table)
        return
    keep = args.keep or args.reuse
    pdf_wanted = not args.no_pdf and args.only is None
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

    sizes = _sizes(args)
    if connection.vendor == "sqlite":
        # A file, not SQLite's in-memory test database: the PDF child process must open it.
        # A kept one is named after its sizes, in the temporary directory, so --reuse finds it.
        name = (
            Path(tempfile.gettempdir()) / f"anhorigstod-bench-{sizes.talks}-{sizes.seed}.sqlite3"
            if keep
            else scratch / "bench.sqlite3"
        )
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(name)
    # Without setup_test_environment(): it instruments template rendering to copy every
    # context for the test client, work no production request does.
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=args.reuse)
    # No serialised copy of the database for test rollbacks: with a kept dataset it would
    # read every row into one string.
    old_config = runner.setup_databases(serialized_aliases=set())
    runner.keepdb = keep  # what teardown_databases does at the end: keep or drop
    scratch_name = connection.settings_dict["NAME"]
    try:
        print(f"database: {connection.vendor} ({scratch_name})")
        data = _reuse(sizes, rebuild_rollups=args.rebuild_rollups) if args.reuse else None
        if data is None:
            if args.reuse:
                # A kept database of other sizes, or none: drop it and start from an empty one.
                runner.keepdb = False
                runner.teardown_databases(old_config)
                old_config = runner.setup_databases(serialized_aliases=set())
                runner.keepdb = keep
            data = _build(sizes)
        _describe(data)
        results = _measure(data, args.repeat, only=args.only)
        pdf = _pdf(data, connection) if pdf_wanted else None
        _verdict(results, pdf, pdf_wanted=pdf_wanted)
        _table(results, sizes=sizes, vendor=connection.vendor)
        if args.save:
            _save(args.save, results, pdf, sizes=sizes, vendor=connection.vendor, repeat=args.repeat)
    finally:
        runner.teardown_databases(old_config)
        shutil.rmtree(scratch, ignore_errors=True)
    if keep:
        print(f"\nkept the scratch database {scratch_name}: measure it again with --reuse")


# --- Building -------------------------------------------------------------------------


def _sizes(args: argparse.Namespace) -> Any:
    from bench.dataset import Sizes

    return Sizes(
        municipalities=args.municipalities,
        units=args.units,
        staff=args.staff,
        talks=args.talks,
        years=args.years,
        seed=args.seed,
    )


def _build(sizes: Any) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from django.utils import timezone

    from bench.dataset import build

    print(f"building: {sizes}")
    data = build(sizes, today=timezone.localdate(), progress=print)
    for user in (data.admin, data.manager, data.small_manager, data.consultant):
        TOTP.activate(user, MFA_SECRET)  # staff must have MFA, or every page redirects to its set-up
    rollups = _rollups_rebuild()
    _analyze()
    print(f"built in {data.seconds:.1f} s, statistics refreshed (ANALYZE):")
    for key, n in data.counts.items():
        print(f"  {key:<22} {n:>10,}")
    _keep_record(sizes, data, rollups=rollups)
    return data


def _rollups_rebuild() -> bool:
    """Fill the follow-up's pre-aggregated counts, when this version of the code has them.

    The dataset is written with ``bulk_create``, which bypasses the services that keep the
    rollups up to date, so the dashboard would read empty ones. Returns whether it ran.
    """
    from django.core.management import call_command, get_commands

    if "rollups_rebuild" not in get_commands():
        return False
    started = time.perf_counter()
    call_command("rollups_rebuild")
    print(f"rollups_rebuild: {time.perf_counter() - started:.1f} s")
    return True


# --- Keeping a dataset ----------------------------------------------------------------

# One row in the scratch database: the sizes it was built with and the records the pages
# are measured on, so that --reuse can measure it again without building it.
RECORD_TABLE = "bench_dataset"


def _keep_record(sizes: Any, data: Any, *, rollups: bool) -> None:
    from dataclasses import asdict

    record = {
        "sizes": asdict(sizes),
        "rollups": rollups,
        "year": data.year,
        "seconds": data.seconds,
        "counts": dict(data.counts),
        "users": {key: getattr(data, key).pk for key in ("admin", "manager", "small_manager", "consultant")},
        "units": {key: getattr(data, key).pk for key in ("top_unit", "small_top_unit", "team")},
        "municipality": data.municipality.pk,
        "carer": data.carer.pk,
        "migrations": _applied_migrations(),
    }
    _keep_record_raw(record)


def _keep_record_raw(record: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {RECORD_TABLE} (id integer PRIMARY KEY, record text NOT NULL)")
        cursor.execute(f"DELETE FROM {RECORD_TABLE}")  # noqa: S608 - a constant
        cursor.execute(f"INSERT INTO {RECORD_TABLE} (id, record) VALUES (1, %s)", [json.dumps(record)])  # noqa: S608


def _applied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _kept_record() -> dict[str, Any] | None:
    from django.db import connection

    if RECORD_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT record FROM {RECORD_TABLE} WHERE id = 1")  # noqa: S608 - a constant
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _reuse(sizes: Any, *, rebuild_rollups: bool) -> Any:
    """The kept dataset, when the scratch database holds one of these sizes and seed; else None."""
    from collections import Counter
    from dataclasses import asdict

    from anhorigstod.accounts.models import Municipality, Unit, User
    from bench.dataset import Dataset
    from contacts.models import Carer

    record = _kept_record()
    if record is None:
        print("reuse: the scratch database holds no kept dataset; building one")
        return None
    if record["sizes"] != asdict(sizes):
        print(f"reuse: the kept dataset has other sizes ({record['sizes']}); building a new one")
        return None
    users = User.objects.in_bulk(record["users"].values())
    units = Unit.objects.in_bulk(record["units"].values())
    data = Dataset(
        admin=users[record["users"]["admin"]],
        manager=users[record["users"]["manager"]],
        small_manager=users[record["users"]["small_manager"]],
        consultant=users[record["users"]["consultant"]],
        top_unit=units[record["units"]["top_unit"]],
        small_top_unit=units[record["units"]["small_top_unit"]],
        team=units[record["units"]["team"]],
        municipality=Municipality.objects.get(pk=record["municipality"]),
        carer=Carer.objects.get(pk=record["carer"]),
        year=record["year"],
        counts=Counter(record["counts"]),
        seconds=record["seconds"],
    )
    print(f"reuse: the kept dataset of {sizes} (built in {data.seconds:.1f} s); pending migrations applied")
    # Migrations applied since the rollups were filled may have changed what they hold.
    migrated = sorted(set(_applied_migrations()) - set(record.get("migrations", [])))
    if migrated and "migrations" in record:
        print(f"reuse: migrations applied since the dataset was kept: {', '.join(migrated)}")
    elif migrated:
        print("reuse: the kept dataset does not list its migrations (kept by an older bench)")
    if (rebuild_rollups or migrated or not record["rollups"]) and _rollups_rebuild():
        _analyze()
        _keep_record(sizes, data, rollups=True)
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
    from followup.reports.context import unit_and_below

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
    error: str | None = None  # the page did not answer 200: no figures


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


def _measure(data: Any, repeat: int, *, only: str | None = None) -> list[Result]:
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
        f"{os.cpu_count()} CPUs, load average {_load()} before"
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
            timings, queries = _time(client, url, repeat)
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
            splits.append((name, *_sql_share(client, url, max(repeat // 3, 5))))
    print(f"load average {_load()} after: other work on the machine inflates the 95th percentiles")
    if splits:
        print("\nwhere a dashboard request's time goes (mean over separate requests, timed with a query wrapper):")
        for name, sql, total in splits:
            print(f"  {name:<34} SQL {sql:.1f} ms of {total:.1f} ms ({sql / total:.0%}); Python and templates the rest")
    return results


def _sql_share(client: Any, url: str, repeat: int) -> tuple[float, float]:
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
    from followup.reports.build import report_render

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
        if result.error is not None:
            print(f"  {result.name:<34} not measured: {result.error}  MISS")
            continue
        if result.goal is None:
            continue
        verdict = "pass" if result.p95 < result.goal else "MISS"
        print(f"  {result.name:<34} p95 {result.p95:>7.1f} ms  goal < {result.goal:.0f} ms  {verdict}")
    dashboards = [result for result in results if result.name.startswith("dashboard") and result.error is None]
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


def _verdict_of(result: Result) -> str:
    if result.error is not None:
        return f"**failed** ({result.error})"
    if result.goal is None:
        return "none set"
    return "pass" if result.p95 < result.goal else "**miss**"


def _table(results: list[Result], *, sizes: Any, vendor: str) -> None:
    """The figures as a markdown table, for the README."""
    print(f"\n{sizes.talks:,} talks, {vendor}:\n")
    print("| page | median ms | p95 ms | queries | goal (p95) | verdict |")
    print("|---|---:|---:|---:|---|---|")
    for result in results:
        goal = f"< {result.goal:.0f} ms" if result.goal is not None else "none"
        print(
            f"| {result.name} | {result.median:.1f} | {result.p95:.1f} | {result.queries} | {goal} | "
            f"{_verdict_of(result)} |"
        )


def _save(
    path: str, results: list[Result], pdf: dict[str, Any] | None, *, sizes: Any, vendor: str, repeat: int
) -> None:
    from dataclasses import asdict

    figures = {
        "talks": sizes.talks,
        "sizes": asdict(sizes),
        "vendor": vendor,
        "repeat": repeat,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": [asdict(result) for result in results],
        "pdf": pdf,
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures saved to {path}")


def _table_of_saved(paths: list[str]) -> None:
    """Saved runs side by side (e.g. 100,000 and 1,000,000 talks): median / p95 and queries of each."""
    runs = [json.loads(Path(path).read_text()) for path in paths]
    names: list[str] = []
    goals: dict[str, float | None] = {}
    for run in runs:
        for page in run["pages"]:
            if page["name"] not in names:
                names.append(page["name"])
            goals[page["name"]] = page["goal"]
    heads = [f"{run['talks']:,} talks ({run['vendor']})" for run in runs]
    print("| page | " + " | ".join(f"{head}: median / p95 ms, queries" for head in heads) + " | goal (p95) |")
    print("|---|" + "---:|" * len(runs) + "---|")
    for name in names:
        cells = []
        for run in runs:
            page = next((page for page in run["pages"] if page["name"] == name), None)
            if page is None or page.get("error"):
                cells.append("–" if page is None else f"failed ({page['error']})")
                continue
            verdict = "" if page["goal"] is None else (" ✓" if page["p95"] < page["goal"] else " **miss**")
            cells.append(f"{page['median']:.1f} / {page['p95']:.1f}{verdict}, {page['queries']}")
        goal = goals[name]
        print(f"| {name} | " + " | ".join(cells) + f" | {f'< {goal:.0f} ms' if goal is not None else 'none'} |")


if __name__ == "__main__":
    main()
