"""Validators for the identifiers a claim carries: NPI (Luhn), TIN, taxonomy, state, ZIP."""

from __future__ import annotations

import re

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
    return len(value) == 10 and value.isdigit() and npi_check_digit(value[:9]) == int(value[9])


def validate_npi(value: str) -> None:
    if not (len(value) == 10 and value.isdigit()):
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
