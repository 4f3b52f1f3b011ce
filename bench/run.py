#!/usr/bin/env python
"""Response-time benchmark of the staff and public pages, the dashboard and the yearly PDF.

Builds a large dataset in a scratch database (a fresh SQLite file, or ``test_<name>`` on
the PostgreSQL server named by ``DATABASE_URL``; see bench/dataset.py), then requests each
page repeatedly through Django's test client and prints the median, the 95th percentile
and the query count (warning where it differs from bench/query_counts.py), renders the PDF
follow-up report of the largest municipality's förvaltning for the data year and for two
whole years, each in a fresh child process (its time and peak memory), and checks every
figure against PRODUCT §10. Every run prints the dataset's build time (the build and
``rollups_rebuild`` apart) and the machine's load average before and after each group of
pages.

    make bench                                  # SQLite
    DATABASE_URL=postgres://... make bench
    make bench BENCH_ARGS="--talks 1000000 --repeat 200"

Building a million talks takes tens of minutes, so a dataset can be built once and
measured many times:

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

The dashboard is timed for a matrix of periods × scopes × "Dölj antal under 5"
(bench/dashboards.py): ``--periods`` (1m, 1y, 22m, 2y, 3y, 5y, any ``<n>y``, ``START..END``
or ``all``), ``--scopes`` (förvaltning, unit) and ``--suppression`` (off, on); the rows
are named like "dashboard, förvaltning, 22m, suppressed", except the whole municipality's
data year unsuppressed, which keeps its name "dashboard, municipality-year", followed by
"dashboard, smallest municipality". The periods are 1y by default, all six with
``--only dashboard``.

``--only dashboard`` times the dashboard's rows and nothing else (no PDF): the mode for
``--talks 10000000``, whose build has not been timed (at a million talks it took about half
an hour). ``--only staff`` times the staff lists and pages.

The write, "saving a talk (POST)" (bench/writes.py), is timed last: a consultant POSTs the
talk form of a carer of their unit ``--repeat`` times, and the run prints how much of a
save is the follow-up count upkeep (``rollup_apply``). It has no goal of its own: the goal
is the same cost at every size, which runs saved at several sizes show side by side. The
talks are deleted afterwards with their counts. ``--only write`` times it alone.

Every run ends with a markdown table of its figures; ``--save`` writes them to a JSON file
and ``--table A.json B.json`` prints saved runs side by side (the README's 100,000 and
1,000,000 columns).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ on the path, not the project: the bench modules are
# imported once the project is there.
sys.path.insert(0, str(ROOT))

from bench.dashboards import PERIODS, SCOPES, SUPPRESSION, dashboard_rows, describe, parse_list, period_dates  # noqa: E402
from bench.keep import analyze, keep_record, kept_record, kept_timings, reuse, rollups_rebuild  # noqa: E402
from bench.measure import measure_pages  # noqa: E402
from bench.pdf import pdf_child, pdf_measure  # noqa: E402
from bench.verdict import save, table, table_of_saved, timings_text, verdict  # noqa: E402
from bench.writes import measure_writes  # noqa: E402

# What --only can choose: the pages of each group, or the write (all of them without --only).
PAGE_GROUPS = {"staff", "dashboard", "write"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=290, help="municipalities (Sweden has 290)")
    parser.add_argument("--units", type=int, default=8, help="units per municipality, the förvaltning included")
    parser.add_argument("--staff", type=int, default=6, help="consultants per team unit")
    parser.add_argument("--talks", type=int, default=100_000, help="talks in all, over --years years")
    parser.add_argument("--years", type=int, default=2, help="calendar years of casework, up to yesterday (≥ 2)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the dataset")
    parser.add_argument("--repeat", type=int, default=100, help="timed requests per page")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF reports")
    parser.add_argument(
        "--only",
        choices=sorted(PAGE_GROUPS),
        help="time only these pages and skip the PDF: 'dashboard' (the dashboard's rows, see --periods; for --talks "
        "10000000), 'staff' (the staff lists and pages) or 'write' (saving a talk, and its count upkeep)",
    )
    parser.add_argument(
        "--periods",
        metavar="LIST",
        help="the dashboard's periods, a comma list of: 1m (March of the data year), <n>y (n whole years ending "
        "with the data year: 1y, 2y, 3y, 5y), 22m (March of the year before to the end of the data year), "
        "YYYY-MM-DD..YYYY-MM-DD, or 'all' (1m,1y,22m,2y,3y,5y). Default: all with --only dashboard, 1y otherwise",
    )
    parser.add_argument(
        "--scopes",
        default=",".join(SCOPES),
        metavar="LIST",
        help="the dashboard's units: förvaltning (the manager's whole municipality), unit (one team unit of it); "
        "default: both",
    )
    parser.add_argument(
        "--suppression",
        default=",".join(SUPPRESSION),
        metavar="LIST",
        help="the dashboard's 'Dölj antal under 5': off, on; default: both",
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
        table_of_saved(args.table)
        return
    try:
        periods = parse_list(args.periods or ("all" if args.only == "dashboard" else "1y"), what="--periods")
        periods = list(PERIODS) if periods == ["all"] else periods
        for period in periods:
            period_dates(period, 2000)
        scopes = parse_list(args.scopes, allowed=SCOPES, what="--scopes")
        suppression = parse_list(args.suppression, allowed=SUPPRESSION, what="--suppression")
    except ValueError as error:
        parser.error(str(error))
    keep = args.keep or args.reuse
    pdf_wanted = not args.no_pdf and args.only is None
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if args.pdf_child:
        pdf_child(*args.pdf_child)
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
        data = reuse(sizes, rebuild_rollups=args.rebuild_rollups) if args.reuse else None
        if data is not None:
            timings = {**kept_timings(kept_record() or {"seconds": data.seconds}), "reused": True}
            print(f"dataset: {timings_text(timings)}")
        else:
            if args.reuse:
                # A kept database of other sizes, or none: drop it and start from an empty one.
                runner.keepdb = False
                runner.teardown_databases(old_config)
                old_config = runner.setup_databases(serialized_aliases=set())
                runner.keepdb = keep
            data, timings = _build(sizes)
        _describe(data)
        rows = dashboard_rows(data, periods=periods, scopes=scopes, suppression=suppression)
        if args.only in (None, "dashboard"):
            print(describe(data, periods, scopes))
        results, loads = (
            ([], []) if args.only == "write" else measure_pages(data, args.repeat, dashboards=rows, only=args.only)
        )
        pdfs: list[dict[str, Any]] = []
        if pdf_wanted:
            pdfs, pdf_load = pdf_measure(data, connection)
            loads.append(pdf_load)
        if args.only in (None, "write"):
            # Last: the saves change the counts (and so what the dashboards keep in the cache).
            write_results, write_loads = measure_writes(data, args.repeat)
            results += write_results
            loads += write_loads
        verdict(results, pdfs, pdf_wanted=pdf_wanted)
        table(results, pdfs, sizes=sizes, vendor=connection.vendor, timings=timings, loads=loads)
        if args.save:
            save(
                args.save,
                results,
                pdfs,
                sizes=sizes,
                vendor=connection.vendor,
                repeat=args.repeat,
                timings=timings,
                loads=loads,
            )
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


def _build(sizes: Any) -> tuple[Any, dict[str, Any]]:
    """Build the dataset; also the seconds of the build, of ``rollups_rebuild`` and of ``ANALYZE``, apart."""
    from django.utils import timezone

    from bench.dataset import activate_mfa, build

    print(f"building: {sizes}")
    started = time.perf_counter()
    data = build(sizes, today=timezone.localdate(), progress=print)
    activate_mfa(data)
    build_s = time.perf_counter() - started
    timings: dict[str, Any] = {"build_s": build_s, "rollups_s": rollups_rebuild(), "analyze_s": analyze()}
    keep_record(sizes, data, timings=timings)
    print(f"dataset: {timings_text(timings)}")
    for key, n in data.counts.items():
        print(f"  {key:<22} {n:>10,}")
    return data, {**timings, "reused": False}


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


if __name__ == "__main__":
    main()
