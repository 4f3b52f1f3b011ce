"""Keeping a built dataset in the scratch database (``--keep`` / ``--reuse``), and what a
bulk-loaded database needs before it is measured: the follow-up counts filled
(``rollups_rebuild``) and the planner's statistics refreshed (``ANALYZE``)."""

from __future__ import annotations

import json
import time
from typing import Any


def rollups_rebuild() -> bool:
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


# One row in the scratch database: the sizes it was built with and the records the pages
# are measured on, so that --reuse can measure it again without building it.
RECORD_TABLE = "bench_dataset"


def keep_record(sizes: Any, data: Any, *, rollups: bool) -> None:
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
    if (rebuild_rollups or migrated or not record["rollups"]) and rollups_rebuild():
        analyze()
        keep_record(sizes, data, rollups=True)
    return data


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (or SQLite's optimize) does in a live
    database: straight after a bulk load the planner still believes the tables are empty."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
