"""Count the follow-up figures afresh from the raw rows and repair the stored counts.

python manage.py rollups_rebuild --dry-run        # report differences only
python manage.py rollups_rebuild --municipality 9901
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anhorigstod.accounts.models import Unit
from anhorigstod.rollups.services import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the pre-aggregated follow-up counts from the raw rows and report any difference."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report the differences, change nothing")
        parser.add_argument("--municipality", metavar="KOMMUNKOD", help="only this municipality's units")

    def handle(self, *args: Any, **options: Any) -> None:
        unit_ids = None
        if options["municipality"]:
            unit_ids = list(
                Unit.objects.filter(municipality__kommunkod=options["municipality"])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not unit_ids:
                raise CommandError(f"No municipality with kommunkod {options['municipality']}.")
        started = time.perf_counter()
        report = rollups_rebuild(unit_ids=unit_ids, dry_run=options["dry_run"], progress=self.stdout.write)
        self.stdout.write(str(report))
        self.stdout.write(f"{time.perf_counter() - started:.1f} s")
