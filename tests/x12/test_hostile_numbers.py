"""Counts, positions and amounts are ASCII digits of a sane length, or a clear X12Error.

`str.isdigit` accepts '²' and Arabic-Indic digits, and `int()` refuses 4,300-digit strings with
a ValueError that is no X12Error: such a file must be refused with its segment and line, not
escape the inbox as an unexpected error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from rcm.x12.era835 import parse_835
from rcm.x12.reader import read_interchanges

FIXTURES = Path(__file__).parent / "fixtures"
ACK = (FIXTURES / "synthetic_999.txt").read_text()
ERA = (FIXTURES / "synthetic_835.txt").read_text()

HOSTILE_COUNTS = ["²", "\u0661", "\u0663\u0662", "1" * 4300, "1" * 11, "-1", "+1", " 1 2"]


@pytest.mark.parametrize("count", HOSTILE_COUNTS)
def test_a_hostile_ge01_is_refused_naming_the_segment(count):
    text = ACK.replace("GE*1*101~", f"GE*{count}*101~")

    with pytest.raises(X12Error) as error:
        read_interchanges(text)

    assert error.value.segment_id == "GE"
    assert error.value.line == 14
    assert "GE01 is not a count" in str(error.value)


@pytest.mark.parametrize("count", HOSTILE_COUNTS)
def test_a_hostile_se01_is_refused_naming_the_segment(count):
    text = ACK.replace("SE*11*0001~", f"SE*{count}*0001~")

    with pytest.raises(X12Error, match=r"SE01 is not a count.*\(segment SE #13 line 13\)"):
        read_interchanges(text)


@pytest.mark.parametrize("number", HOSTILE_COUNTS)
def test_a_hostile_ak9_count_is_refused(number):
    text = ACK.replace("AK9*P*2*2*1~", f"AK9*P*{number}*2*1~")

    with pytest.raises(X12Error, match=r"AK902 is not a number.*\(segment AK9 #12 line 12\)"):
        parse_999(text)


@pytest.mark.parametrize("position", ["²", "\u0665:1", "9" * 4300 + ":1", "12345"])
def test_a_hostile_ik4_position_is_refused(position):
    text = ACK.replace("IK4*5:1*", f"IK4*{position}*")

    with pytest.raises(X12Error, match=r"IK401 .* does not start with an element position"):
        parse_999(text)


@pytest.mark.parametrize("amount", ["\u0661\u0660", "1" * 4300, "1" * 19, "1.5e3", "²"])
def test_a_hostile_amount_is_refused(amount):
    original = ERA.split("BPR*I*", 1)[1].split("*", 1)[0]
    text = ERA.replace(f"BPR*I*{original}*", f"BPR*I*{amount}*", 1)

    with pytest.raises(X12Error, match=r"BPR02 is not a number.*\(segment BPR #\d+ line \d+\)"):
        parse_835(text)


@pytest.mark.parametrize("day", ["\u0662\u0660\u0662\u0664\u0660\u0661\u0660\u0661", "2024010²"])
def test_a_date_in_other_digits_is_refused(day):
    original = ERA.split("DTM*405*", 1)[1][:8]
    text = ERA.replace(f"DTM*405*{original}", f"DTM*405*{day}", 1)

    with pytest.raises(X12Error, match="DTM02 is not a date CCYYMMDD"):
        parse_835(text)


def test_a_huge_iea01_is_refused_without_echoing_all_of_it():
    text = ACK.replace("IEA*1*", "IEA*" + "1" * 4300 + "*")

    with pytest.raises(X12Error, match=r"IEA01 is not a count.*\(segment IEA #15 line 15\)") as e:
        read_interchanges(text)

    assert len(str(e.value)) < 200


def test_an_error_quoting_a_huge_value_is_cut_short_keeping_both_ends():
    error = X12Error("transaction set " + "9" * 5000 + " sent", segment_id="ST", line=3)

    assert len(str(error)) < 500
    assert error.message.startswith("transaction set 999")
    assert str(error).endswith("999 sent (segment ST line 3)")
