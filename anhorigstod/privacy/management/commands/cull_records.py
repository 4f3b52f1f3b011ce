"""``python manage.py cull_records [--dry-run] [--municipality KOMMUNKOD]``: the nightly
retention job by hand, for example a dry run before the first scheduled one. Prints, per
model of the register of personal data, how many of its rows go and by which rule."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anhorigstod.accounts.models import Municipality
from anhorigstod.privacy.job import CullError, cull_everything, cull_municipality
from anhorigstod.privacy.models import CullRun
from anhorigstod.privacy.registry import describe, register


class Command(BaseCommand):
    help = "Cull the personal data the register says is past its retention time (gallring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be culled; remove nothing.")
        parser.add_argument(
            "--municipality", metavar="KOMMUNKOD", help="Only this municipality (four digits), not the platform."
        )

    def handle(self, *args: Any, dry_run: bool, municipality: str | None, **options: Any) -> None:
        if municipality:
            try:
                target = Municipality.objects.get(kommunkod=municipality)
            except Municipality.DoesNotExist:
                raise CommandError(f"No municipality has kommunkod {municipality}.") from None
            runs = [cull_municipality(municipality=target, dry_run=dry_run)]
        else:
            try:
                runs = cull_everything(dry_run=dry_run)
            except CullError as error:
                raise CommandError(str(error)) from error
        for run in runs:
            self._report(run)

    def _report(self, run: CullRun) -> None:
        heading = "Would cull" if run.dry_run else "Culled"
        municipality = run.municipality
        if municipality is not None:
            assert run.cutoff is not None
            self.stdout.write(
                f"{municipality.name} ({municipality.kommunkod}), last entry before {run.cutoff:%Y-%m-%d}: {heading}"
            )
        else:
            self.stdout.write(f"Platform-wide rules: {heading}")
        ran = [rule for rule in register.rules.values() if rule.key in run.cutoffs]
        # Per model: how many of its rows go, and by which rule.
        for label in register.declarations:
            for rule in ran:
                if label in rule.models:
                    count_key = rule.count_key_for(label)
                    self.stdout.write(
                        f"  {label} {count_key}: {run.counts.get(count_key, 0)}  ({describe(rule, municipality)})"
                    )
        # What the rules count besides the rows per model (the shredder's kept figures).
        for rule in ran:
            mapped = {key for _, key in rule.model_keys}
            if extra := [key for key in rule.count_keys if key not in mapped]:
                figures = ", ".join(f"{key}: {run.counts.get(key, 0)}" for key in extra)
                self.stdout.write(f"  {rule.key}, also: {figures}")
