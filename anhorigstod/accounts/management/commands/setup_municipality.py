from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from anhorigstod.accounts.services import UnitSpec, municipality_setup

EPILOG = """\
A unit is CODE:Name; a unit below another is PARENT/CODE:Name, given after its parent
(or with a parent that already exists). A new unit with units below it becomes a
förvaltning, the others enheter; the administration pages change that later.

Example, a social services administration with two units below it:

  manage.py setup_municipality --kommunkod 0180 --name "Ängsviks kommun" \\
      --unit sof:Socialförvaltningen \\
      --unit "sof/norra:Anhörigstöd Norra" \\
      --unit "sof/sodra:Anhörigstöd Södra"
  manage.py create_staff --email admin@kommun.se --name "Alva Admin" --unit sof --role admin

Running it again with the same arguments changes nothing; with a new name it renames
the municipality or the unit, with a new PARENT it moves the unit. Units not named are
left alone. The municipality also gets the default kinds of support and their
documentation tiers (those it already has are not touched).
"""


class Command(BaseCommand):
    help = (
        "Create or update a municipality (by kommunkod), its units as a tree, and its default kinds of support "
        "and documentation tiers. Idempotent."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, epilog=EPILOG, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommunkod", required=True, help="the municipality's four-digit code, e.g. 0180")
        parser.add_argument("--name", required=True, help='the municipality\'s name, e.g. "Stockholms stad"')
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            metavar="[PARENT/]CODE:NAME",
            help="a unit; repeat for each. PARENT/CODE:NAME puts it below the unit PARENT.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            specs = [UnitSpec.parse(text) for text in options["unit"]]
            report = municipality_setup(kommunkod=options["kommunkod"], name=options["name"], units=specs)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        municipality = report.municipality
        if report.municipality_created:
            self.stdout.write(f"Created {municipality.name} ({municipality.kommunkod}).")
        elif report.municipality_changed:
            self.stdout.write(f"Renamed the municipality {municipality.kommunkod} to {municipality.name}.")
        for label, codes in (
            ("created", report.units_created),
            ("changed", report.units_changed),
            ("unchanged", report.units_unchanged),
        ):
            if codes:
                self.stdout.write(f"Units {label}: {', '.join(codes)}")
        for path, counts in report.added.items():
            added = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
            self.stdout.write(f"{path}: {added or 'already there'}")
        if report.changed_anything:
            self.stdout.write(self.style.SUCCESS(f"{municipality} is set up."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{municipality} was already set up: nothing changed."))
