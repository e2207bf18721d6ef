"""Payer response writers: 999, 277CA and 835 pass pyx12; 835 parses and balances."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from rcm.x12.era835 import check_balance, parse_835
from rcm.x12.reader import read_interchanges
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
    write_271,
    write_277,
    write_277ca,
    write_835,
    write_999,
)
from tests.x12.pyx12_check import pyx12_text_errors as pyx12_errors
from tests.x12.test_claim837 import find

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
HEADER = ResponseHeader("SANDBOX", "CLINIC01", 42, WHEN)
DOS = date(2026, 3, 1)


def ack_999(accepted: bool = True) -> Ack999:
    errors = () if accepted else (SegmentError("CLM", 22, "8", "2300", 2, "7"),)
    transaction = TransactionAck(
        "837", "1234", "005010X222A1", accepted, errors, () if accepted else ("5",)
    )
    return Ack999("HC", "77", "005010X222A1", (transaction,))


def test_999_accepted_passes_pyx12(tmp_path):
    text = write_999(HEADER, ack_999())
    assert pyx12_errors(text, tmp_path) == []
    assert find(text, "AK1") == [["AK1", "HC", "77", "005010X222A1"]]
    assert find(text, "IK5") == [["IK5", "A"]]
    assert find(text, "AK9") == [["AK9", "A", "1", "1", "1"]]


def test_999_rejected_passes_pyx12(tmp_path):
    text = write_999(HEADER, ack_999(accepted=False))
    assert pyx12_errors(text, tmp_path) == []
    assert find(text, "IK3") == [["IK3", "CLM", "22", "2300", "8"]]
    assert find(text, "IK4") == [["IK4", "2", "", "7"]]
    assert find(text, "IK5") == [["IK5", "R", "5"]]
    assert find(text, "AK9") == [["AK9", "R", "1", "1", "0"]]


def test_999_group_level_rejection(tmp_path):
    text = write_999(HEADER, Ack999("HC", "77", "005010X222A1", (), 1, ("5",)))
    assert find(text, "AK9") == [["AK9", "R", "0", "1", "0", "5"]]


def claim_ack(number: str, accepted: bool) -> ClaimAck:
    category, status = ("A2", "20") if accepted else ("A3", "33")
    return ClaimAck(
        number, accepted, category, status, Decimal("125"), "MEM1", "DOE", "JANE", DOS,
        payer_claim_number="SBX1" if accepted else "",
    )  # fmt: skip


def test_277ca_passes_pyx12(tmp_path):
    ack = Ack277CA(
        "ACK1", DOS, DOS, "SANDBOX PAYER", "SBX01", "CLINIC", "CLINIC01", "TEST CLINIC",
        "1234567893", "BATCH1", (claim_ack("C1", True), claim_ack("C2", False)),
    )  # fmt: skip
    text = write_277ca(HEADER, ack)
    assert pyx12_errors(text, tmp_path) == []
    stc = find(text, "STC")
    assert [s[1] for s in stc] == ["A1:19:PR", "A1:19:PR", "A2:20", "A3:33"]
    assert find(text, "QTY", "90") == [["QTY", "90", "1"]]
    assert find(text, "QTY", "AA") == [["QTY", "AA", "1"]]


def remit_line(code: str, charge: str, paid: str, *adjustments: RemitAdjustment) -> RemitLine:
    return RemitLine(
        code, Decimal(charge), Decimal(paid), DOS, control_number="L1", adjustments=adjustments
    )


def remit(*claims: RemitClaim) -> Remittance835:
    return Remittance835(
        "SANDBOX PAYER", "SBX01", "999999999", "TEST CLINIC", "1234567893", "SBX0001", DOS, DOS,
        claims,
    )  # fmt: skip


PAID = RemitClaim(
    "C1", "1", Decimal("125"), Decimal("60"), Decimal("40"), "SBX1", "MEM1", "DOE", "JANE",
    lines=(
        remit_line(
            "99213", "125", "60",
            RemitAdjustment("CO", "45", Decimal("25")),
            RemitAdjustment("PR", "3", Decimal("25")),
            RemitAdjustment("PR", "2", Decimal("15")),
        ),
    ),
)  # fmt: skip
REVERSAL = RemitClaim(
    "C1", "22", Decimal("-125"), Decimal("-60"), Decimal("-40"), "SBX1", "MEM1", "DOE", "JANE",
    frequency="8",
    lines=(
        remit_line(
            "99213", "-125", "-60",
            RemitAdjustment("CO", "45", Decimal("-25")),
            RemitAdjustment("PR", "3", Decimal("-25")),
            RemitAdjustment("PR", "2", Decimal("-15")),
        ),
    ),
)  # fmt: skip


@pytest.mark.parametrize("claims", [(PAID,), (REVERSAL,), (PAID, REVERSAL), ()])
def test_835_passes_pyx12_parses_and_balances(claims, tmp_path):
    text = write_835(HEADER, remit(*claims))
    assert pyx12_errors(text, tmp_path) == []
    [remittance] = parse_835(text)
    assert check_balance(remittance) == []
    assert len(remittance.claims) == len(claims)


def test_835_negative_total_is_carried_forward():
    [remittance] = parse_835(write_835(HEADER, remit(REVERSAL)))
    assert remittance.payment_amount == 0
    assert remittance.provider_adjustments[0].reason == "FB"
    assert remittance.provider_adjustments[0].amount == Decimal("-60")
    assert remittance.claims[0].is_reversal


def test_835_amounts():
    [remittance] = parse_835(write_835(HEADER, remit(PAID)))
    assert remittance.payment_amount == Decimal("60")
    claim = remittance.claims[0]
    assert claim.payer_claim_number == "SBX1"
    assert claim.patient_responsibility == Decimal("40")
    assert [(a.group, a.reason) for a in claim.service_lines[0].adjustments] == [
        ("CO", "45"),
        ("PR", "3"),
        ("PR", "2"),
    ]


def test_271_found_and_not_found():
    answer = EligibilityAnswer(
        "R1", "SANDBOX PAYER", "SBX01", "TEST CLINIC", "1234567893", "T1", "9CLINIC001",
        "MEM1", "DOE", "JANE", DOS,
        benefits=(
            Benefit("1", ("30",), plan_name="GOLD PPO"),
            Benefit("B", ("30", "98"), time_period="27", amount=Decimal("25")),
            Benefit("A", ("30",), time_period="27", percent=Decimal("20")),
        ),
    )  # fmt: skip
    text = write_271(HEADER, answer)
    read_interchanges(text)
    assert find(text, "EB", "1") == [["EB", "1", "IND", "30", "", "GOLD PPO"]]
    assert find(text, "EB", "B") == [["EB", "B", "IND", "30^98", "", "", "27", "25"]]
    assert find(text, "EB", "A") == [["EB", "A", "IND", "30", "", "", "27", "", "0.2"]]
    missing = EligibilityAnswer(
        "R1", "SANDBOX PAYER", "SBX01", "TEST CLINIC", "1234567893", "", "", "NOPE", "DOE",
        "", DOS, found=False,
    )  # fmt: skip
    text = write_271(HEADER, missing)
    assert find(text, "AAA") == [["AAA", "N", "", "75", "C"]]
    assert not find(text, "EB")


def test_277_status():
    status = ClaimStatusReply(
        "MEM1", "DOE", "JANE", "T1", "F1", "65", DOS, Decimal("125"), Decimal("60"), "C1",
        "SBX1", DOS, "SBX0001", DOS, DOS,
    )  # fmt: skip
    answer = StatusReply(
        "R1", "SANDBOX PAYER", "SBX01", "CLINIC", "CLINIC01", "TEST CLINIC", "1234567893",
        (status,),
    )  # fmt: skip
    text = write_277(HEADER, answer)
    read_interchanges(text)
    assert find(text, "STC") == [
        ["STC", "F1:65", "20260301", "", "125", "60", "20260301", "", "20260301", "SBX0001"]
    ]
    assert find(text, "REF", "1K") == [["REF", "1K", "SBX1"]]
