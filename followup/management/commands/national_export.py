"""``manage.py national_export --unit CODE [--unit CODE ...] --start YYYY-MM-DD --end YYYY-MM-DD
--format csv|json --output FILE``

Writes the national export (docs/national-export.md) of the units for the period: the
same records, from the same builder, as the managers' download. ``--output -`` writes to
standard output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anhorigstod.accounts.models import Unit
from followup.national import national_csv, national_dataset, national_json


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Write the national export (a suppressed aggregate per unit and period) as CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", action="append", default=[], help="a unit's code; repeat for more units")
        parser.add_argument("--start", help="first day, YYYY-MM-DD")
        parser.add_argument("--end", help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
        parser.add_argument("--output", help="where to write the file; - for standard output")
        parser.add_argument("--list-units", action="store_true", help="print the unit codes and names")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_units"]:
            for code, name, kommunkod in Unit.objects.order_by("municipality__kommunkod", "code").values_list(
                "code", "name", "municipality__kommunkod"
            ):
                self.stdout.write(f"{code}\t{name}\t{kommunkod}")
            return
        missing = [f"--{name}" for name in ("unit", "start", "end", "output") if not options[name]]
        if missing:
            raise CommandError(f"missing {', '.join(missing)}")
        codes = list(dict.fromkeys(options["unit"]))
        units = list(Unit.objects.select_related("municipality").filter(code__in=codes))
        unknown = sorted(set(codes) - {unit.code for unit in units})
        if unknown:
            raise CommandError(f"no unit with the code {', '.join(map(repr, unknown))} (see --list-units)")
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--end is before --start")
        records = national_dataset(units=units, start=start, end=end)
        body = national_csv(records) if options["format"] == "csv" else national_json(records, start=start, end=end)
        if options["output"] == "-":
            self.stdout.write(body, ending="")
            return
        output = Path(options["output"])
        output.write_text(body, encoding="utf-8", newline="")
        self.stdout.write(f"{output} ({len(records)} records)")
