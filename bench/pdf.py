"""The PDF report of the largest municipality's förvaltning, rendered and timed in a fresh
process per period (``bench/run.py --pdf-child``), so that its memory is the rendering's alone.

The child is a new interpreter started with ``subprocess`` (fork and exec), not a forked
copy of the benchmark (``multiprocessing``'s default on Linux), which would share the
dataset build's heap. Even so, its ``getrusage`` peak (``ru_maxrss``) is not its own: Linux
keeps the peak resident set of the process image that exec replaced, here the momentary
fork of the benchmark, and reports the larger of the two. The child reads its own peak
from ``/proc/self/status`` (``VmHWM``, the high-water mark of the address space exec
created) instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import Load, load_text

# The child is the benchmark's entry point run again with --pdf-child.
RUN = Path(__file__).with_name("run.py")
# The periods of the PDF, named as the dashboard's (bench/dashboards.py): the data year and
# two whole years ending with it.
PERIODS = ("1y", "2y")


def pdf_measure(data: Any, connection: Any) -> tuple[list[dict[str, Any]], Load]:
    """Render the largest municipality's report for each of ``PERIODS``, each in a fresh process.

    A fresh process so that its peak resident memory is the rendering's, not the dataset
    build's: the parent has held hundreds of thousands of model instances by now. Returns
    the figures of the renders that succeeded, and the load average around them.
    """
    from bench.dashboards import period_dates

    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = connection.settings_dict["NAME"]
    connection.close()  # the child needs no competition for an SQLite file lock
    figures = []
    before = os.getloadavg()
    for period in PERIODS:
        start, end = period_dates(period, data.year)
        command = [
            sys.executable,
            str(RUN),
            "--pdf-child",
            connection.settings_dict["NAME"],
            data.top_unit.code,
            start.isoformat(),
            end.isoformat(),
        ]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            print(f"\nPDF report, {period}: the child process failed:\n{completed.stderr[-3000:]}")
            continue
        pdf: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
        pdf.update(name=f"PDF, förvaltning, {period}", period=period, start=str(start), end=str(end))
        figures.append(pdf)
        print(
            f"\nPDF report of {data.municipality.name}'s förvaltning, {start}..{end} ({period}), whole municipality "
            "(followup_report's renderer), in a fresh process (subprocess: fork and exec)"
        )
        print(f"  first render (imports WeasyPrint):  {pdf['cold_s']:.2f} s")
        print(f"  second render in the same process:  {pdf['warm_s']:.2f} s, {pdf['queries']} queries")
        print(f"  PDF: {pdf['bytes']:,} bytes")
        print(
            f"  peak memory: {pdf['peak_rss_mb']:.0f} MB peak resident set of the child over both renders "
            f"(VmHWM), {pdf['peak_rss_mb'] - pdf['rss_before_mb']:.0f} MB above its {pdf['rss_before_mb']:.0f} MB "
            f"before rendering; Python heap peak during a render {pdf['tracemalloc_peak_mb']:.0f} MB (tracemalloc); "
            f"ru_maxrss would say {pdf['ru_maxrss_mb']:.0f} MB (it keeps the benchmark's peak across exec)"
        )
    load = Load("PDF reports", before, os.getloadavg())
    print(f"\n  load average {load_text(load.before)} before the PDF reports, {load_text(load.after)} after")
    return figures, load


def peak_rss_mb() -> float:
    """This process's own peak resident set (Linux ``VmHWM``), in MB.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: after exec it still holds the peak of the
    process that forked it (see the module's docstring)."""
    return _status_kb("VmHWM") / 1024


def rss_mb() -> float:
    """This process's current resident set (Linux ``VmRSS``), in MB."""
    return _status_kb("VmRSS") / 1024


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status: the PDF's memory is measured on Linux only")


def pdf_child(db_name: str, unit_code: str, start: str, end: str) -> None:
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

    rss_before = rss_mb()
    with translation.override("sv"):
        started = time.perf_counter()
        _html, pdf = report_render(unit=unit, start=first, end=last)
        cold = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report_render(unit=unit, start=first, end=last)
            warm = time.perf_counter() - started
        # At the end of both renders, before tracemalloc, whose own bookkeeping would add
        # to the process's memory.
        peak_rss = peak_rss_mb()
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
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kB on Linux
        "tracemalloc_peak_mb": traced_peak / 2**20,
    }
    print(json.dumps(result))
