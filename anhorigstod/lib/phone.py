"""Phone numbers in one form: E.164 (``+46701234567``), Swedish by default.

People write the same number in many ways ("070-123 45 67", "+46 70 123 45 67",
"0046701234567", "070 1234567", "+46 (0)70-123 45 67"); bookings store and compare
the normalised form so the same person counts once: the key compared is built from
the E.164 form (groups.services.booking.person_key), and the number shown to staff is
its one written form ("070-123 45 67"). Written by hand rather than with
libphonenumber: the portal needs only "which digits, which country", not validation of
every numbering plan, and a number that is not Swedish is kept as its digits.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SWEDEN = "46"
# Separators people type between digits; anything else (letters) makes it not a number.
_SEPARATORS = re.compile(r"[\s\-./()\u2010-\u2015]")
# "+46 (0)70 ...": the trunk zero in brackets after the country code is dropped.
_BRACKETED_TRUNK_ZERO = re.compile(r"^(\+|00)(\d{1,3})\s*\(0\)")
# E.164: at most 15 digits with the country code. The floor only refuses the obviously
# cut-off; staff sometimes note a short internal number.
_MIN_DIGITS, _MAX_DIGITS = 5, 15

INVALID_PHONE = _("Give the phone number with its area code, for example 070-123 45 67.")


def phone_normalise(raw: str, *, country_code: str = SWEDEN) -> str:
    """``raw`` as E.164 ("+46701234567"); "" for an empty value.

    A number starting with 0 is national (``country_code``), one starting with + or 00
    international. Raises ``ValidationError`` (in Swedish) for anything else: letters,
    a number without its area code, too few or too many digits.
    """
    value = raw.strip()
    if not value:
        return ""
    value = _BRACKETED_TRUNK_ZERO.sub(r"\1\2", value)
    compact = _SEPARATORS.sub("", value)
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif compact.startswith("0"):
        digits = country_code + compact[1:]
    else:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    if not digits.isdigit() or not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    if digits.startswith(country_code + "0"):
        # "+46 070 ..." : the national trunk zero written after the country code.
        digits = country_code + digits[len(country_code) + 1 :]
    return "+" + digits


def phone_written(raw: str) -> str:
    """The one way a number is stored for people to read: ``phone_display`` of its
    E.164 form ("070-123 45 67" however it was typed; "+4791234567" abroad). Raises
    ``ValidationError`` as ``phone_normalise`` does."""
    return phone_display(phone_normalise(raw))


def phone_written_or_keep(raw: str) -> str:
    """``phone_written`` when ``raw`` is a phone number, else ``raw`` with its spaces
    tidied: for rows written before numbers were normalised (data migrations)."""
    try:
        return phone_written(raw)
    except ValidationError:
        return " ".join(raw.split())


def phone_display(e164: str) -> str:
    """A Swedish number the way Swedes write it ("070-123 45 67"); others unchanged."""
    if not e164.startswith("+" + SWEDEN):
        return e164  # "" stays ""
    national = "0" + e164[1 + len(SWEDEN) :]
    if national.startswith("07") and len(national) == 10:
        return f"{national[:3]}-{national[3:6]} {national[6:8]} {national[8:]}"
    if national.startswith("08") and len(national) in (9, 10):
        rest = national[2:]
        return f"08-{rest[:-4]} {rest[-4:-2]} {rest[-2:]}"
    return national


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A phone number typed by a person, cleaned to its written form; empty stays empty."""

    widget = TelInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "tel")
        self.widget.attrs.setdefault("inputmode", "tel")

    def clean(self, value: Any) -> str:
        return phone_written(super().clean(value) or "")
