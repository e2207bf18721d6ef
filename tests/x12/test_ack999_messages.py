"""The 999 parser, element by element and refusal by refusal, with the message a person reads."""

from __future__ import annotations

import pytest

from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error

ISA = (
    "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*OURPRACTICE    *240115*1200*^*00501*"
    "000000101*0*T*:"
)


def ack(*body: str) -> str:
    segments = ["ST*999*0001*005010X231A1", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    return (
        "~\n".join(
            [
                ISA,
                "GS*FA*CLEARINGHOUSE*OURPRACTICE*20240115*1200*101*X*005010X231A1",
                *segments,
                "GE*1*101",
                "IEA*1*000000101",
            ]
        )
        + "~\n"
    )


def refusal(text: str) -> tuple[str, str | None]:
    with pytest.raises(X12Error) as caught:
        parse_999(text)
    return caught.value.message, caught.value.segment_id


def test_every_element_of_a_rejection():
    [parsed] = parse_999(
        ack(
            "AK1*HC*42*005010X222A1",
            "AK2*837*000123*005010X222A1",
            "CTX*SITUATIONAL TRIGGER*CLM*22",
            "IK3*NM1*7*2010BA*8",
            "CTX*NM101:IL",
            "IK4*9*67*6*BAD",
            "CTX*NM109*X",
            "IK5*R*5*3*4*1*2",
            "AK9*R*3*2*0*1*2*3*4*5",
        )
    )
    assert (parsed.included, parsed.received, parsed.accepted_count) == (3, 2, 0)
    assert parsed.group_status_description == "Rejected"
    assert parsed.group_error_codes == ["1", "2", "3", "4", "5"]
    assert parsed.group_error_descriptions[:3] == [
        "Functional group not supported",
        "Functional group version not supported",
        "Functional group trailer (GE) missing",
    ]
    [response] = parsed.transactions
    assert (response.set_id, response.control_number, response.implementation_reference) == (
        "837",
        "000123",
        "005010X222A1",
    )
    assert (response.status, response.status_description) == ("R", "Rejected")
    assert response.error_codes == ["5", "3", "4", "1", "2"]
    assert response.error_descriptions[1:3] == [
        "Control numbers in ST and SE do not match",
        "SE segment count does not match the actual count",
    ]
    assert response.contexts == ["SITUATIONAL TRIGGER*CLM*22"]
    [segment] = response.segment_errors
    assert segment.contexts == ["NM101:IL"]
    [element] = segment.element_errors
    assert element.contexts == ["NM109*X"]
    assert parsed.response_for("123") is response
    assert parsed.response_for("0000123") is response
    assert parsed.response_for("1230") is None


def test_a_second_ak2_starts_with_no_segment_error():
    [parsed] = parse_999(
        ack(
            "AK1*HC*42",
            "AK2*837*0001",
            "IK3*CLM*22*2300*8",
            "IK5*R*5",
            "AK2*837*0002",
            "CTX*AFTER",
            "IK5*A",
            "AK9*P*2*2*1",
        )
    )
    first, second = parsed.transactions
    assert (second.contexts, second.segment_errors, first.contexts) == (["AFTER"], [], [])


def test_an_unknown_error_code_is_described_as_such():
    [parsed] = parse_999(ack("AK1*HC*42", "AK2*837*0001", "IK5*R*99", "AK9*R*1*1*0*77"))
    assert parsed.transactions[0].error_descriptions == ["code '99' (no description on file)"]
    assert parsed.group_error_descriptions == ["code '77' (no description on file)"]


@pytest.mark.parametrize(
    ("body", "message", "segment_id"),
    [
        (["AK2*837*0001", "IK5*A", "AK9*A*1*1*1"], "AK2 before AK1", "AK2"),
        (["AK9*A*1*1*1"], "AK9 before AK1", "AK9"),
        (["AK1*HC*42", "AK1*HC*43", "AK9*A*0*0*0"], "second AK1 in one 999", "AK1"),
        (["AK1*HC* ", "AK9*A*0*0*0"], "AK102 group control number is empty", "AK1"),
        (
            ["AK1*HC*42", "AK2*837* ", "IK5*A", "AK9*A*1*1*1"],
            "AK202 transaction set control number is empty",
            "AK2",
        ),
        (
            ["AK1*HC*42", "AK2*837*0001", "AK2*837*0002", "IK5*A", "AK9*A*1*1*1"],
            "AK2 before the IK5 of AK2 0001",
            "AK2",
        ),
        (
            ["AK1*HC*42", "AK2*837*0001", "AK9*A*1*1*1"],
            "AK9 before the IK5 of AK2 0001",
            "AK9",
        ),
        (
            ["AK1*HC*42", "IK5*A", "AK9*A*1*1*1"],
            "IK5 outside an AK2 transaction set response",
            "IK5",
        ),
        (
            ["AK1*HC*42", "CTX*X", "AK9*A*1*1*1"],
            "CTX outside an AK2 transaction set response",
            "CTX",
        ),
        (
            ["AK1*HC*42", "AK2*837*0001", "IK4*1*67*6", "IK5*R", "AK9*R*1*1*0"],
            "IK4 without an IK3 segment error",
            "IK4",
        ),
        (
            [
                "AK1*HC*42",
                "AK2*837*0001",
                "IK3*CLM*22*2300*8",
                "IK4*X:1*67*6",
                "IK5*R",
                "AK9*R*1*1*0",
            ],
            "IK401 'X:1' does not start with an element position",
            "IK4",
        ),
        (
            ["AK1*HC*42", "AK2*837*0001", "IK3*CLM**2300*8", "IK5*R", "AK9*R*1*1*0"],
            "IK302 is not a number: ''",
            "IK3",
        ),
        (["AK1*HC*42", "AK9*A**0*0"], "AK902 is not a number: ''", "AK9"),
        (["AK1*HC*42", "AK9*A*0*x*0"], "AK903 is not a number: 'x'", "AK9"),
        (["AK1*HC*42"], "999 has no AK9 segment", "SE"),
        ([], "999 has no AK1 segment", "ST"),
    ],
)
def test_a_malformed_999_is_refused_by_name(body, message, segment_id):
    assert refusal(ack(*body)) == (message, segment_id)


def test_another_transaction_type_is_refused_at_its_st():
    text = ack("AK1*HC*42", "AK9*A*0*0*0").replace("ST*999*0001", "ST*835*0001")
    assert refusal(text) == ("transaction type '835' is not a 999", "ST")
