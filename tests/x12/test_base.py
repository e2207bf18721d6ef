"""The shared pieces: code descriptions, the error's text and place, the NPI and gender checks."""

from __future__ import annotations

import pytest

from rcm.x12.base import (
    Person,
    X12Error,
    check_genders,
    check_provider_npi,
    describe,
    is_digits,
    shown,
)


def test_describe():
    codes = {"1": "Active coverage"}
    assert describe(codes, "1") == "Active coverage"
    assert describe(codes, "") == ""
    assert describe(codes, "Z9") == "code 'Z9' (no description on file)"


@pytest.mark.parametrize(
    ("place", "text"),
    [
        ({}, "bad"),
        ({"segment_id": "CLM"}, "bad (segment CLM)"),
        ({"segment_index": 0}, "bad (#0)"),
        ({"segment_id": "CLM", "segment_index": 7, "line": 3}, "bad (segment CLM #7 line 3)"),
        ({"line": 1}, "bad (line 1)"),
    ],
)
def test_error_text_names_the_place(place, text):
    error = X12Error("bad", **place)
    assert str(error) == text
    assert error.message == "bad"
    assert (error.segment_id, error.segment_index, error.line) == (
        place.get("segment_id"), place.get("segment_index"), place.get("line"),
    )  # fmt: skip


def test_a_long_message_is_cut_in_the_middle():
    message = "a" * 300 + "b" * 300
    error = X12Error(message)
    assert error.message == "a" * 200 + " … " + "b" * 100
    assert len(X12Error("c" * 400).message) == 400


def test_shown_cuts_long_values():
    assert shown("x" * 20) == repr("x" * 20)
    assert shown("x" * 21) == repr("x" * 20) + "… (21 characters)"
    assert shown("abcdef", limit=3) == "'abc'… (6 characters)"


@pytest.mark.parametrize(
    ("text", "limit", "result"),
    [("123", 3, True), ("1234", 3, False), ("", 3, False), ("12a", 3, False), ("١٢", 3, False)],
)
def test_is_digits(text, limit, result):
    assert is_digits(text, limit) is result


@pytest.mark.parametrize("npi", ["123456789", "12345678901", "123456789X", "١٢٣٤٥٦٧٨٩٠", ""])
def test_provider_npi_refused(npi):
    with pytest.raises(X12Error) as error:
        check_provider_npi(npi)
    assert (error.value.message, error.value.segment_id) == (
        f"provider NPI {npi!r} is not 10 digits", "NM1",
    )  # fmt: skip


def test_provider_npi_of_ten_digits():
    check_provider_npi("1234567893")


def test_genders():
    check_genders(
        (Person("A", "B", gender="F"), None, Person("C", "D"), Person("E", "F", "", None, "U"))
    )
    with pytest.raises(X12Error) as error:
        check_genders((Person("A", "B", gender="M"), Person("C", "D", gender="X")))
    assert (error.value.message, error.value.segment_id) == ("gender 'X' is not F, M or U", "DMG")
