"""Validators for what a claim carries: NPI (Luhn), TIN, taxonomy, state, ZIP, X12-safe text.

X12-safe text: a name, address or identifier that ends up in an 837P element must not contain
the characters X12 uses as delimiters (we write `*` `:` `^` `~`; other systems use `|`), nor a
line break or another control character. We refuse those where they are typed, with a message,
rather than silently changing a person's name; apostrophe- and dash-like characters and odd
spaces are normalised instead (a curly apostrophe is saved as a straight one):
`x12_text_normalise`.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The NPI check digit is a Luhn digit computed over the prefix 80840 and the first nine digits;
# the prefix always contributes 24 to the sum.
_NPI_PREFIX_SUM = 24
_TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
_TIN = re.compile(r"^[0-9]{9}$")
_ZIP = re.compile(r"^[0-9]{5}([0-9]{4})?$")

# States, DC, territories and military 'states' (AA, AE, AP).
US_STATES = frozenset(
    {
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
        "AA",
        "AE",
        "AP",
    }
)


def is_ascii_digits(text: str) -> bool:
    """Digits 0-9 only. `str.isdigit` also says yes to '²' and other Unicode digits, which
    `int()` then refuses: use this before every `int()` of something typed."""
    return text.isascii() and text.isdigit()


def ascii_int(text: str | None) -> int | None:
    """The number in `text` if it is ASCII digits only (at most 18 of them), else None."""
    return int(text) if text and len(text) <= 18 and is_ascii_digits(text) else None


def npi_check_digit(first_nine: str) -> int:
    total = _NPI_PREFIX_SUM
    for index, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_valid_npi(value: str) -> bool:
    return (
        len(value) == 10 and is_ascii_digits(value) and npi_check_digit(value[:9]) == int(value[9])
    )


def validate_npi(value: str) -> None:
    if not (len(value) == 10 and is_ascii_digits(value)):
        raise ValidationError("An NPI is exactly 10 digits.", code="npi_format")
    if not is_valid_npi(value):
        raise ValidationError(
            "This NPI's check digit is wrong: check for a mistyped digit.", code="npi_check_digit"
        )


def validate_tin(value: str) -> None:
    if not _TIN.match(value):
        raise ValidationError("A TIN (EIN or SSN) is 9 digits, without dashes.", code="tin_format")


def validate_taxonomy(value: str) -> None:
    if not _TAXONOMY.match(value):
        raise ValidationError(
            "A taxonomy code is 10 characters ending in X, e.g. 207Q00000X.", code="taxonomy"
        )


def validate_state(value: str) -> None:
    if value not in US_STATES:
        raise ValidationError(f"'{value}' is not a US state or territory code.", code="state")


def validate_zip(value: str) -> None:
    if not _ZIP.match(value):
        raise ValidationError("A ZIP code is 5 or 9 digits, without a dash.", code="zip")


# What X12 reserves (ours and other clearinghouses' delimiters), and control characters.
X12_RESERVED = "*~:^|"
_X12_UNSAFE = re.compile(r"[*~:^|\x00-\x1f\x7f-\x9f\u2028\u2029]")
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032"), "'")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
X12_NAME_MESSAGE = "Names may not contain * ~ : ^ | or line breaks."
X12_ADDRESS_MESSAGE = "Addresses may not contain * ~ : ^ | or line breaks: use address line 2."
X12_TEXT_MESSAGE = "This may not contain * ~ : ^ | or line breaks."


def x12_text_normalise(value: str) -> str:
    """Typographic apostrophes, dashes and spaces as their plain ASCII forms; ends trimmed."""
    return value.translate(_APOSTROPHES).translate(_DASHES).translate(_SPACES).strip()


def x12_text_unsafe(value: str) -> bool:
    return bool(_X12_UNSAFE.search(value))


def validate_x12_name(value: str) -> None:
    if x12_text_unsafe(value):
        raise ValidationError(X12_NAME_MESSAGE, code="x12_name")


def validate_x12_address(value: str) -> None:
    if x12_text_unsafe(value):
        raise ValidationError(X12_ADDRESS_MESSAGE, code="x12_address")


def validate_x12_text(value: str) -> None:
    if x12_text_unsafe(value):
        raise ValidationError(X12_TEXT_MESSAGE, code="x12_text")


class X12CharField(forms.CharField):
    """A form field for text that goes into X12: normalised, then refused if still unsafe.

    `kind` is "name", "address" or "text" and picks the message.
    """

    _validators = {"name": validate_x12_name, "address": validate_x12_address}

    def __init__(self, *, kind: str = "text", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(self._validators.get(kind, validate_x12_text))

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return x12_text_normalise(text) if isinstance(text, str) else text
