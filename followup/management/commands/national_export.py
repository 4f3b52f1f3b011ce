"""``manage.py national_export --unit CODE [--unit CODE ...] --start YYYY-MM-DD --end YYYY-MM-DD
--format csv|json --output FILE``

Writes the national export (docs/national-export.md) of the units for the period: the
same records, from the same builder, as the managers' download. ``--output -`` writes to
standard output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from followup.management.options import add_unit_and_period, list_units, units_and_period
from followup.national.services import national_csv, national_dataset, national_json


class Command(BaseCommand):
    help = "Write the national export (a suppressed aggregate per unit and period) as CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        add_unit_and_period(parser, many=True)
        parser.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_units"]:
            list_units(self.stdout)
            return
        units, start, end = units_and_period(options)
        records = national_dataset(units=units, start=start, end=end)
        body = national_csv(records) if options["format"] == "csv" else national_json(records, start=start, end=end)
        if options["output"] == "-":
            self.stdout.write(body, ending="")
            return
        output = Path(options["output"])
        output.write_text(body, encoding="utf-8", newline="")
        self.stdout.write(f"{output} ({len(records)} records)")
