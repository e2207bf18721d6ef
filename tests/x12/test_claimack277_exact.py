"""The 277CA walker field by field: levels, claims, STC10/11/12, service lines; refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rcm.x12.base import X12Error
from rcm.x12.claimack277 import (
    ClaimAcknowledgment,
    LevelStatus,
    ServiceLineStatus,
    StatusDetail,
    StatusReport,
    parse_277ca,
    parse_277ca_levels,
)

BODY = """\
BHT*0085*08*ACK1*20260314*0905*TH~
HL*1**20*1~
NM1*PR*2*SANDBOX PAYER*****PI*SBX01~
TRN*1*ACK1~
DTP*050*D8*20260301~
HL*2*1*21*1~
NM1*41*2*CLINIC*****46*CLINIC01~
TRN*2*BATCH1~
STC*A1:19:PR*20260303*WQ*175.25~
HL*3*2*19*1~
NM1*85*2*TEST CLINIC*****XX*1234567893~
TRN*1*0~
STC*A1:19:PR**WQ*175.25~
HL*4*3*PT~
NM1*QC*1*DOE*JANE****MI*MEM1~
TRN*2*C1~
STC*A3:33:IL:RX*20260303*U*125.25*10*20260304*CHK*20260305*CK9*A7:21*A8:562:85*BAD CLAIM~
REF*1K*SBX1~
REF*D9*CH77~
REF*EJ*PAT1~
DTP*472*RD8*20260301-20260303~
DTP*050*D8*20260301~
SVC*HC:99213:25:59:76:77:91*100*50*0450***2~
STC*A3:21*20260303~
REF*FJ*L1~
DTP*472*D8*20260302~
SVC*HC:85025*25.25~
HL*5*3*PT~
NM1*QC*1*ROE*RICK****MI*MEM2~
TRN*2*C2~
STC*A2:20*20260303*WQ*40~
"""


def x277(body: str, version: str = "005010X214") -> str:
    count = body.count("~") + 2
    return (
        "ISA*00*          *00*          *ZZ*SANDBOX        *ZZ*CLINIC01       *260314*0905*^"
        "*00501*000000042*0*T*:~\n"
        f"GS*HN*SANDBOX*CLINIC01*20260314*0905*42*X*{version}~\n"
        f"ST*277*0042*{version}~\n{body}SE*{count}*0042~\nGE*1*42~\nIEA*1*000000042~\n"
    )


C1 = ClaimAcknowledgment(
    control_number="C1",
    payer_name="SANDBOX PAYER",
    payer_id="SBX01",
    provider_name="TEST CLINIC",
    provider_npi="1234567893",
    patient_last_name="DOE",
    patient_first_name="JANE",
    member_id="MEM1",
    payer_claim_number="SBX1",
    clearinghouse_trace="CH77",
    service_date=date(2026, 3, 1),
    service_date_end=date(2026, 3, 3),
    statuses=[
        StatusReport(
            details=[
                StatusDetail(category="A3", status="33", entity="IL", code_list="RX"),
                StatusDetail(category="A7", status="21", entity="", code_list=""),
                StatusDetail(category="A8", status="562", entity="85", code_list=""),
            ],
            effective_date=date(2026, 3, 3),
            action_code="U",
            total_charge=Decimal("125.25"),
            paid_amount=Decimal("10"),
            adjudication_date=date(2026, 3, 4),
            payment_method="CHK",
            check_date=date(2026, 3, 5),
            check_number="CK9",
            message="BAD CLAIM",
        )
    ],
    references={"1K": "SBX1", "D9": "CH77", "EJ": "PAT1"},
    service_lines=[
        ServiceLineStatus(
            qualifier="HC",
            procedure_code="99213",
            modifiers=["25", "59", "76", "77"],
            charge=Decimal("100"),
            paid=Decimal("50"),
            revenue_code="0450",
            units=Decimal("2"),
            control_number="L1",
            service_date=date(2026, 3, 2),
            service_date_end=date(2026, 3, 2),
            statuses=[
                StatusReport(
                    details=[StatusDetail(category="A3", status="21", entity="", code_list="")],
                    effective_date=date(2026, 3, 3),
                    action_code="",
                    total_charge=None,
                    paid_amount=None,
                    adjudication_date=None,
                    payment_method="",
                    check_date=None,
                    check_number="",
                    message="",
                )
            ],
        ),
        ServiceLineStatus(
            qualifier="HC",
            procedure_code="85025",
            modifiers=[],
            charge=Decimal("25.25"),
            paid=None,
            revenue_code="",
            units=None,
            control_number="",
            service_date=None,
            service_date_end=None,
            statuses=[],
        ),
    ],
)
C2 = ClaimAcknowledgment(
    control_number="C2",
    payer_name="SANDBOX PAYER",
    payer_id="SBX01",
    provider_name="TEST CLINIC",
    provider_npi="1234567893",
    patient_last_name="ROE",
    patient_first_name="RICK",
    member_id="MEM2",
    payer_claim_number="",
    clearinghouse_trace="",
    service_date=None,
    service_date_end=None,
    statuses=[
        StatusReport(
            details=[StatusDetail(category="A2", status="20", entity="", code_list="")],
            effective_date=date(2026, 3, 3),
            action_code="WQ",
            total_charge=Decimal("40"),
            paid_amount=None,
            adjudication_date=None,
            payment_method="",
            check_date=None,
            check_number="",
            message="",
        )
    ],
    references={},
    service_lines=[],
)
LEVELS = [
    LevelStatus(
        level="21",
        entity_name="CLINIC",
        entity_id="CLINIC01",
        trace_number="BATCH1",
        statuses=[
            StatusReport(
                details=[StatusDetail(category="A1", status="19", entity="PR", code_list="")],
                effective_date=date(2026, 3, 3),
                action_code="WQ",
                total_charge=Decimal("175.25"),
                paid_amount=None,
                adjudication_date=None,
                payment_method="",
                check_date=None,
                check_number="",
                message="",
            )
        ],
    ),
    LevelStatus(
        level="19",
        entity_name="TEST CLINIC",
        entity_id="1234567893",
        trace_number="0",
        statuses=[
            StatusReport(
                details=[StatusDetail(category="A1", status="19", entity="PR", code_list="")],
                effective_date=None,
                action_code="WQ",
                total_charge=Decimal("175.25"),
                paid_amount=None,
                adjudication_date=None,
                payment_method="",
                check_date=None,
                check_number="",
                message="",
            )
        ],
    ),
]


def test_claims_field_by_field():
    assert parse_277ca(x277(BODY)) == [C1, C2]


def test_levels_field_by_field():
    assert parse_277ca_levels(x277(BODY)) == LEVELS


def test_what_a_claim_reports():
    assert (C1.categories, C1.status_codes, C1.entity_codes) == (
        ["A3", "A7", "A8"], ["33", "21", "562"], ["IL", "85"],
    )  # fmt: skip
    assert (C1.rejected, C1.accepted, C1.total_charge) == (True, False, Decimal("125.25"))
    assert (C2.rejected, C2.accepted, C2.total_charge) == (False, True, Decimal("40"))
    pending = ClaimAcknowledgment("C3", statuses=[StatusReport([StatusDetail("P1")])])
    assert (pending.rejected, pending.accepted, pending.total_charge) == (False, False, None)
    later = [StatusReport([StatusDetail("A1")]), StatusReport([], total_charge=Decimal("7"))]
    assert ClaimAcknowledgment("C4", statuses=later).total_charge == Decimal("7")


HEAD = "HL*1**20*1~\nNM1*PR*2*SANDBOX PAYER*****PI*SBX01~\n"
CLAIM = HEAD + "HL*2*1*PT~\nTRN*2*C1~\n"
RANGE = "DTP03 is not a date range: "
TRN_2 = "claim TRN must be TRN*2 with a control number, got "
NO_PARENT = "HL03 20 (information source) must not have a parent"


@pytest.mark.parametrize(
    ("body", "message", "segment_id"),
    [
        ("TRN*1*X~\n", "TRN before any HL", "TRN"),
        (HEAD + "HL*1*1*21*1~\n", "HL01 '1' is empty or used twice", "HL"),
        (HEAD + "HL**1*21*1~\n", "HL01 '' is empty or used twice", "HL"),
        (HEAD + "HL*2*9*21*1~\n", "HL02 parent '9' is not an earlier HL", "HL"),
        (HEAD + "HL*2*1*99*1~\n", "HL03 level code '99' is not used in a 277", "HL"),
        (HEAD + "HL*2*1*20*1~\n", NO_PARENT, "HL"),
        ("HL*1**21*1~\n", "HL03 21 needs a parent HL02", "HL"),
        (HEAD + "HL*2*1*PT~\nTRN*1*C1~\n", TRN_2 + "'1'", "TRN"),
        (HEAD + "HL*2*1*PT~\nTRN*2* ~\n", TRN_2 + "'2'", "TRN"),
        (HEAD + "HL*2*1*PT~\nSTC*A1:19~\n", "STC without a TRN before it", "STC"),
        (HEAD + "HL*2*1*PT~\nSVC*HC:99213*1~\n", "SVC outside a claim", "SVC"),
        (CLAIM + "SVC*HC*1~\n", "SVC01 'HC' is not qualifier:code", "SVC"),
        (CLAIM + "SVC*HC:*1~\n", "SVC01 'HC:' is not qualifier:code", "SVC"),
        (CLAIM + "STC**20260301~\n", "STC01 status category code is empty", "STC"),
        (CLAIM + "STC*:19~\n", "STC01 ':19' has no category code", "STC"),
        (CLAIM + "STC*A1:19*********:21~\n", "STC10 ':21' has no category code", "STC"),
        (CLAIM + "DTP*472*XX*20260301~\n", "DTP02 'XX' is not D8 or RD8", "DTP"),
        (CLAIM + "DTP*472*RD8*20260301-2026~\n", RANGE + "'20260301-2026'", "DTP"),
        (CLAIM + "DTP*472*RD8*2026-20260301~\n", RANGE + "'2026-20260301'", "DTP"),
    ],
)  # fmt: skip
def test_refusals(body, message, segment_id):
    with pytest.raises(X12Error) as error:
        parse_277ca(x277(body))
    assert (error.value.message, error.value.segment_id) == (message, segment_id)


def test_other_dates_and_references_of_a_line_are_ignored():
    body = CLAIM + "SVC*HC:99213*1~\nREF*6R*X~\nDTP*050*XX*1~\n"
    [claim] = parse_277ca(x277(body))
    assert claim.references == {}
    assert (claim.service_lines[0].control_number, claim.service_lines[0].service_date) == (
        "",
        None,
    )


def test_a_277_of_another_guide_is_refused():
    with pytest.raises(X12Error) as error:
        parse_277ca(x277(CLAIM, version="005010X212"))
    assert error.value.message == "version '005010X212' is not 005010X214 (277CA)"
    with pytest.raises(X12Error) as error:
        parse_277ca(x277(CLAIM).replace("ST*277*", "ST*276*"))
    assert (error.value.message, error.value.segment_id) == (
        "transaction type '276' is not a 277", "ST",
    )  # fmt: skip


def test_claims_and_levels_without_names():
    body = (
        "HL*1**20*1~\nHL*2*1*21*1~\nTRN*2*BATCH1~\nSTC*A1:19:PR~\nHL*3*2*19*1~\nTRN*1*0~\n"
        "HL*4*3*PT~\nTRN*2*C1~\nSTC*P1~\n"
    )
    assert parse_277ca(x277(body)) == [
        ClaimAcknowledgment("C1", statuses=[StatusReport([StatusDetail("P1", "", "", "")])])
    ]
    assert parse_277ca_levels(x277(body)) == [
        LevelStatus("21", "", "", "BATCH1", [StatusReport([StatusDetail("A1", "19", "PR")])]),
        LevelStatus("19", "", "", "0"),
    ]


def test_a_new_level_forgets_the_names_below_it():
    body = (
        "HL*1**20*1~\nNM1*AY*2*CLEARING HOUSE*****46*CH1~\nHL*2*1*21*1~\n"
        "HL*3*2*19*1~\nNM1*1P*2*TEST CLINIC*****SV*PROV9~\n"
        "HL*4*3*PT~\nNM1*QC*1*DOE*JANE****MI*MEM1~\nTRN*2*C1~\n"
        "HL*5*3*PT~\nTRN*2*C2~\n"
    )
    first, second = parse_277ca(x277(body))
    assert (first.payer_name, first.payer_id, first.provider_name, first.provider_npi) == (
        "CLEARING HOUSE", "CH1", "TEST CLINIC", "",  # SV: not an NPI
    )  # fmt: skip
    assert (first.patient_last_name, first.member_id) == ("DOE", "MEM1")
    assert (second.patient_last_name, second.member_id, second.payer_id) == ("", "", "CH1")
