"""Delimiters that cannot work are refused, line ends of every kind are read, control bytes
are refused where they sit."""

from __future__ import annotations

import pytest

from rcm.x12.base import X12Error
from rcm.x12.reader import read_interchanges, tokenize
from tests.x12.test_reader import interchange, isa, render


@pytest.mark.parametrize("terminator", ["*", ":"])
def test_a_terminator_equal_to_a_delimiter_is_refused(terminator):
    text = render(interchange(), terminator=terminator, after="")

    with pytest.raises(X12Error) as error:
        read_interchanges(text)

    assert str(error.value) == (
        f"ISA segment terminator {terminator!r} is not usable (segment ISA #1 line 1)"
    )


def test_a_component_separator_equal_to_the_element_separator_is_refused():
    segs = interchange()
    segs[0] = isa(component="*")

    with pytest.raises(X12Error, match=r"ISA16 component separator '\*' is the element separator"):
        read_interchanges(render(segs))


def test_a_repetition_separator_equal_to_the_terminator_is_refused():
    segs = interchange()
    segs[0] = isa(rep="!")

    with pytest.raises(X12Error, match=r"ISA11 repetition separator '!' is also the element or"):
        read_interchanges(render(segs, terminator="!"))


def test_a_repetition_separator_equal_to_the_component_separator_is_read_as_none():
    segs = interchange()
    segs[0] = isa(rep=":")

    [ic] = read_interchanges(render(segs))

    assert (ic.delimiters.component, ic.delimiters.repetition) == (":", "")


@pytest.mark.parametrize("element", ["A", "1", " "])
def test_a_letter_digit_or_space_as_element_separator_is_refused(element):
    text = render(interchange()).replace("*", element)

    with pytest.raises(X12Error, match=r"ISA element separator .* is not usable"):
        tokenize(text)


def test_cr_only_line_ends_count_lines():
    text = render(interchange(), after="\r")

    [ic] = read_interchanges(text)

    segments = ic.groups[0].transactions[0].segments
    assert [(s.id, s.line) for s in segments] == [("ST", 3), ("BHT", 4), ("NM1", 5), ("SE", 6)]
    assert segments[2].get(9) == "A:B"


def test_cr_only_as_the_terminator():
    [ic] = read_interchanges("\r".join(interchange()) + "\r")

    assert ic.delimiters.segment == "\n"
    assert [s.line for s in ic.groups[0].transactions[0].segments] == [3, 4, 5, 6]


def test_crlf_line_ends_count_lines_and_leave_no_cr_in_values():
    [ic] = read_interchanges(render(interchange(), after="\r\n"))

    segments = ic.groups[0].transactions[0].segments
    assert [s.line for s in segments] == [3, 4, 5, 6]
    assert all("\r" not in e for s in segments for e in s.elements)


def test_an_error_in_a_crlf_file_names_the_right_line():
    segs = interchange()
    segs[-3] = "SE*9*0001"

    with pytest.raises(X12Error, match=r"\(segment SE #6 line 6\)"):
        read_interchanges(render(segs, after="\r\n"))


@pytest.mark.parametrize("byte", ["\x00", "\x07", "\x1b"])
def test_a_control_byte_in_the_data_is_refused_naming_segment_and_line(byte):
    segs = interchange()
    segs[4] = segs[4].replace("CLINIC", f"CLI{byte}NIC")

    with pytest.raises(X12Error) as error:
        read_interchanges(render(segs))

    assert error.value.message == f"control character {byte!r} in the data"
    assert (error.value.segment_id, error.value.segment_index, error.value.line) == ("NM1", 5, 5)


def test_a_control_byte_that_is_a_delimiter_is_fine():
    segs = interchange(element="\x1d", component="\x1f")
    text = render(segs, terminator="\x1e", after="", element="\x1d", component="\x1f")

    [ic] = read_interchanges(text)

    assert ic.groups[0].transactions[0].segments[2].get(9) == "A\x1fB"
