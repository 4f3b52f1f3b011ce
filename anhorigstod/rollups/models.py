"""Pre-aggregated follow-up counts: one document of counts per unit and local day, and
one per unit and calendar month (see :mod:`anhorigstod.rollups.services`)."""

from __future__ import annotations

from django.db import models


class Rollup(models.Model):
    """The counts of one unit for one local day, ISO week or calendar month.

    ``counts`` is ``{series: {category: n}}``; a category with no count is left out, and
    a document with no count is deleted. ``day`` is the first of the month for a month.
    """

    class Span(models.TextChoices):
        DAY = "day", "day"
        WEEK = "week", "week"  # the Monday of an ISO week; only the series declared weekly
        MONTH = "month", "month"
        YEAR = "year", "year"  # 1 January; only the series declared yearly

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField()
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [
            # One document per unit, span and day: the row a write locks and updates.
            # Its index also serves the reads: a unit's documents over a range of days.
            models.UniqueConstraint(fields=["unit", "span", "day"], name="rollups_rollup_one_per_unit_span_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.span} {self.day}"
