"""What one run of the retention job removed (or would remove, in a dry run): counts only."""

from __future__ import annotations

from django.db import models


class CullRun(models.Model):
    """One run of the register's job for one municipality, or for the platform-wide rules
    (``municipality`` empty: the access log, the outbox, drafts).

    ``counts`` holds one number per count key of the rules that ran, ``cutoffs`` each
    rule's cut-off; ``cutoff`` is the municipality's own (``retention_years`` back).
    Never a name, a personnummer or a record's code: the point is that these are gone.
    """

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, null=True, related_name="+")
    ran_at = models.DateTimeField(auto_now_add=True)
    dry_run = models.BooleanField()
    cutoff = models.DateTimeField(null=True)
    cutoffs = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'dry run' if self.dry_run else 'run'}"
