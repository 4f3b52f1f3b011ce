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


class Member(models.Model):
    """One member of a distinct set of people: ``key`` (a person's id, with attributes
    for some series) is in a unit's set of ``series`` for a local day, calendar month or
    calendar year, with ``n`` rows counted for it there (it leaves when ``n`` reaches 0).

    A narrow row per member rather than a set inside a document: a write touches the few
    rows of its own person, whatever the size of the set, and a period's distinct count
    is an index-only scan of its years, months and edge days."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    series = models.CharField(max_length=60)
    span = models.CharField(max_length=5, choices=Rollup.Span.choices)
    day = models.DateField()
    key = models.TextField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            # The row a write upserts. Its index, in this order, serves every read (one
            # series of some units over some spans and days, the keys read from the
            # index), a unit's rebuild and a unit's deletion.
            models.UniqueConstraint(
                fields=["unit", "series", "span", "day", "key"], name="rollups_member_one_per_set_and_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.series} {self.span} {self.day}"
