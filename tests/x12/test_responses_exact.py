"""Payer response writers, segment for segment: every element of a 271, 277, 999, 277CA, 835.

The other tests read the responses back or check them with pyx12; these pin the exact text, so
a changed qualifier, a dropped optional segment or a wrong default is seen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from rcm.x12.base import Delimiters
from rcm.x12.responses import (
    Ack277CA,
    Ack999,
    Benefit,
    ClaimAck,
    ClaimStatusReply,
    EligibilityAnswer,
    RemitAdjustment,
    RemitClaim,
    RemitLine,
    Remittance835,
    ResponseHeader,
    SegmentError,
    StatusReply,
    TransactionAck,
    remittance_total,
    write_271,
    write_277,
    write_277ca,
    write_835,
    write_999,
)

WHEN = datetime(2026, 3, 14, 9, 5, tzinfo=UTC)
HEADER = ResponseHeader("SANDBOX", "CLINIC01", 42, WHEN)
DOS = date(2026, 3, 1)
END = date(2026, 3, 3)
ISA = (
    "ISA*00*          *00*          *ZZ*SANDBOX        *ZZ*CLINIC01       *260314*0905*^*00501"
    "*000000042*0*T*:~"
)


def framed(functional_id: str, set_id: str, version: str, body: str, st03: bool = True) -> str:
    """The interchange around one transaction, as the guide lays it out (SE counts ST and SE)."""
    lines = body.splitlines()
    st = f"ST*{set_id}*0042" + (f"*{version}" if st03 else "") + "~"
    return "\n".join(
        [
            ISA,
            f"GS*{functional_id}*SANDBOX*CLINIC01*20260314*0905*42*X*{version}~",
            st,
            *lines,
            f"SE*{len(lines) + 2}*0042~",
            "GE*1*42~",
            "IEA*1*000000042~",
            "",
        ]
    )


# 271 --------------------------------------------------------------------------------------


def answer_271(**changes: object) -> EligibilityAnswer:
    values: dict[str, object] = {
        "reference": "R1",
        "payer_name": "SANDBOX PAYER",
        "payer_id": "SBX01",
        "provider_name": "TEST CLINIC",
        "provider_npi": "1234567893",
        "trace_number": "T1",
        "trace_originator": "9CLINIC001",
        "member_id": "MEM1",
        "last_name": "DOE",
        "first_name": "JANE",
        "service_date": DOS,
        "benefits": (
            Benefit("1", ("30",), plan_name="GOLD PPO", in_network="Y"),
            Benefit("B", ("30", "98"), time_period="27", amount=Decimal("25.50")),
            Benefit("A", ("30",), time_period="27", percent=Decimal("20"), in_network="N"),
            Benefit("C"),
        ),
    }
    values.update(changes)
    return EligibilityAnswer(**values)


CASES_271 = {
    "found": (
        answer_271(),
        """\
BHT*0022*11*R1*20260314*0905~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
HL*2*1*21*1~
NM1*1P*2*TEST CLINIC*****XX*1234567893~
HL*3*2*22*0~
TRN*2*T1*9CLINIC001~
NM1*IL*1*DOE*JANE****MI*MEM1~
DTP*291*D8*20260301~
EB*1*IND*30**GOLD PPO*******Y~
EB*B*IND*30^98***27*25.5~
EB*A*IND*30***27**0.2****N~
EB*C*IND*30~
""",
    ),
    # no originator: the sandbox's own id; no first name: NM104 left empty
    "no originator, no first name, no benefits": (
        answer_271(trace_originator="", first_name="", benefits=()),
        """\
BHT*0022*11*R1*20260314*0905~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
HL*2*1*21*1~
NM1*1P*2*TEST CLINIC*****XX*1234567893~
HL*3*2*22*0~
TRN*2*T1*9SANDBOX01~
NM1*IL*1*DOE*****MI*MEM1~
DTP*291*D8*20260301~
""",
    ),
    # not found: AAA*N**75 and nothing after it (no DTP, no EB); no trace number: no TRN
    "not found": (
        answer_271(trace_number="", found=False),
        """\
BHT*0022*11*R1*20260314*0905~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
HL*2*1*21*1~
NM1*1P*2*TEST CLINIC*****XX*1234567893~
HL*3*2*22*0~
NM1*IL*1*DOE*JANE****MI*MEM1~
AAA*N**75*C~
""",
    ),
}


@pytest.mark.parametrize("case", CASES_271)
def test_271_text(case):
    answer, body = CASES_271[case]
    assert write_271(HEADER, answer) == framed("HB", "271", "005010X279A1", body)


def test_271_other_delimiters():
    delimiters = Delimiters(element="|", component=">", repetition="!", segment="'")
    text = write_271(HEADER, answer_271(), delimiters)
    assert "EB|B|IND|30!98|||27|25.5'\n" in text
    assert text.startswith("ISA|00|")
    assert "|00501|000000042|0|T|>'\n" in text.splitlines(keepends=True)[0]


# 277 --------------------------------------------------------------------------------------


def status(**changes: object) -> ClaimStatusReply:
    values: dict[str, object] = {
        "member_id": "MEM1",
        "last_name": "DOE",
        "first_name": "JANE",
        "trace_number": "T1",
        "category": "F1",
        "status": "65",
        "status_date": DOS,
        "charge": Decimal("125.00"),
        "paid": Decimal("60.10"),
        "control_number": "C1",
        "payer_claim_number": "SBX1",
        "adjudicated": date(2026, 3, 5),
        "check_number": "SBX0001",
        "check_date": date(2026, 3, 6),
        "service_start": DOS,
        "service_end": END,
    }
    values.update(changes)
    return ClaimStatusReply(**values)


def reply_277(*claims: ClaimStatusReply) -> StatusReply:
    return StatusReply(
        "R1", "SANDBOX PAYER", "SBX01", "CLINIC", "CLINIC01", "TEST CLINIC", "1234567893", claims
    )


NOT_FOUND = status(
    member_id="MEM2", first_name="", trace_number="T2", category="A4", status="35",
    charge=Decimal("80"), paid=None, control_number="", payer_claim_number="", adjudicated=None,
    check_number="", check_date=None, service_end=None,
)  # fmt: skip
NO_DATES = status(trace_number="T3", service_start=None, service_end=DOS, control_number="C3")
CASES_277 = {
    # a paid claim with every field, one not found (one service date: D8), one without dates
    "three claims": (
        reply_277(status(), NOT_FOUND, NO_DATES),
        """\
BHT*0010*08*R1*20260314*0905*DG~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
HL*3*2*19*1~
NM1*1P*2*TEST CLINIC*****XX*1234567893~
HL*4*3*22*0~
NM1*IL*1*DOE*JANE****MI*MEM1~
TRN*2*T1~
STC*F1:65*20260301**125*60.1*20260305**20260306*SBX0001~
REF*1K*SBX1~
REF*EJ*C1~
DTP*472*RD8*20260301-20260303~
HL*5*3*22*0~
NM1*IL*1*DOE*****MI*MEM2~
TRN*2*T2~
STC*A4:35*20260301**80~
DTP*472*D8*20260301~
HL*6*3*22*0~
NM1*IL*1*DOE*JANE****MI*MEM1~
TRN*2*T3~
STC*F1:65*20260301**125*60.1*20260305**20260306*SBX0001~
REF*1K*SBX1~
REF*EJ*C3~
""",
    ),
    "no claims": (
        reply_277(),
        """\
BHT*0010*08*R1*20260314*0905*DG~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
HL*3*2*19*1~
NM1*1P*2*TEST CLINIC*****XX*1234567893~
""",
    ),
}


@pytest.mark.parametrize("case", CASES_277)
def test_277_text(case):
    reply, body = CASES_277[case]
    assert write_277(HEADER, reply) == framed("HN", "277", "005010X212", body)


# 999 --------------------------------------------------------------------------------------


def t_ack(accepted: bool, errors=(), codes=(), number: str = "1234") -> TransactionAck:
    return TransactionAck("837", number, "005010X222A1", accepted, errors, codes)


ERRORS = (
    SegmentError("CLM", 22, "8", "2300", 2, "7"),
    SegmentError("NM1", 9, "8", "2010BA", 3),  # no IK403 given: 8 (invalid data element)
    SegmentError("ZZZ", 30, "1"),  # no element: no IK4
)
CASES_999 = {
    "accepted": (
        Ack999("HC", "77", "005010X222A1", (t_ack(True),)),
        """\
AK1*HC*77*005010X222A1~
AK2*837*1234*005010X222A1~
IK5*A~
AK9*A*1*1*1~
""",
    ),
    # one of two accepted: P; three received; IK5 keeps the first five syntax codes
    "partly accepted": (
        Ack999(
            "HC", "77", "005010X222A1",
            (
                t_ack(True, number="0001"),
                t_ack(False, ERRORS, ("5", "4", "3", "2", "1", "6"), number="0002"),
            ),
            received_count=3,
        ),
        """\
AK1*HC*77*005010X222A1~
AK2*837*0001*005010X222A1~
IK5*A~
AK2*837*0002*005010X222A1~
IK3*CLM*22*2300*8~
IK4*2**7~
IK3*NM1*9*2010BA*8~
IK4*3**8~
IK3*ZZZ*30**1~
IK5*R*5*4*3*2*1~
AK9*P*2*3*1~
""",
    ),
    "rejected": (
        Ack999("HC", "77", "005010X222A1", (t_ack(False, codes=("5",)),)),
        """\
AK1*HC*77*005010X222A1~
AK2*837*1234*005010X222A1~
IK5*R*5~
AK9*R*1*1*0~
""",
    ),
    # group codes reject the group even when its transaction is accepted; five at most
    "group codes": (
        Ack999("HC", "77", "005010X222A1", (t_ack(True),), group_codes=tuple("123456")),
        """\
AK1*HC*77*005010X222A1~
AK2*837*1234*005010X222A1~
IK5*A~
AK9*R*1*1*1*1*2*3*4*5~
""",
    ),
    "no transaction": (
        Ack999("HC", "77", "005010X222A1", (), 1, ("5",)),
        """\
AK1*HC*77*005010X222A1~
AK9*R*0*1*0*5~
""",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES_999)
def test_999_text(case):
    ack, body = CASES_999[case]
    assert write_999(HEADER, ack) == framed("FA", "999", "005010X231A1", body)


def test_999_accepted_transaction_ignores_its_syntax_codes():
    ack = Ack999("HC", "77", "005010X222A1", (t_ack(True, codes=("5",)),))
    assert "IK5*A~\n" in write_999(HEADER, ack)


# 277CA ------------------------------------------------------------------------------------


def claim_ack(number: str, accepted: bool, **changes: object) -> ClaimAck:
    category, code = ("A2", "20") if accepted else ("A3", "33")
    values: dict[str, object] = {
        "control_number": number,
        "accepted": accepted,
        "category": category,
        "status": code,
        "charge": Decimal("125.25"),
        "member_id": "MEM1",
        "last_name": "DOE",
        "first_name": "JANE",
        "service_start": DOS,
    }
    values.update(changes)
    return ClaimAck(**values)


def ack_277ca(*claims: ClaimAck) -> Ack277CA:
    return Ack277CA(
        "ACK1", DOS, END, "SANDBOX PAYER", "SBX01", "CLINIC", "CLINIC01", "TEST CLINIC",
        "1234567893", "BATCH1", claims,
    )  # fmt: skip


CASES_277CA = {
    "accepted and rejected": (
        ack_277ca(
            claim_ack("C1", True, payer_claim_number="SBX1", service_end=END),
            claim_ack("C2", False, charge=Decimal("40"), entity="IL"),
            claim_ack("C3", True, charge=Decimal("10"), service_end=DOS),
        ),
        """\
BHT*0085*08*ACK1*20260314*0905*TH~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
TRN*1*ACK1~
DTP*050*D8*20260301~
DTP*009*D8*20260303~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
TRN*2*BATCH1~
STC*A1:19:PR*20260303*WQ*175.25~
QTY*90*2~
QTY*AA*1~
AMT*YU*135.25~
AMT*YY*40~
HL*3*2*19*1~
NM1*85*2*TEST CLINIC*****XX*1234567893~
TRN*1*0~
STC*A1:19:PR**WQ*175.25~
QTY*QA*2~
QTY*QC*1~
AMT*YU*135.25~
AMT*YY*40~
HL*4*3*PT~
NM1*QC*1*DOE*JANE****MI*MEM1~
TRN*2*C1~
STC*A2:20*20260303*WQ*125.25~
REF*1K*SBX1~
DTP*472*RD8*20260301-20260303~
HL*5*3*PT~
NM1*QC*1*DOE*JANE****MI*MEM1~
TRN*2*C2~
STC*A3:33:IL*20260303*U*40~
DTP*472*D8*20260301~
HL*6*3*PT~
NM1*QC*1*DOE*JANE****MI*MEM1~
TRN*2*C3~
STC*A2:20*20260303*WQ*10~
DTP*472*D8*20260301~
""",
    ),
    "rejected only": (
        ack_277ca(claim_ack("C2", False)),
        """\
BHT*0085*08*ACK1*20260314*0905*TH~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
TRN*1*ACK1~
DTP*050*D8*20260301~
DTP*009*D8*20260303~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
TRN*2*BATCH1~
STC*A1:19:PR*20260303*WQ*125.25~
QTY*AA*1~
AMT*YY*125.25~
HL*3*2*19*1~
NM1*85*2*TEST CLINIC*****XX*1234567893~
TRN*1*0~
STC*A1:19:PR**WQ*125.25~
QTY*QC*1~
AMT*YY*125.25~
HL*4*3*PT~
NM1*QC*1*DOE*JANE****MI*MEM1~
TRN*2*C2~
STC*A3:33*20260303*U*125.25~
DTP*472*D8*20260301~
""",
    ),
    "accepted only": (
        ack_277ca(claim_ack("C1", True)),
        """\
BHT*0085*08*ACK1*20260314*0905*TH~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
TRN*1*ACK1~
DTP*050*D8*20260301~
DTP*009*D8*20260303~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
TRN*2*BATCH1~
STC*A1:19:PR*20260303*WQ*125.25~
QTY*90*1~
AMT*YU*125.25~
HL*3*2*19*1~
NM1*85*2*TEST CLINIC*****XX*1234567893~
TRN*1*0~
STC*A1:19:PR**WQ*125.25~
QTY*QA*1~
AMT*YU*125.25~
HL*4*3*PT~
NM1*QC*1*DOE*JANE****MI*MEM1~
TRN*2*C1~
STC*A2:20*20260303*WQ*125.25~
DTP*472*D8*20260301~
""",
    ),
}


CASES_277CA["no claims"] = (
    ack_277ca(),
    """\
BHT*0085*08*ACK1*20260314*0905*TH~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
TRN*1*ACK1~
DTP*050*D8*20260301~
DTP*009*D8*20260303~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
TRN*2*BATCH1~
STC*A1:19:PR*20260303*WQ*0~
HL*3*2*19*1~
NM1*85*2*TEST CLINIC*****XX*1234567893~
TRN*1*0~
STC*A1:19:PR**WQ*0~
""",
)


@pytest.mark.parametrize("case", CASES_277CA)
def test_277ca_text(case):
    ack, body = CASES_277CA[case]
    assert write_277ca(HEADER, ack) == framed("HN", "277", "005010X214", body)


# 835 --------------------------------------------------------------------------------------


def remit(*claims: RemitClaim, **changes: object) -> Remittance835:
    return Remittance835(
        "SANDBOX PAYER", "SBX01", "999999999", "TEST CLINIC", "1234567893", "SBX0001", DOS, END,
        claims, **changes,
    )  # fmt: skip


PAID = RemitClaim(
    "C1", "1", Decimal("125"), Decimal("60"), Decimal("40"), "SBX1", "MEM1", "DOE", "JANE",
    lines=(
        RemitLine(
            "99213", Decimal("100"), Decimal("50"), DOS, Decimal("2"),
            ("25", "59", "76", "77", "91"),  # four modifiers at most
            "L1", Decimal("90"),
            (
                RemitAdjustment("CO", "45", Decimal("10")),
                RemitAdjustment("PR", "3", Decimal("25")),
                RemitAdjustment("PR", "2", Decimal("15")),
            ),
            ("M15", "N130"),
        ),
        RemitLine(
            "85025", Decimal("25"), Decimal("10"), END,
            adjustments=(RemitAdjustment("CO", "45", Decimal("15")),),
        ),
    ),
)  # fmt: skip
REVERSAL = RemitClaim(
    "C1", "22", Decimal("-125"), Decimal("-60"), Decimal("-40"), "SBX1", "MEM1", "DOE", "JANE",
    frequency="8", filing_indicator="MC", place_of_service="22",
    lines=(
        RemitLine(
            "99213", Decimal("-125"), Decimal("-60"), DOS, Decimal("-1"), control_number="L1",
            adjustments=(
                RemitAdjustment("CO", "45", Decimal("-25")),
                RemitAdjustment("PR", "3", Decimal("-40")),
            ),
        ),
    ),
)  # fmt: skip
CASES_835 = {
    "paid": (
        remit(
            PAID, payer_address=("2 MAIN ST", "SPRINGFIELD", "MO", "65801"),
            payer_phone="8005550199",
        ),
        """\
BPR*I*60*C*CHK************20260301~
TRN*1*SBX0001*1999999999~
DTM*405*20260303~
N1*PR*SANDBOX PAYER~
N3*2 MAIN ST~
N4*SPRINGFIELD*MO*65801~
REF*2U*SBX01~
PER*BL*SANDBOX SUPPORT*TE*8005550199~
N1*PE*TEST CLINIC*XX*1234567893~
LX*1~
CLP*C1*1*125*60*40*12*SBX1*11*1~
NM1*QC*1*DOE*JANE****MI*MEM1~
SVC*HC:99213:25:59:76:77*100*50**2~
DTM*472*20260301~
CAS*CO*45*10~
CAS*PR*3*25**2*15~
REF*6R*L1~
AMT*B6*90~
LQ*HE*M15~
LQ*HE*N130~
SVC*HC:85025*25*10**1~
DTM*472*20260303~
CAS*CO*45*15~
""",
    ),
    # a negative total: BPR H 0 NON, carried forward by PLB FB at the year's end
    "reversal": (remit(REVERSAL), """\
BPR*H*0*C*NON************20260301~
TRN*1*SBX0001*1999999999~
DTM*405*20260303~
N1*PR*SANDBOX PAYER~
N3*1 SANDBOX WAY~
N4*TESTVILLE*IL*62701~
REF*2U*SBX01~
PER*BL*SANDBOX SUPPORT*TE*8005550100~
N1*PE*TEST CLINIC*XX*1234567893~
LX*1~
CLP*C1*22*-125*-60*-40*MC*SBX1*22*8~
NM1*QC*1*DOE*JANE****MI*MEM1~
SVC*HC:99213*-125*-60**1~
DTM*472*20260301~
CAS*CO*45*-25~
CAS*PR*3*-40~
REF*6R*L1~
PLB*1234567893*20261231*FB:SBX0001*-60~
"""),
    "no claims": (remit(), """\
BPR*H*0*C*NON************20260301~
TRN*1*SBX0001*1999999999~
DTM*405*20260303~
N1*PR*SANDBOX PAYER~
N3*1 SANDBOX WAY~
N4*TESTVILLE*IL*62701~
REF*2U*SBX01~
PER*BL*SANDBOX SUPPORT*TE*8005550100~
N1*PE*TEST CLINIC*XX*1234567893~
"""),
    # paid and reversed net to zero: no payment, nothing carried forward
    "paid and reversed": (remit(PAID, REVERSAL), """\
BPR*H*0*C*NON************20260301~
TRN*1*SBX0001*1999999999~
DTM*405*20260303~
N1*PR*SANDBOX PAYER~
N3*1 SANDBOX WAY~
N4*TESTVILLE*IL*62701~
REF*2U*SBX01~
PER*BL*SANDBOX SUPPORT*TE*8005550100~
N1*PE*TEST CLINIC*XX*1234567893~
LX*1~
CLP*C1*1*125*60*40*12*SBX1*11*1~
NM1*QC*1*DOE*JANE****MI*MEM1~
SVC*HC:99213:25:59:76:77*100*50**2~
DTM*472*20260301~
CAS*CO*45*10~
CAS*PR*3*25**2*15~
REF*6R*L1~
AMT*B6*90~
LQ*HE*M15~
LQ*HE*N130~
SVC*HC:85025*25*10**1~
DTM*472*20260303~
CAS*CO*45*15~
CLP*C1*22*-125*-60*-40*MC*SBX1*22*8~
NM1*QC*1*DOE*JANE****MI*MEM1~
SVC*HC:99213*-125*-60**1~
DTM*472*20260301~
CAS*CO*45*-25~
CAS*PR*3*-40~
REF*6R*L1~
"""),
}  # fmt: skip


ONE_DOLLAR = RemitClaim(
    "C9", "1", Decimal("1"), Decimal("1"), Decimal("0"), "SBX9", "MEM1", "DOE", "JANE"
)
# a payment of one dollar is a payment (BPR I … CHK), not a zero-dollar notice
CASES_835["one dollar"] = (
    remit(ONE_DOLLAR),
    """\
BPR*I*1*C*CHK************20260301~
TRN*1*SBX0001*1999999999~
DTM*405*20260303~
N1*PR*SANDBOX PAYER~
N3*1 SANDBOX WAY~
N4*TESTVILLE*IL*62701~
REF*2U*SBX01~
PER*BL*SANDBOX SUPPORT*TE*8005550100~
N1*PE*TEST CLINIC*XX*1234567893~
LX*1~
CLP*C9*1*1*1*0*12*SBX9*11*1~
NM1*QC*1*DOE*JANE****MI*MEM1~
""",
)


@pytest.mark.parametrize("case", CASES_835)
def test_835_text(case):
    advice, body = CASES_835[case]
    assert write_835(HEADER, advice) == framed("HP", "835", "005010X221A1", body, st03=False)


@pytest.mark.parametrize(
    ("claims", "total"),
    [
        ((), "0"),
        ((PAID,), "60"),
        ((REVERSAL,), "0"),
        ((PAID, REVERSAL), "0"),
        ((PAID, PAID), "120"),
    ],
)
def test_remittance_total(claims, total):
    assert remittance_total(remit(*claims)) == Decimal(total)
