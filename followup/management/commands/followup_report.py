"""``manage.py followup_report --unit CODE --start YYYY-MM-DD --end YYYY-MM-DD --output FILE.pdf``

Renders the same PDF as the Celery task, from the same context builder, and keeps it as
the unit's report of the period (kind "command line"), so it is listed and counted as a
report made, like a scheduled one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from followup.management.options import add_unit_and_period, list_units, units_and_period
from followup.reports.build import report_render, report_store_rendered


class Command(BaseCommand):
    help = "Render a unit's PDF follow-up report for a period to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        add_unit_and_period(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_units"]:
            list_units(self.stdout)
            return
        (unit,), start, end = units_and_period(options)
        with translation.override("sv"):
            _html, pdf = report_render(unit=unit, start=start, end=end)
        output = Path(options["output"])
        output.write_bytes(pdf)
        report_store_rendered(unit=unit, start=start, end=end, pdf=pdf)
        self.stdout.write(f"{output} ({len(pdf)} bytes)")
