"""276 writer and 277 (005010X212) parser: segments written, values parsed, errors named."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from rcm.x12.base import X12Error
from rcm.x12.reader import read_interchanges
from rcm.x12.status import (
    ClaimInquiry,
    Party,
    Person,
    StatusProvider,
    StatusRequest,
    parse_277,
    parse_277_levels,
    write_276,
)
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_277.txt"
WHEN = datetime(2024, 2, 20, 9, 30)


def request(**changes) -> StatusRequest:
    base = {
        "interchange": InterchangeHeader("OURPRACTICE", "ACMEPAYER", 17, WHEN),
        "group": FunctionalGroup("OURPRACTICE", "ACMEPAYER", 18, WHEN),
        "transaction_control_number": 19,
        "reference": "INQ1",
        "created": WHEN,
        "payer": Party("ACME HEALTH PLAN", "PAYER01"),
        "receiver": Party("GOOD DOCTORS PC", "SUB123"),
        "provider": StatusProvider("GOOD DOCTORS PC", "1234567893"),
        "subscriber": Person("DOE", "JANE", "MBR123", date(1980, 5, 17), "F"),
        "claims": (
            ClaimInquiry(
                "PCN1001", Decimal("300"), date(2024, 1, 2), date(2024, 1, 3), "PAYERCLM1"
            ),
            ClaimInquiry("PCN1002", Decimal("125.50"), date(2024, 1, 10)),
        ),
    }
    base.update(changes)
    return StatusRequest(**base)


def seg_lists(text: str) -> list[list[str]]:
    [interchange] = read_interchanges(text)
    [group] = interchange.groups
    assert (group.functional_id, group.version) == ("HR", "005010X212")
    [transaction] = group.transactions
    assert (transaction.type, transaction.version) == ("276", "005010X212")
    return [[s.id, *s.elements] for s in transaction.segments]


def test_276_subscriber_is_patient():
    segs = seg_lists(write_276(request()))
    assert segs[1] == ["BHT", "0010", "13", "INQ1", "20240220", "0930"]
    assert ["NM1", "PR", "2", "ACME HEALTH PLAN", "", "", "", "", "PI", "PAYER01"] in segs
    assert ["NM1", "41", "2", "GOOD DOCTORS PC", "", "", "", "", "46", "SUB123"] in segs
    assert ["NM1", "1P", "2", "GOOD DOCTORS PC", "", "", "", "", "XX", "1234567893"] in segs
    assert ["HL", "4", "3", "22", "0"] in segs
    assert ["DMG", "D8", "19800517", "F"] in segs
    assert ["NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", "MBR123"] in segs
    claim_segs = segs[segs.index(["TRN", "1", "PCN1001"]) :]
    assert claim_segs[:8] == [
        ["TRN", "1", "PCN1001"],
        ["REF", "1K", "PAYERCLM1"],
        ["AMT", "T3", "300"],
        ["DTP", "472", "RD8", "20240102-20240103"],
        ["TRN", "1", "PCN1002"],
        ["AMT", "T3", "125.5"],
        ["DTP", "472", "RD8", "20240110-20240110"],
        ["SE", "19", "0019"],
    ]


def test_276_dependent():
    patient = Person("DOE", "JIMMY", birth_date=date(2015, 3, 1), gender="M")
    segs = seg_lists(write_276(request(patient=patient)))
    assert ["HL", "4", "3", "22", "1"] in segs
    assert ["HL", "5", "4", "23"] in segs
    dmg = [s for s in segs if s[0] == "DMG"]
    assert dmg == [["DMG", "D8", "20150301", "M"]]
    assert ["NM1", "QC", "1", "DOE", "JIMMY"] in segs
    assert segs.index(["NM1", "QC", "1", "DOE", "JIMMY"]) < segs.index(["TRN", "1", "PCN1001"])


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"claims": ()}, "at least one claim"),
        ({"provider": StatusProvider("X", "123")}, "not 10 digits"),
        ({"subscriber": Person("DOE", "JANE")}, "member id"),
        ({"subscriber": Person("DOE", "JANE", "M1", gender="Q")}, "gender 'Q'"),
        (
            {"claims": (ClaimInquiry("P1", Decimal(1), date(2024, 1, 5), date(2024, 1, 4)),)},
            "end date before start",
        ),
        ({"claims": (ClaimInquiry("P*1", Decimal(1), date(2024, 1, 5)),)}, "delimiter"),
    ],
)
def test_276_refuses(changes, fragment):
    with pytest.raises(X12Error, match=fragment):
        write_276(request(**changes))


@pytest.fixture
def text() -> str:
    return FIXTURE.read_text()


def test_277_paid_claim(text):
    paid = parse_277(text)[0]
    assert (paid.control_number, paid.category, paid.status, paid.finalized) == (
        "PCN1001",
        "F1",
        "65",
        True,
    )
    assert paid.details[0].status_description == "Claim or line has been paid"
    assert (paid.effective_date, paid.total_charge, paid.paid_amount) == (
        date(2024, 2, 10),
        Decimal("300"),
        Decimal("180"),
    )
    assert (paid.adjudication_date, paid.check_date, paid.check_number) == (
        date(2024, 2, 8),
        date(2024, 2, 12),
        "CHK12345",
    )
    assert (paid.payer_claim_number, paid.member_id, paid.provider_npi) == (
        "PAYERCLM1",
        "MBR123",
        "1234567893",
    )
    assert (paid.service_date, paid.service_date_end) == (date(2024, 1, 2), date(2024, 1, 3))


def test_277_pending_claim_with_line(text):
    pending = parse_277(text)[1]
    assert (pending.control_number, pending.category, pending.entity) == ("PCN1002", "P3", "QC")
    assert pending.details[0].category_description.startswith("Pending/provider requested")
    assert (pending.total_charge, pending.paid_amount, pending.finalized) == (
        Decimal("125.50"),
        None,
        False,
    )
    [line] = pending.service_lines
    assert (line.procedure_code, line.charge, line.paid, line.control_number) == (
        "99213",
        Decimal("125.5"),
        Decimal("0"),
        "L1",
    )
    assert line.statuses[0].details[0].status == "187"


def test_277_dependent_claim(text):
    denied = parse_277(text)[2]
    assert (denied.control_number, denied.category, denied.status) == ("PCN1003", "F2", "88")
    assert (denied.patient_last_name, denied.patient_first_name) == ("ROE", "RITA")
    assert denied.paid_amount == Decimal("0")


def test_277_levels_none(text):
    assert parse_277_levels(text) == []


def test_277_ca_version_refused(text):
    with pytest.raises(X12Error, match="is not 005010X212"):
        parse_277(text.replace("005010X212", "005010X214"))


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("*180*20240208", "*1B0*20240208", "STC05 is not a number"),
        ("*20240212*CHK", "*20241312*CHK", "STC08 is not a date"),
        ("HL*6*5*23", "HL*6**23", "HL03 23 needs a parent"),
        ("TRN*2*PCN1003", "REF*XX*PCN1003", "STC without a TRN"),
    ],
)
def test_277_errors(text, old, new, fragment):
    with pytest.raises(X12Error) as caught:
        parse_277(text.replace(old, new, 1))
    assert fragment in caught.value.message
    assert caught.value.line is not None
