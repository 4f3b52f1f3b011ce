"""The values a follow-up measure takes, and the marks a hidden one carries in its place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Number = int | float | Decimal
# A label: a lazy translation, or a name or date found in the data.
Label = str | Promise

NOT_GIVEN = _("Not given")
# The category of a blank "target group": not a model choice, so it gets a code here.
NOT_GIVEN_CODE = "not_given"


class Mark(models.TextChoices):
    """Why a value is not shown; each has its symbol in every output (``followup.disclosure``).

    The codes are those of the SDMX code list CL_CONF_STATUS used by Eurostat: ``A``
    primary confidentiality due to small counts, ``D`` secondary confidentiality (hidden
    so that another value cannot be worked out); a share, mean or sum built on a hidden
    count is not available (``N``)."""

    SMALL = "A", _("A count under 5")
    PROTECTS = "D", _("Hidden so that a small count cannot be worked out")
    UNAVAILABLE = "N", _("Not shown because a count it is built on is hidden")

    @property
    def symbol(self) -> str:
        """How the mark is printed in a table, a chart, a PDF or a spreadsheet."""
        return MARK_SYMBOLS[self]


# "<5" is true of every count it marks; "x" marks a value withheld for confidentiality
# (SDMX CL_CONF_STATUS "D"); ".." is Statistics Sweden's "uppgift inte tillgänglig".
MARK_SYMBOLS = {Mark.SMALL: "<5", Mark.PROTECTS: "x", Mark.UNAVAILABLE: ".."}


@dataclass(frozen=True)
class Hidden:
    """A value not shown, in place of the number: prints as its mark's symbol."""

    mark: Mark

    def __str__(self) -> str:
        return self.mark.symbol


@dataclass(frozen=True)
class Cell:
    """One category of a distribution: ``value`` is ``None`` when hidden, and ``mark`` says why."""

    code: str
    label: Label
    value: Number | None
    mark: Mark | None = None

    @property
    def shown(self) -> Number | Hidden:
        """The number, or the mark of why it is hidden."""
        return self.value if self.value is not None else Hidden(self.mark or Mark.SMALL)


# What a declaration computes: a scalar, the counts of fixed categories, or the cells of
# categories found in the data (months, consultants, languages …).
Scalar = Number | None
Computed = Scalar | Mapping[str, int] | Sequence[Cell]
