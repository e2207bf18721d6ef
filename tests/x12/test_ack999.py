"""999 parser: exact values from a synthetic ack that pyx12 validates, and structure errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from tests.x12.pyx12_check import pyx12_text_errors as pyx12_errors

ACK = (Path(__file__).parent / "fixtures" / "synthetic_999.txt").read_text()


def test_synthetic_999_passes_pyx12(tmp_path):
    assert pyx12_errors(ACK, tmp_path) == []


def test_values():
    [ack] = parse_999(ACK)
    assert (ack.control_number, ack.functional_id, ack.group_control_number) == ("0001", "HC", "42")
    assert ack.version == "005010X222A1"
    assert (ack.group_status, ack.included, ack.received, ack.accepted_count) == ("P", 2, 2, 1)
    assert not ack.accepted
    assert ack.group_status_description.startswith("Partially accepted")
    first, second = ack.transactions
    assert (first.set_id, first.control_number, first.status, first.accepted) == (
        "837",
        "0001",
        "A",
        True,
    )
    assert (second.status, second.accepted, second.error_codes) == ("R", False, ["5"])
    assert second.error_descriptions == ["One or more segments in error"]
    [seg] = second.segment_errors
    assert (seg.segment_id, seg.position, seg.loop_id, seg.code) == ("CLM", 22, "2300", "8")
    assert seg.description == "Segment has data element errors"
    assert seg.contexts == ["CLM01:PCN1002"]
    [element] = seg.element_errors
    assert (element.position, element.element_position, element.element_reference) == (
        "5:1",
        5,
        "1331",
    )
    assert (element.code, element.bad_value, element.description) == (
        "7",
        "99",
        "Invalid code value",
    )
    assert ack.response_for("2") is second


@pytest.mark.parametrize(
    ("old", "new", "segment_id", "fragment"),
    [
        ("IK5*R*5", "IK5*Q*5", "IK5", "IK501 'Q' is not a valid code"),
        ("IK3*CLM*22*2300*8", "IK3*CLM*x*2300*8", "IK3", "IK302 is not a number"),
        ("IK3*CLM*22*2300*8", "IK3*CLM*22*2300*99", "IK3", "IK304 '99'"),
        ("IK4*5:1*1331*7*99", "IK4*5:1*1331*77*99", "IK4", "IK403 '77'"),
        ("AK9*P*2*2*1", "AK9*P*2*1*2", "AK9", "AK904 accepted 2 is more than AK903"),
        ("AK9*P*2*2*1", "AK9*Z*2*2*1", "AK9", "AK901 'Z'"),
        ("AK1*HC*42*", "AK1*HC**", "AK1", "AK102 group control number is empty"),
        ("IK5*A~", "CTX*X~", "AK2", "AK2 before the IK5 of AK2 0001"),
        ("AK2*837*0001*005010X222A1", "IK3*NM1*1**3", "IK3", "IK3 outside an AK2"),
    ],
)
def test_errors(old, new, segment_id, fragment):
    with pytest.raises(X12Error) as caught:
        parse_999(ACK.replace(old, new))
    assert fragment in caught.value.message
    assert caught.value.segment_id == segment_id
    assert caught.value.line is not None


def test_other_type_refused():
    with pytest.raises(X12Error, match="'998' is not a 999"):
        parse_999(ACK.replace("ST*999", "ST*998"))


def test_missing_ak9():
    text = ACK.replace("AK9*P*2*2*1~\n", "").replace("SE*11*", "SE*10*")
    with pytest.raises(X12Error, match="no AK9"):
        parse_999(text)
