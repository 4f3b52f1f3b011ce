"""Personnummer and samordningsnummer: the shapes people type, the one stored form, and
the three ways a number can be wrong.

Every valid number here is one of Skatteverket's published test numbers
(testpersonnummer / testsamordningsnummer, CC0, "only for test environments"), taken from
public mirrors of Skatteverket's open-data files:

- 198501012382, 198501012390, 189001019802: the testpersonnummer dataset (birth numbers
  238/239 and 980, Skatteverket's reserved test bands);
- 200002292399, 200001042399: "Testpersonnummer 2000-2009.csv";
- 190001042399, 191212121212 (Tolvan Tolvansson): Skatteverket's test numbers as listed
  for the population register (PU);
- 202601612381, 202601912393: "testsamordningsnummer 2026" (days 61 and 91);
- 191401682396: "Testsamordningsnummer 2019" (born 1914-01-08, day 68).

Numbers that must fail are built from those by changing a digit, or are impossible dates
(no one can hold them); where such a number needs a correct check digit, the comment
shows the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from contacts.personnummer import (
    birth_year,
    check_digit,
    is_samordningsnummer,
    mask,
    normalise,
    validate_personnummer,
)

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # LANGUAGE_CODE is "sv" and the catalogue is translated as we go: the assertions on
    # messages read the English source strings, whatever the catalogue holds today.
    with translation.override("en"):
        yield


def error_code(value: str, *, today: dt.date = TODAY) -> str:
    with pytest.raises(ValidationError) as raised:
        normalise(value, today=today)
    return raised.value.code or ""


# --------------------------------------------------------------------------
# The Luhn check digit, by hand
# --------------------------------------------------------------------------


def test_check_digit_hand_computed_for_a_woman_born_1985() -> None:
    # 850101-238?: digits 8 5 0 1 0 1 2 3 8, weights 2 1 2 1 2 1 2 1 2
    # products 16 5 0 1 0 1 4 3 16, digit sums 7 5 0 1 0 1 4 3 7 = 28
    # check digit = (10 - 28 % 10) % 10 = 2  →  850101-2382
    assert check_digit("850101238") == 2


def test_check_digit_hand_computed_for_29_february_2000() -> None:
    # 000229-239?: digits 0 0 0 2 2 9 2 3 9, weights 2 1 2 1 2 1 2 1 2
    # products 0 0 0 2 4 9 4 3 18, digit sums 0 0 0 2 4 9 4 3 9 = 31
    # check digit = (10 - 31 % 10) % 10 = 9  →  000229-2399
    assert check_digit("000229239") == 9


def test_check_digit_of_tolvan_and_when_the_sum_is_a_multiple_of_ten() -> None:
    # 121212-121?: digits 1 2 1 2 1 2 1 2 1, weights 2 1 2 1 2 1 2 1 2
    # every product is 2, nine of them = 18; check digit = (10 - 8) % 10 = 2  →  121212-1212
    assert check_digit("121212121") == 2
    # 000000-000?: the sum is 0, and "(10 - 0) % 10" must give 0, not 10.
    assert check_digit("000000000") == 0


# --------------------------------------------------------------------------
# The shapes people type
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "19850101-2382",
        "198501012382",
        "850101-2382",
        "8501012382",
        " 850101 - 2382 ",
        "19850101 2382",
        "8501 01 2382",
        "850101\u00a02382",  # a non-breaking space, as a PDF copy brings
        "850101\u20132382",  # an en dash, as a word processor makes of "-"
        "\t19850101-2382\n",
    ],
)
def test_every_usual_shape_normalises_to_twelve_digits(typed: str) -> None:
    assert normalise(typed, today=TODAY) == "198501012382"


def test_a_man_and_a_woman_born_the_same_day() -> None:
    # 239 is odd (a man), 238 even (a woman): same date, different numbers and check digits.
    assert normalise("850101-2390", today=TODAY) == "198501012390"
    assert normalise("850101-2382", today=TODAY) == "198501012382"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "850101-238",  # a digit short
        "850101-23820",  # a digit too many
        "19850101-238",
        "1985-01-01-2382",  # dashes inside the date
        "850101/2382",
        "850101--2382",
        "85010l-2382",  # a letter l for a one
        "19850101+2382",  # "+" belongs only to the ten-digit form
        "٨٥٠١٠١-٢٣٨٢",  # Arabic-Indic digits: \d would match them, the database would not
        "198501012382 x",
    ],
)
def test_wrong_shapes_are_refused_with_the_format_message(typed: str) -> None:
    assert error_code(typed) == "format"


def test_the_messages_differ_for_format_date_and_check_digit() -> None:
    messages = {}
    for value in ("12345", "850230-2382", "850101-2383"):
        with pytest.raises(ValidationError) as raised:
            normalise(value, today=TODAY)
        messages[raised.value.code] = raised.value.messages[0]
    assert set(messages) == {"format", "date", "checksum"}
    assert len(set(messages.values())) == 3
    assert "YYYYMMDD-NNNN" in messages["format"]


# --------------------------------------------------------------------------
# The check digit
# --------------------------------------------------------------------------


@pytest.mark.parametrize("last", [d for d in "0123456789" if d != "2"])
def test_every_other_check_digit_is_refused(last: str) -> None:
    assert error_code(f"850101-238{last}") == "checksum"


def test_swapped_digits_are_caught() -> None:
    # 850101-2832: the birth number's 3 and 8 swapped, check digit kept.
    assert error_code("850101-2832") == "checksum"


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


def test_29_february_in_a_leap_year() -> None:
    # 2000 is divisible by 400, so a leap year.
    assert normalise("20000229-2399", today=TODAY) == "200002292399"
    assert normalise("000229-2399", today=TODAY) == "200002292399"


def test_29_february_in_a_year_without_one() -> None:
    # The same digits with "+" mean 1900, divisible by 100 but not by 400: no 29 February.
    # The check digit is still right (the century is not part of it), so only the date fails.
    assert error_code("000229+2399") == "date"
    # 2001-02-29, constructed: 010229-238? → 0·2=0, 1, 0, 2, 2·2=4, 9, 2·2=4, 3, 8·2=16→7;
    # 0+1+0+2+4+9+4+3+7 = 30, check digit 0. The digit is right, the date is not.
    assert check_digit("010229238") == 0
    assert error_code("20010229-2380") == "date"


@pytest.mark.parametrize(
    "typed",
    ["850001-2382", "851301-2382", "850100-2382", "850132-2382", "850431-2382", "19850230-2382"],
    ids=["month 00", "month 13", "day 00", "day 32", "31 April", "30 February"],
)
def test_impossible_dates_are_refused_with_the_date_message(typed: str) -> None:
    assert error_code(typed) == "date"


def test_a_birth_date_after_today_is_refused() -> None:
    # 20850101-2382 passes Luhn (the century is outside it): a typo only the date catches.
    assert error_code("20850101-2382") == "date"
    # Born today is fine; tomorrow is not.
    assert normalise("200001042399", today=dt.date(2000, 1, 4)) == "200001042399"
    assert error_code("200001042399", today=dt.date(2000, 1, 3)) == "date"


# --------------------------------------------------------------------------
# The century of the ten-digit form
# --------------------------------------------------------------------------


def test_hyphen_means_under_100_and_plus_means_100_or_older() -> None:
    assert normalise("000104-2399", today=TODAY) == "200001042399"
    assert normalise("000104+2399", today=TODAY) == "190001042399"
    assert normalise("121212+1212", today=TODAY) == "191212121212"
    assert normalise("900101+9802", today=TODAY) == "189001019802"


def test_the_century_turns_on_the_birthday() -> None:
    # Seen from 3 January 2000, someone "000104-" has not yet had a birthday this century,
    # so they were born in 1900; from 4 January 2000 the same digits mean a newborn.
    assert normalise("000104-2399", today=dt.date(2000, 1, 3)) == "190001042399"
    assert normalise("000104-2399", today=dt.date(2000, 1, 4)) == "200001042399"
    # And "+" puts each one a further hundred years back.
    assert normalise("000104+2399", today=dt.date(2000, 1, 4)) == "190001042399"


def test_today_defaults_to_the_real_date() -> None:
    assert normalise("850101-2382") == "198501012382"


# --------------------------------------------------------------------------
# Samordningsnummer
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20260161-2381", "202601612381"),  # born 1 January 2026: day 1 + 60
        ("260191-2393", "202601912393"),  # born 31 January 2026: day 31 + 60
        ("140168+2396", "191401682396"),  # born 8 January 1914, and over 100
    ],
)
def test_samordningsnummer_are_accepted(typed: str, stored: str) -> None:
    assert normalise(typed, today=TODAY) == stored
    assert is_samordningsnummer(stored)


def test_samordningsnummer_day_92_is_31_plus_61_and_does_not_exist() -> None:
    # Constructed: 260192-238? → 2·2=4, 6, 0, 1, 9·2=18→9, 2, 2·2=4, 3, 8·2=16→7;
    # 4+6+0+1+9+2+4+3+7 = 36, check digit 4. The digit is right, day 32 is not.
    assert check_digit("260192238") == 4
    assert error_code("260192-2384") == "date"


def test_samordningsnummer_on_29_february_needs_a_leap_year() -> None:
    # 000289 is 29 February as a samordningsnummer; 1900 has none.
    assert error_code("000289+2399") == "date"


def test_a_personnummer_is_not_a_samordningsnummer() -> None:
    assert not is_samordningsnummer("198501012382")
    assert not is_samordningsnummer("200001312396")  # day 31, the highest ordinary day


# --------------------------------------------------------------------------
# Reading the stored form
# --------------------------------------------------------------------------


def test_birth_year() -> None:
    assert birth_year("198501012382") == 1985
    assert birth_year("191212121212") == 1912
    assert birth_year("202601612381") == 2026


def test_mask_shows_only_the_birth_date() -> None:
    assert mask("198501012382") == "19850101-****"
    assert mask("202601612381") == "20260161-****"
    assert mask("") == ""


@pytest.mark.parametrize("helper", [birth_year, is_samordningsnummer, mask])
def test_helpers_refuse_anything_but_the_stored_form(helper: Callable[[str], object]) -> None:
    with pytest.raises(ValueError, match="12-digit"):
        helper("850101-2382")


def test_validate_personnummer_is_a_django_validator() -> None:
    validate_personnummer("19850101-2382")  # no exception: valid
    with pytest.raises(ValidationError) as raised:
        validate_personnummer("19850101-2383")
    assert raised.value.code == "checksum"
