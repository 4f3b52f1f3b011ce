from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from anhorigstod.accounts.demo import DEMO_PASSWORD, seed_organisation
from anhorigstod.extensions import extensions
from anhorigstod.rollups.services import rollups_rebuild


class Command(BaseCommand):
    help = "Create the fictional demo municipality (idempotent). Demo passwords are set only with DEBUG on."

    def handle(self, *args: Any, **options: Any) -> None:
        staff = seed_organisation(with_passwords=settings.DEBUG)
        for path, seeder in extensions.ordered_demo_seeders():
            counts = seeder()
            added = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
            self.stdout.write(f"{path}: {added or 'already seeded'}")
        # The seeders write in bulk, past the services that keep the follow-up counts:
        # count them afresh, as the nightly check does.
        report = rollups_rebuild(expected=True)
        self.stdout.write(f"follow-up counts: {report.documents} documents, {report.differing} rebuilt")
        self.stdout.write(self.style.SUCCESS("Demo municipality ready: Ängsviks kommun (9901), Sjöhaga kommun (9902)."))
        if settings.DEBUG:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for person in staff:
                roles = ", ".join(f"{role} @ {unit}" for unit, role in person.memberships)
                self.stdout.write(f"  {person.email:<36} {roles}")
            if not settings.ANHORIGSTOD_STAFF_MFA_REQUIRED:
                self.stdout.write("\nTwo-factor authentication is relaxed for this demo (DEBUG only).")
