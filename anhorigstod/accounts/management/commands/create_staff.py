from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anhorigstod.accounts.models import Role, Unit
from anhorigstod.accounts.services import password_setup_url, staff_create


class Command(BaseCommand):
    help = "Give a person a role in a unit (creating the account); for the first administrator of an installation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--unit", required=True, help="unit code")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            unit = Unit.objects.get(code=options["unit"])
        except Unit.DoesNotExist as exc:
            raise CommandError(
                f"No unit with code {options['unit']!r}: create the municipality and its units first "
                "(manage.py setup_municipality --help)"
            ) from exc
        try:
            membership = staff_create(
                created_by=None,
                email=options["email"],
                full_name=options["name"],
                unit=unit,
                role=options["role"],
                send_invitation=False,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Choose a password here: {password_setup_url(membership.user)}")
