"""``python manage.py cull_records [--dry-run] [--municipality KOMMUNKOD]``: the retention
job (gallring) by hand, for example a dry run before the first scheduled one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anhorigstod.accounts.models import Municipality
from contacts.models import CullRun
from contacts.retention import CullError, cull_all, cull_personal_records


class Command(BaseCommand):
    help = "Cull personal records whose last entry is older than the municipality's retention time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be culled; delete nothing.")
        parser.add_argument("--municipality", metavar="KOMMUNKOD", help="Only this municipality (four digits).")

    def handle(self, *args: Any, dry_run: bool, municipality: str | None, **options: Any) -> None:
        if municipality:
            try:
                target = Municipality.objects.get(kommunkod=municipality)
            except Municipality.DoesNotExist:
                raise CommandError(f"No municipality has kommunkod {municipality}.") from None
            runs = [cull_personal_records(municipality=target, dry_run=dry_run)]
        else:
            try:
                runs = cull_all(dry_run=dry_run)
            except CullError as error:
                raise CommandError(str(error)) from error
        for run in runs:
            self._report(run)

    def _report(self, run: CullRun) -> None:
        municipality = run.municipality
        heading = "Would cull" if run.dry_run else "Culled"
        self.stdout.write(
            f"{municipality.name} ({municipality.kommunkod}), last entry before {run.cutoff:%Y-%m-%d}: {heading}"
        )
        for key, number in run.counts.items():
            self.stdout.write(f"  {key}: {number}")
