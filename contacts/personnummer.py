"""Swedish personnummer and samordningsnummer: validation and the one stored form.

Everything is stored as 12 digits, ``YYYYMMDDNNNN`` (folkbokföringslagen 18 § asks
registers kept by computer to store the birth date with the century). People type the
number in any of its usual shapes, so :func:`normalise` accepts them all:

- ``YYYYMMDD-NNNN`` and ``YYYYMMDDNNNN``: the century is given;
- ``YYMMDD-NNNN`` and ``YYMMDDNNNN``: the person is under 100, so the century is the one
  that puts the birth date within the last hundred years;
- ``YYMMDD+NNNN``: the ``+`` replaces the hyphen the year the person turns 100, so the
  century is one further back.

A samordningsnummer (for people who are not and have not been folkbokförda) is built the
same way with 60 added to the day (18 a §). The last digit is a Luhn check digit over
the ten-digit form, so the century never takes part in it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SAMORDNING_DAY_OFFSET = 60

# Spaces (also the non-breaking ones a copy from a PDF or a web page brings) are dropped
# before matching; dashes pasted from a word processor count as the hyphen.
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})
# "+" only belongs in the ten-digit form: the twelve-digit form carries the century itself.
_SHAPE = re.compile(
    r"""(?:
        (?P<century>\d{2})(?P<yy>\d{2})(?P<mmdd>\d{4})-?     # YYYYMMDD-NNNN, YYYYMMDDNNNN
        | (?P<yy6>\d{2})(?P<mmdd6>\d{4})(?P<sep>[-+]?)       # YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN
    )(?P<tail>\d{4})""",
    # ASCII: \d would otherwise accept other scripts' digits, which the database refuses.
    re.VERBOSE | re.ASCII,
)
_STORED = re.compile(r"[0-9]{12}")


def check_digit(nine_digits: str) -> int:
    """The Luhn check digit for ``YYMMDDNNN``: weights 2, 1, 2, 1 … from the left, the
    digits of each product summed, and the digit that brings the sum to a multiple of ten."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _format_error() -> ValidationError:
    return ValidationError(
        _("Enter the personnummer or samordningsnummer as YYYYMMDD-NNNN or YYMMDD-NNNN (12 or 10 digits)."),
        code="format",
    )


def _date_error() -> ValidationError:
    return ValidationError(
        _("The date of birth in the personnummer does not exist. Check the year, month and day."), code="date"
    )


def _birth_date(year: int, month: int, day_field: int) -> dt.date:
    """The calendar date behind a number's date digits; raises ValueError if there is none."""
    day = day_field - SAMORDNING_DAY_OFFSET if day_field > SAMORDNING_DAY_OFFSET else day_field
    return dt.date(year, month, day)


def _infer_year(yy: int, month: int, day_field: int, *, plus: bool, today: dt.date) -> int:
    """The year a ten-digit number means, seen from ``today``: the birthday within the last
    hundred years for ``-``, one century earlier for ``+``."""
    day = day_field - SAMORDNING_DAY_OFFSET if day_field > SAMORDNING_DAY_OFFSET else day_field
    year = today.year - (today.year - yy) % 100
    # Compare tuples rather than dates: 29 February must pick its century before anyone
    # asks whether that century's year has one.
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    if plus:
        year -= 100
    return year


def normalise(value: str, *, today: dt.date | None = None) -> str:
    """The 12-digit form ``YYYYMMDDNNNN`` of a personnummer or samordningsnummer typed in
    any usual shape; raises ``ValidationError`` (code ``format``, ``date`` or ``checksum``)."""
    today = today or dt.date.today()
    compact = _SPACES.sub("", str(value)).translate(_DASHES)
    match = _SHAPE.fullmatch(compact)
    if match is None:
        raise _format_error()
    tail = match["tail"]
    if match["century"] is not None:
        year = int(match["century"] + match["yy"])
        mmdd = match["mmdd"]
    else:
        mmdd = match["mmdd6"]
        year = _infer_year(int(match["yy6"]), int(mmdd[:2]), int(mmdd[2:]), plus=match["sep"] == "+", today=today)
    month, day_field = int(mmdd[:2]), int(mmdd[2:])
    try:
        born = _birth_date(year, month, day_field)
    except ValueError as exc:
        raise _date_error() from exc
    # The century is outside the check digit, so 20850412 typed for 19850412 passes Luhn:
    # a birth date after today is the only thing that catches it.
    if born > today:
        raise ValidationError(_("The date of birth in the personnummer is in the future."), code="date")
    ten = f"{year % 100:02d}{mmdd}{tail}"
    if check_digit(ten[:9]) != int(ten[9]):
        raise ValidationError(
            _("The last digit of the personnummer does not match the others. Check that it is typed correctly."),
            code="checksum",
        )
    return f"{year:04d}{mmdd}{tail}"


def validate_personnummer(value: str) -> None:
    """A Django validator: accepts any shape :func:`normalise` accepts."""
    normalise(value)


def _stored(pnr12: str) -> str:
    # The helpers below read the stored form; anything else is a programming error.
    if not _STORED.fullmatch(pnr12):
        raise ValueError(f"Expected the 12-digit form YYYYMMDDNNNN, got {len(pnr12)} characters")
    return pnr12


def is_samordningsnummer(pnr12: str) -> bool:
    return int(_stored(pnr12)[6:8]) > SAMORDNING_DAY_OFFSET


def birth_year(pnr12: str) -> int:
    return int(_stored(pnr12)[:4])


def mask(pnr12: str) -> str:
    """The number with only its date shown (``19850412-****``), for lists and logs.
    An empty value stays empty: most carers have no personnummer on record."""
    if not pnr12:
        return ""
    return f"{_stored(pnr12)[:8]}-****"
