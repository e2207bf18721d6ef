"""277CA parser: a synthetic acknowledgment pyx12 validates, exact values, structure errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rcm.x12.base import X12Error
from rcm.x12.claimack277 import StatusDetail, parse_277ca, parse_277ca_levels
from tests.x12.pyx12_check import pyx12_text_errors as pyx12_errors

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_277ca.txt"


@pytest.fixture
def text() -> str:
    return FIXTURE.read_text()


def test_passes_pyx12(text, tmp_path):
    assert pyx12_errors(text, tmp_path) == []


def test_accepted_claim(text):
    accepted, _ = parse_277ca(text)
    assert (accepted.control_number, accepted.accepted, accepted.rejected) == (
        "PCN1001",
        True,
        False,
    )
    assert (accepted.payer_claim_number, accepted.clearinghouse_trace) == ("PAYERCLM1", "CHTRACE1")
    assert (accepted.service_date, accepted.service_date_end) == (
        date(2024, 1, 2),
        date(2024, 1, 3),
    )
    assert (accepted.payer_name, accepted.payer_id) == ("ACME HEALTH PLAN", "PAYER01")
    assert (accepted.provider_npi, accepted.member_id) == ("1234567893", "MBR123")
    assert (accepted.patient_last_name, accepted.patient_first_name) == ("DOE", "JANE")
    assert accepted.total_charge == Decimal("200")
    [report] = accepted.statuses
    assert (report.effective_date, report.action_code) == (date(2024, 1, 15), "WQ")
    [detail] = report.details
    assert detail == StatusDetail("A2", "20", "PR")
    assert detail.category_description.startswith("Acknowledgement/acceptance")
    assert detail.status_description == "Accepted for processing"
    assert detail.entity_description == "Payer"


def test_rejected_claim_with_line(text):
    _, rejected = parse_277ca(text)
    assert (rejected.control_number, rejected.accepted, rejected.rejected) == (
        "PCN1002",
        False,
        True,
    )
    assert rejected.categories == ["A7", "A6"]
    assert rejected.status_codes == ["562", "21"]
    assert rejected.entity_codes == ["85", "IL"]
    assert rejected.details[0].status_description == "Entity's National Provider Identifier (NPI)"
    assert rejected.details[1].entity_description == "Insured or subscriber"
    assert rejected.statuses[0].total_charge == Decimal("250")
    assert rejected.payer_claim_number == ""
    [line] = rejected.service_lines
    assert (line.procedure_code, line.modifiers, line.charge, line.units) == (
        "99213",
        ["25"],
        Decimal("150"),
        Decimal("1"),
    )
    assert (line.control_number, line.service_date) == ("LINE1", date(2024, 1, 5))
    assert line.statuses[0].details[0].status_description == "Procedure code for services rendered"


def test_levels(text):
    receiver, provider = parse_277ca_levels(text)
    assert (receiver.level, receiver.entity_name, receiver.trace_number) == (
        "21",
        "GOOD DOCTORS PC",
        "BATCH1",
    )
    assert (provider.level, provider.entity_id) == ("19", "1234567893")
    assert provider.statuses[0].total_charge == Decimal("450")


def test_unknown_codes_are_described_as_unknown(text):
    claim = parse_277ca(text.replace("A2:20:PR", "X9:9999:PR"))[0]
    assert "no description on file" in claim.details[0].category_description
    assert "no description on file" in claim.details[0].status_description
    assert not claim.accepted and not claim.rejected


@pytest.mark.parametrize(
    ("old", "new", "segment_id", "fragment"),
    [
        ("HL*4*3*PT", "HL*4*9*PT", "HL", "HL02 parent '9' is not an earlier HL"),
        ("HL*4*3*PT", "HL*3*3*PT", "HL", "HL01 '3' is empty or used twice"),
        ("HL*4*3*PT", "HL*4*3*XX", "HL", "HL03 level code 'XX'"),
        ("STC*A2:20:PR", "STC*:20:PR", "STC", "STC01"),
        ("WQ*200", "WQ*2O0", "STC", "STC04 is not a number"),
        ("TRN*2*PCN1001", "TRN*1*PCN1001", "TRN", "claim TRN must be TRN*2"),
        ("RD8*20240102-20240103", "RD8*20240102-2024013", "DTP", "DTP03 is not a date range"),
        ("DTP*472*D8*20240105~\nSVC", "DTP*472*XX*20240105~\nSVC", "DTP", "DTP02 'XX'"),
        ("SVC*HC:99213:25", "SVC*99213", "SVC", "SVC01 '99213'"),
    ],
)
def test_errors(text, old, new, segment_id, fragment):
    assert old in text
    with pytest.raises(X12Error) as caught:
        parse_277ca(text.replace(old, new, 1))
    assert fragment in caught.value.message
    assert caught.value.segment_id == segment_id
    assert caught.value.line is not None


def test_277_status_version_refused(text):
    with pytest.raises(X12Error, match="is not 005010X214"):
        parse_277ca(text.replace("005010X214", "005010X212"))
