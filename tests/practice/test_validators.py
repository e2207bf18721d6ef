"""Identifier validation a payer would otherwise reject the claim for."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rcm.practice.validators import (
    is_valid_npi,
    npi_check_digit,
    validate_npi,
    validate_taxonomy,
    validate_zip,
)


def test_the_published_example_npi_passes():
    # CMS's worked example of the check digit: 123456789 -> 3.
    assert npi_check_digit("123456789") == 3
    assert is_valid_npi("1234567893")


@pytest.mark.parametrize(
    "npi", ["1234567890", "1234567894", "123456789", "12345678931", "abcdefghij"]
)
def test_bad_npis_are_refused_with_a_reason(npi):
    with pytest.raises(ValidationError) as error:
        validate_npi(npi)
    assert "NPI" in str(error.value)


def test_a_single_mistyped_digit_is_caught():
    good = "1234567893"
    for index in range(9):
        typo = good[:index] + str((int(good[index]) + 1) % 10) + good[index + 1 :]
        assert not is_valid_npi(typo), typo


def test_taxonomy_and_zip():
    validate_taxonomy("207Q00000X")
    validate_zip("62701")
    validate_zip("627011234")
    with pytest.raises(ValidationError):
        validate_taxonomy("207Q00000")
    with pytest.raises(ValidationError):
        validate_zip("6270")
