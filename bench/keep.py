"""Keeping a built dataset in the scratch database (``--keep`` / ``--reuse``), and what a
bulk-loaded database needs before it is measured: the follow-up counts filled
(``rollups_rebuild``) and the planner's statistics refreshed (``ANALYZE``)."""

from __future__ import annotations

import io
import json
import sys
import time
from typing import Any


def rollups_rebuild() -> float | None:
    """Fill the follow-up's pre-aggregated counts, when this version of the code has them.

    The dataset is written with ``bulk_create``, which bypasses the services that keep the
    rollups up to date, so the dashboard would read empty ones. Returns the seconds it
    took, or None when there is no such command.
    """
    from django.core.management import call_command, get_commands

    if "rollups_rebuild" not in get_commands():
        return None
    started = time.perf_counter()
    call_command("rollups_rebuild", stdout=_WithoutDifferences())
    seconds = time.perf_counter() - started
    print(f"rollups_rebuild: {seconds:.1f} s")
    return seconds


class _WithoutDifferences(io.TextIOBase):
    """The command's progress and summary, without the differences it lists document by
    document: after a bulk load every document differs, as none was kept up to date."""

    def write(self, text: str) -> int:
        sys.stdout.write("".join(line for line in text.splitlines(keepends=True) if not line.startswith("  unit ")))
        return len(text)


# One row in the scratch database: the sizes it was built with and the records the pages
# are measured on, so that --reuse can measure it again without building it.
RECORD_TABLE = "bench_dataset"


def keep_record(sizes: Any, data: Any, *, timings: dict[str, float | None]) -> None:
    """Keep the dataset's description; ``timings``: seconds of its build (``build_s``), of
    ``rollups_rebuild`` (``rollups_s``, None when it has not run) and of ``ANALYZE``."""
    from dataclasses import asdict

    record = {
        "sizes": asdict(sizes),
        "rollups": timings.get("rollups_s") is not None,
        "timings": timings,
        "year": data.year,
        "seconds": data.seconds,
        "counts": dict(data.counts),
        "users": {key: getattr(data, key).pk for key in ("admin", "manager", "small_manager", "consultant")},
        "units": {key: getattr(data, key).pk for key in ("top_unit", "small_top_unit", "team")},
        "municipality": data.municipality.pk,
        "carer": data.carer.pk,
        "migrations": applied_migrations(),
    }
    keep_record_raw(record)


def keep_record_raw(record: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {RECORD_TABLE} (id integer PRIMARY KEY, record text NOT NULL)")
        cursor.execute(f"DELETE FROM {RECORD_TABLE}")  # noqa: S608 - a constant
        cursor.execute(f"INSERT INTO {RECORD_TABLE} (id, record) VALUES (1, %s)", [json.dumps(record)])  # noqa: S608


def applied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def kept_record() -> dict[str, Any] | None:
    from django.db import connection

    if RECORD_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT record FROM {RECORD_TABLE} WHERE id = 1")  # noqa: S608 - a constant
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def reuse(sizes: Any, *, rebuild_rollups: bool) -> Any:
    """The kept dataset, when the scratch database holds one of these sizes and seed; else None."""
    from collections import Counter
    from dataclasses import asdict

    from anhorigstod.accounts.models import Municipality, Unit, User
    from bench.dataset import Dataset
    from contacts.models import Carer

    record = kept_record()
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
    migrated = sorted(set(applied_migrations()) - set(record.get("migrations", [])))
    if migrated and "migrations" in record:
        print(f"reuse: migrations applied since the dataset was kept: {', '.join(migrated)}")
    elif migrated:
        print("reuse: the kept dataset does not list its migrations (kept by an older bench)")
    if rebuild_rollups or migrated or not record["rollups"]:
        timings = kept_timings(record)
        timings["rollups_s"] = rollups_rebuild()
        if timings["rollups_s"] is not None:
            timings["analyze_s"] = analyze()
            keep_record(sizes, data, timings=timings)
    return data


def kept_timings(record: dict[str, Any]) -> dict[str, float | None]:
    """The kept dataset's build, rollups and ANALYZE seconds (a record kept by an older
    bench has the build's alone)."""
    timings: dict[str, float | None] = {"build_s": record["seconds"], "rollups_s": None, "analyze_s": None}
    timings.update(record.get("timings") or {})
    return timings


def analyze() -> float:
    """Refresh the planner's statistics, as autovacuum (or SQLite's optimize) does in a live
    database: straight after a bulk load the planner still believes the tables are empty.
    Returns the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started
