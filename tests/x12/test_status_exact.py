"""The 276 writer, segment for segment, and its refusals by message."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from rcm.x12.base import X12Error
from rcm.x12.status import (
    ClaimInquiry,
    Party,
    Person,
    StatusProvider,
    StatusRequest,
    write_276,
)
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

WHEN = datetime(2024, 2, 20, 9, 5)
CLAIMS = (
    ClaimInquiry("PCN1001", Decimal("300"), date(2024, 1, 2), date(2024, 1, 3), "PAYERCLM1"),
    ClaimInquiry("PCN1002", Decimal("125.50"), date(2024, 1, 10)),
)


def request(**changes: object) -> StatusRequest:
    values: dict[str, object] = {
        "interchange": InterchangeHeader("OURPRACTICE", "ACMEPAYER", 17, WHEN),
        # the writer sets the group's functional id (HR) and version itself
        "group": FunctionalGroup("OURPRACTICE", "ACMEPAYER", 18, WHEN),
        "transaction_control_number": 19,
        "reference": "INQ1",
        "created": datetime(2024, 2, 21, 14, 7),
        "payer": Party("ACME HEALTH PLAN", "PAYER01"),
        "receiver": Party("GOOD DOCTORS PC", "SUB123"),
        "provider": StatusProvider("GOOD DOCTORS CLINIC", "1234567893"),
        "subscriber": Person("DOE", "JANE", "MBR123", date(1980, 5, 17), "F"),
        "claims": CLAIMS,
    }
    values.update(changes)
    return StatusRequest(**values)


def framed(body: str) -> str:
    lines = body.splitlines()
    return "\n".join(
        [
            "ISA*00*          *00*          *ZZ*OURPRACTICE    *ZZ*ACMEPAYER      *240220*0905*^"
            "*00501*000000017*0*T*:~",
            "GS*HR*OURPRACTICE*ACMEPAYER*20240220*0905*18*X*005010X212~",
            "ST*276*0019*005010X212~",
            *lines,
            f"SE*{len(lines) + 2}*0019~",
            "GE*1*18~",
            "IEA*1*000000017~",
            "",
        ]
    )


CASES = {
    # the subscriber is the patient: DMG before the subscriber's NM1, HL04 0
    "subscriber": (
        request(),
        """\
BHT*0010*13*INQ1*20240221*1407~
HL*1**20*1~
NM1*PR*2*ACME HEALTH PLAN*****PI*PAYER01~
HL*2*1*21*1~
NM1*41*2*GOOD DOCTORS PC*****46*SUB123~
HL*3*2*19*1~
NM1*1P*2*GOOD DOCTORS CLINIC*****XX*1234567893~
HL*4*3*22*0~
DMG*D8*19800517*F~
NM1*IL*1*DOE*JANE****MI*MBR123~
TRN*1*PCN1001~
REF*1K*PAYERCLM1~
AMT*T3*300~
DTP*472*RD8*20240102-20240103~
TRN*1*PCN1002~
AMT*T3*125.5~
DTP*472*RD8*20240110-20240110~
""",
    ),
    # a dependent: subscriber without DMG, HL 5 (23) with the dependent's DMG, no gender
    "dependent": (
        request(
            subscriber=Person("DOE", "JOHN", "MBR123"),
            patient=Person("DOE", "JIMMY", "", date(2015, 7, 4), ""),
        ),
        """\
BHT*0010*13*INQ1*20240221*1407~
HL*1**20*1~
NM1*PR*2*ACME HEALTH PLAN*****PI*PAYER01~
HL*2*1*21*1~
NM1*41*2*GOOD DOCTORS PC*****46*SUB123~
HL*3*2*19*1~
NM1*1P*2*GOOD DOCTORS CLINIC*****XX*1234567893~
HL*4*3*22*1~
NM1*IL*1*DOE*JOHN****MI*MBR123~
HL*5*4*23~
DMG*D8*20150704~
NM1*QC*1*DOE*JIMMY~
TRN*1*PCN1001~
REF*1K*PAYERCLM1~
AMT*T3*300~
DTP*472*RD8*20240102-20240103~
TRN*1*PCN1002~
AMT*T3*125.5~
DTP*472*RD8*20240110-20240110~
""",
    ),
    "no birth date": (
        request(subscriber=Person("DOE", "JANE", "MBR123", None, "F")),
        """\
BHT*0010*13*INQ1*20240221*1407~
HL*1**20*1~
NM1*PR*2*ACME HEALTH PLAN*****PI*PAYER01~
HL*2*1*21*1~
NM1*41*2*GOOD DOCTORS PC*****46*SUB123~
HL*3*2*19*1~
NM1*1P*2*GOOD DOCTORS CLINIC*****XX*1234567893~
HL*4*3*22*0~
NM1*IL*1*DOE*JANE****MI*MBR123~
TRN*1*PCN1001~
REF*1K*PAYERCLM1~
AMT*T3*300~
DTP*472*RD8*20240102-20240103~
TRN*1*PCN1002~
AMT*T3*125.5~
DTP*472*RD8*20240110-20240110~
""",
    ),
    "dependent without birth date": (
        request(patient=Person("DOE", "JIMMY", "")),
        """\
BHT*0010*13*INQ1*20240221*1407~
HL*1**20*1~
NM1*PR*2*ACME HEALTH PLAN*****PI*PAYER01~
HL*2*1*21*1~
NM1*41*2*GOOD DOCTORS PC*****46*SUB123~
HL*3*2*19*1~
NM1*1P*2*GOOD DOCTORS CLINIC*****XX*1234567893~
HL*4*3*22*1~
NM1*IL*1*DOE*JANE****MI*MBR123~
HL*5*4*23~
NM1*QC*1*DOE*JIMMY~
TRN*1*PCN1001~
REF*1K*PAYERCLM1~
AMT*T3*300~
DTP*472*RD8*20240102-20240103~
TRN*1*PCN1002~
AMT*T3*125.5~
DTP*472*RD8*20240110-20240110~
""",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_276_text(case):
    inquiry, body = CASES[case]
    assert write_276(inquiry) == framed(body)


@pytest.mark.parametrize(
    ("changes", "message", "segment_id"),
    [
        ({"claims": ()}, "a 276 needs at least one claim", "TRN"),
        (
            {"subscriber": Person("DOE", "JANE", "", date(1980, 5, 17), "F")},
            "the subscriber needs a member id",
            "NM1",
        ),
        (
            {"claims": (CLAIMS[0], ClaimInquiry("", Decimal("1"), date(2024, 1, 1)))},
            "claim control number is empty",
            "TRN",
        ),
        (
            {
                "claims": (
                    CLAIMS[0],
                    ClaimInquiry("PCN9", Decimal("1"), date(2024, 1, 2), date(2024, 1, 1)),
                )
            },
            "claim PCN9: service end date before start date",
            "DTP",
        ),
    ],
)
def test_276_refusals_name_the_problem_and_segment(changes, message, segment_id):
    with pytest.raises(X12Error, match=f"^{message}") as error:
        write_276(request(**changes))
    assert error.value.segment_id == segment_id


def test_276_one_day_claim_is_accepted():
    one_day = ClaimInquiry("PCN9", Decimal("1"), date(2024, 1, 2), date(2024, 1, 2))
    assert "DTP*472*RD8*20240102-20240102~" in write_276(request(claims=(one_day,)))
