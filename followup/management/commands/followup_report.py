"""``manage.py followup_report --unit CODE --start YYYY-MM-DD --end YYYY-MM-DD --output FILE.pdf``

Renders the same PDF as the Celery task, from the same context builder, without a row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from anhorigstod.accounts.models import Unit
from followup.reports import report_render


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Render a unit's PDF follow-up report for a period to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="the unit's code (see --list-units)")
        parser.add_argument("--start", help="first day, YYYY-MM-DD")
        parser.add_argument("--end", help="last day, YYYY-MM-DD")
        parser.add_argument("--output", help="where to write the PDF")
        parser.add_argument("--list-units", action="store_true", help="print the unit codes and names")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_units"]:
            for code, name, municipality in Unit.objects.order_by("municipality__name", "name").values_list(
                "code", "name", "municipality__name"
            ):
                self.stdout.write(f"{code}\t{name}\t{municipality}")
            return
        missing = [f"--{name}" for name in ("unit", "start", "end", "output") if not options[name]]
        if missing:
            raise CommandError(f"missing {', '.join(missing)}")
        unit = Unit.objects.select_related("municipality").filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit with the code {options['unit']!r} (see --list-units)")
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--end is before --start")
        with translation.override("sv"):
            _html, pdf = report_render(unit=unit, start=start, end=end)
        output = Path(options["output"])
        output.write_bytes(pdf)
        self.stdout.write(f"{output} ({len(pdf)} bytes)")
