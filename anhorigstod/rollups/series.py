"""The typed name of a series of counts (:mod:`anhorigstod.rollups.services`).

A :class:`Series` is declared once, as a constant, by the app whose rows feed it (for
example ``contacts.rollups.TALK_GENDER``). The same constant is used where the counts are
written and where the follow-up reads them (``followup.measures``), so a series is never
a string typed twice; the platform knows none of them. Its flags say how the platform
keeps it: a distinct set of people, also per ISO week, with its members per attributes per year.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """A series of counts, stored under ``name`` in the documents.

    ``distinct``: its categories are people (a distinct set, kept as member rows per day,
    month and year; the month and year documents hold its size). ``weekly``: also kept
    per ISO week. ``yearly``: a distinct set whose keys are ``id|attributes``, whose year
    documents also hold its members per attributes.
    """

    name: str
    distinct: bool = False
    weekly: bool = False
    yearly: bool = False

    def __post_init__(self) -> None:
        if self.yearly and not self.distinct:
            raise ValueError(f"{self.name}: only a distinct set is kept per year")

    def __str__(self) -> str:
        return self.name
