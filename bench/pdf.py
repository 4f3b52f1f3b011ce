"""The yearly PDF report of the largest municipality, rendered and timed in a child process
(``bench/run.py --pdf-child``), so that its memory is the rendering's alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# The child is the benchmark's entry point run again with --pdf-child.
RUN = Path(__file__).with_name("run.py")


def pdf_measure(data: Any, connection: Any) -> dict[str, Any] | None:
    """Render the largest municipality's report of last year in a fresh process.

    A fresh process so that its peak resident memory is the rendering's, not the dataset
    build's: the parent has held hundreds of thousands of model instances by now.
    """
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = connection.settings_dict["NAME"]
    command = [
        sys.executable,
        str(RUN),
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
